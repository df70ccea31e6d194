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
