// Hover on a @poet(...) decorator: the effective config (and where each value comes from),
// the stored versions, and run metrics when there are any.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { CORE_KEYS, resolveConfig, type ConfigContext, type PoetConfigInput } from '../../shared/config';
import { poetDecorator } from '../../shared/source/locate';
import type { DecoratorModel, FunctionModel } from '../../shared/source/model';
import { decoratorConfig } from '../service/select';
import { toLspRange, type ParsedDocument } from './documents';
import { literalText } from './poet-keys';
import type { FunctionMetricsSummary } from './status';
import type { StoredFunction } from './storage-index';

export interface HoverContext {
  ctx: ConfigContext;
  /** Settings layer, under the decorator. */
  settings: PoetConfigInput;
  /** The stored function matching the hovered one, if enhanced. */
  stored: (fn: FunctionModel) => Promise<StoredFunction | undefined>;
  metrics: (key: string, version: string) => Promise<FunctionMetricsSummary | undefined>;
}

/** The function whose @poet decorator contains `pos`. */
export function poetDecoratorAt(pd: ParsedDocument, pos: Position): { fn: FunctionModel; dec: DecoratorModel } | undefined {
  const offset = pd.doc.offsetAt(pos);
  for (const fn of pd.parsed.functions) {
    const dec = poetDecorator(fn);
    if (dec && dec.range.start.offset <= offset && offset <= dec.range.end.offset) return { fn, dec };
  }
  return undefined;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export async function hover(pd: ParsedDocument, pos: Position, h: HoverContext): Promise<Hover | null> {
  const hit = poetDecoratorAt(pd, pos);
  if (!hit) return null;
  const { fn, dec } = hit;
  const { layer } = decoratorConfig(fn);
  const runtime = new Map(dec.keywords.filter((k) => !k.literal).map((k) => [k.name, k.source]));
  const lines: string[] = [`**POET** · \`${fn.name}\``, ''];

  const stored = await h.stored(fn);
  if (stored) {
    const m = await h.metrics(stored.key, stored.version);
    const facts = [`current version **${stored.version}** of ${stored.versions.length}`];
    if (stored.metadata) facts.push(`created ${stored.metadata.created_at.slice(0, 16).replace('T', ' ')} (${stored.metadata.reason})`);
    lines.push(facts.join(', '));
    if (m && m.executions > 0) {
      const rate = m.successRate === null ? 'n/a' : `${Math.round(m.successRate * 100)}%`;
      const p95 = m.p95Ms === null ? '' : `, p95 ${Math.round(m.p95Ms)} ms`;
      lines.push('', `${m.executions} runs, ${rate} succeeded${p95}`);
    }
    if (m && m.feedbackCount > 0) {
      const mean = m.meanFeedbackScore === null ? '' : `, mean score ${m.meanFeedbackScore.toFixed(2)}`;
      lines.push('', `${m.feedbackCount} feedback${mean}${m.negativeFeedback ? `, 👎 ${m.negativeFeedback}` : ''}`);
    }
  } else {
    lines.push('Not enhanced yet.');
  }

  const result = resolveConfig([h.settings, layer], h.ctx);
  lines.push('');
  if (!result.ok) {
    lines.push(`The arguments have ${result.issues.length} problem(s); see the Problems panel:`, '');
    for (const i of result.issues) lines.push(`- ${i.message}`);
  } else {
    lines.push('| key | value | from |', '|---|---|---|');
    const cfg = result.config as unknown as Record<string, unknown>;
    for (const k of CORE_KEYS) {
      const from = runtime.has(k) ? 'decorator (run time)' : k in layer ? 'decorator' : k in h.settings ? 'settings' : 'default';
      const value = runtime.get(k) ?? literalText(cfg[k]);
      lines.push(`| ${k} | \`${cell(value)}\` | ${from} |`);
    }
    for (const [k, v] of Object.entries(result.config.domain_params)) lines.push(`| ${k} | \`${cell(literalText(v))}\` | decorator (domain) |`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: toLspRange(pd.doc, dec.range) };
}
