// Hashes that identify a function's source. The Python runtime hook (python/poet)
// computes `functionTextHash` the same way from inspect.getsource(), so keep the two in step.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config';
import type { Language } from './model';

/** CRLF/CR → LF, trailing white space at the end of the text dropped, one final newline. */
export function normalizeSource(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/, '') + '\n';
}

export function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hash of the function's own text (decorators included), normalised. */
export function functionTextHash(functionSource: string): string {
  return sha256(normalizeSource(functionSource));
}

/** The cache key: source, effective config, language and generator version together. */
export function sourceHash(input: {
  source: string;
  config: unknown;
  language: Language;
  generatorVersion: string;
}): string {
  const payload = [normalizeSource(input.source), canonicalJson(input.config), input.language, input.generatorVersion].join('\u0000');
  return sha256(payload);
}

/**
 * What the Python runtime hook can check at import time without parsing: the number of source
 * lines the function spans (first decorator to end of body) and the hash of those whole lines,
 * the first one without its indentation. The hook reads the same lines from the function's file
 * at `co_firstlineno`, so it needs neither inspect nor tokenize (which may be what is enhanced).
 */
export function functionLinesHash(fileText: string, fn: { range: { start: { line: number }; end: { line: number } } }): { count: number; hash: string } {
  const lines = fileText.split(/\r\n|\r|\n/).slice(fn.range.start.line - 1, fn.range.end.line);
  if (lines.length) lines[0] = lines[0]!.replace(/^[ \t\f]+/, '');
  return { count: lines.length, hash: functionTextHash(lines.join('\n')) };
}
