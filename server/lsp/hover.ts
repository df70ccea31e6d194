// Hover on a @poet(...) decorator: first what the argument under the cursor means (type,
// range, default, purpose), then the stored versions, run metrics and the effective config
// (and where each value comes from). A problem with an argument is VS Code's own hover line
// (the diagnostic), so it is not repeated here.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { CORE_KEYS, resolveConfig, type ConfigContext, type PoetConfigInput } from '../../shared/config';
import { poetDecorator } from '../../shared/source/locate';
import type { DecoratorModel, FunctionModel } from '../../shared/source/model';
import { decoratorConfig } from '../service/select';
import { toLspRange, type ParsedDocument } from './documents';
import { keyInfos, literalText, type DomainKeyDocs, type KeyInfo } from './poet-keys';
import { plural } from '../../shared/plural';
import type { FunctionMetricsSummary } from './status';
import type { EnhancedOnDisk } from './storage-index';

export interface HoverContext {
  ctx: ConfigContext & { docs?: DomainKeyDocs };
  /** Settings layer, under the decorator. */
  settings: PoetConfigInput;
  /** The stored function matching the hovered one, if enhanced. */
  stored: (fn: FunctionModel) => Promise<EnhancedOnDisk | undefined>;
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

/** The argument `offset` is in (a keyword's name or value, or the positional domain): its key and text range. */
export function argumentAt(dec: DecoratorModel, offset: number): { key: string; range: DecoratorModel['range'] } | undefined {
  const kw = dec.keywords.find((k) => k.nameRange.start.offset <= offset && offset <= k.range.end.offset);
  if (kw) return { key: kw.name, range: { start: kw.nameRange.start, end: kw.range.end } };
  const first = dec.positional[0];
  return first && first.range.start.offset <= offset && offset <= first.range.end.offset ? { key: 'domain', range: first.range } : undefined;
}

function explain(info: KeyInfo): string[] {
  const facts = [info.detail, info.defaultText !== undefined ? `default \`${info.defaultText}\`` : undefined, info.domain ? `a "${info.domain}" key` : undefined];
  return [`**${info.key}** — ${facts.filter(Boolean).join(' · ')}`, '', info.doc];
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
  const result = resolveConfig([h.settings, layer], h.ctx);
  const lines: string[] = [];
  const arg = argumentAt(dec, pd.doc.offsetAt(pos));
  let explained = false;
  if (arg) {
    const given = result.ok ? result.config.domain : [layer.domain, h.settings.domain].find((d) => typeof d === 'string');
    const info = keyInfos(h.ctx, typeof given === 'string' ? given : undefined, h.ctx.docs).find((i) => i.key === arg.key);
    // An unknown key has no explanation; its diagnostic (with a did-you-mean) says what is wrong.
    if (info) {
      lines.push(...explain(info), '', '---', '');
      explained = true;
    }
  }
  lines.push(`**POET** · \`${fn.name}\``, '');

  const stored = await h.stored(fn);
  if (stored) {
    const m = await h.metrics(stored.key, stored.version);
    const facts = [`current version **${stored.version}** of ${stored.versions.length}`];
    if (stored.metadata) facts.push(`created ${stored.metadata.created_at.slice(0, 16).replace('T', ' ')} (${stored.metadata.reason.replace(/_/g, ' ')})`);
    lines.push(facts.join(', '));
    if (m && m.executions > 0) {
      const rate = m.successRate === null ? 'n/a' : `${Math.round(m.successRate * 100)}%`;
      const p95 = m.p95Ms === null ? '' : `, p95 ${Math.round(m.p95Ms)} ms`;
      lines.push('', `${plural(m.executions, 'run')}, ${rate} succeeded${p95}`);
    }
    if (m && m.feedbackCount > 0) {
      const mean = m.meanFeedbackScore === null ? '' : `, mean score ${m.meanFeedbackScore.toFixed(2)}`;
      lines.push('', `${m.feedbackCount} feedback${mean}${m.negativeFeedback ? `, 👎 ${m.negativeFeedback}` : ''}`);
    }
  } else {
    lines.push('Not enhanced yet.');
  }

  lines.push('');
  if (!result.ok) {
    // Each problem is already a diagnostic, shown in this same hover and the Problems panel.
    lines.push(`The effective config shows once the ${plural(result.issues.length, 'problem')} marked in \`@poet(...)\` ${result.issues.length === 1 ? 'is' : 'are'} fixed.`);
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
  // The range is the argument explained: moving to another argument asks again.
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: toLspRange(pd.doc, explained && arg ? arg.range : dec.range) };
}
