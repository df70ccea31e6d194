// Completion inside @poet(...): keyword names (with type, range, default and description)
// and domain names inside domain="…". Works on the raw text around the cursor, because the
// file usually does not parse while the user is typing the argument.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CoreConfigShape, DEFAULT_CONFIG, FALLBACKS, type ConfigContext } from '../../shared/config';
import { describeSchema, keyInfos, type DomainKeyDocs } from './poet-keys';

export type PoetCompletionContext =
  | { kind: 'key'; prefixStart: number; present: string[]; domain: string | undefined }
  | { kind: 'domain'; prefixStart: number; quote: string }
  | { kind: 'value'; key: string; prefixStart: number }
  /** A key inside `backoff={…}`, after its opening quote. */
  | { kind: 'backoff'; prefixStart: number; present: string[] };

const MAX_LOOKBACK = 4000;

/** Splits argument text at top-level commas, skipping brackets and strings. */
function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Finds the `(` of an unclosed `@poet(` before `offset`, or -1. */
function openPoetParen(text: string, offset: number): number {
  let depth = 0;
  const stop = Math.max(0, offset - MAX_LOOKBACK);
  for (let i = offset - 1; i >= stop; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) return /@\s*(?:poet\.)?poet\s*$/.test(text.slice(Math.max(0, i - 40), i)) ? i : -1;
      depth--;
    } else if (c === '\n' && depth === 0 && /^\s*(?:sync\s+)?def\b/.test(text.slice(i + 1, offset))) {
      return -1; // reached a def line: not inside a decorator
    }
  }
  return -1;
}

/** What to complete at `offset`, or undefined when the cursor is not inside @poet(...). */
export function poetCompletionContext(text: string, offset: number, defaultDomain?: string | null): PoetCompletionContext | undefined {
  const open = openPoetParen(text, offset);
  if (open < 0) return undefined;
  const args = splitArgs(text.slice(open + 1, offset));
  const current = args[args.length - 1] ?? '';
  const currentStart = offset - current.length;
  const present = args.slice(0, -1).map((a) => /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(a)?.[1]).filter((k): k is string => !!k);
  const domainOf = (a: string): string | undefined => /^\s*domain\s*=\s*["']([^"']+)["']\s*$/.exec(a)?.[1];
  const firstPositional = /^\s*["']([^"']+)["']\s*$/.exec(args[0] ?? '')?.[1];
  const domain = args.slice(0, -1).map(domainOf).find((d) => d) ?? (args.length > 1 ? firstPositional : undefined) ?? defaultDomain ?? undefined;

  let m = /^(\s*domain\s*=\s*)(["'])([A-Za-z0-9_:.-]*)$/.exec(current);
  if (m) return { kind: 'domain', prefixStart: currentStart + m[1]!.length + 1, quote: m[2]! };
  if (args.length === 1 && (m = /^(\s*)(["'])([A-Za-z0-9_:.-]*)$/.exec(current))) {
    return { kind: 'domain', prefixStart: currentStart + m[1]!.length + 1, quote: m[2]! };
  }
  m = /^(\s*)([A-Za-z_]\w*)?$/.exec(current);
  if (m) return { kind: 'key', prefixStart: currentStart + m[1]!.length, present, domain };
  m = /^(\s*backoff\s*=\s*\{)([^{}]*?)(["'])(\w*)$/.exec(current);
  if (m && /(^|,)\s*$/.test(m[2]!)) {
    const given = [...m[2]!.matchAll(/["'](\w+)["']\s*:/g)].map((g) => g[1]!);
    return { kind: 'backoff', prefixStart: offset - m[4]!.length, present: given };
  }
  m = /^(\s*([A-Za-z_]\w*)\s*=\s*)["']?\w*$/.exec(current);
  if (m) return { kind: 'value', key: m[2]!, prefixStart: currentStart + m[1]!.length };
  return undefined;
}

function replaceRange(doc: TextDocument, from: number, to: number): Range {
  return { start: doc.positionAt(from), end: doc.positionAt(to) };
}

export function poetCompletions(
  doc: TextDocument,
  offset: number,
  ctx: ConfigContext & { docs?: (name: string) => ({ description: string } & ReturnType<DomainKeyDocs>) | undefined },
  defaultDomain: string | null,
): CompletionItem[] {
  const text = doc.getText();
  const c = poetCompletionContext(text, offset, defaultDomain);
  if (!c) return [];
  const range = replaceRange(doc, c.prefixStart, offset);
  if (c.kind === 'domain') {
    return ctx.domainNames().map((name, i) => {
      const keys = Object.keys(ctx.domain(name)?.params ?? {});
      const description = ctx.docs?.(name)?.description;
      return {
        label: name,
        kind: CompletionItemKind.EnumMember,
        detail: keys.length ? `domain · keys: ${keys.join(', ')}` : 'domain',
        ...(description ? { documentation: description } : {}),
        sortText: String(i).padStart(4, '0'),
        textEdit: { range, newText: name },
      };
    });
  }
  if (c.kind === 'key') {
    return keyInfos(ctx, c.domain, ctx.docs)
      .filter((k) => !c.present.includes(k.key))
      .map((k, i) => ({
        label: k.key,
        kind: CompletionItemKind.Property,
        detail: k.domain ? `${k.detail} · ${k.domain}` : k.detail,
        documentation: { kind: MarkupKind.Markdown, value: k.doc + (k.defaultText !== undefined ? `\n\nDefault: \`${k.defaultText}\`` : '') },
        sortText: String(i).padStart(4, '0'),
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: `${k.key}=$0` },
      }));
  }
  if (c.kind === 'backoff') {
    const shape = CoreConfigShape.backoff.shape;
    return (Object.keys(shape) as Array<keyof typeof shape>)
      .filter((k) => !c.present.includes(k))
      .map((k, i) => ({
        label: k,
        kind: CompletionItemKind.Property,
        detail: describeSchema(shape[k]),
        documentation: `Default: ${DEFAULT_CONFIG.backoff[k]}`,
        sortText: String(i).padStart(4, '0'),
        textEdit: { range, newText: k },
      }));
  }
  // values: the few keys whose values are a closed set
  const values =
    c.key === 'fallback'
      ? FALLBACKS.map((f) => JSON.stringify(f))
      : c.key === 'enable_training' || c.key === 'enable_monitoring'
        ? ['True', 'False']
        : c.key === 'total_timeout' || c.key === 'optimize_for'
          ? ['None']
          : [];
  return values.map((v) => ({ label: v, kind: CompletionItemKind.Value, textEdit: { range, newText: v } }));
}
