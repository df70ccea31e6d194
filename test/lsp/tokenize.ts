// Tokenizes Dana text with the shipped TextMate grammar through vscode-textmate + oniguruma
// (the engine VS Code itself uses), so grammar tests check real scopes, line by line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');
let registryPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        if (scopeName !== 'source.dana') return null;
        const file = path.join(root, 'extension/language/dana.tmLanguage.json');
        return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
      },
    });
    const g = await registry.loadGrammar('source.dana');
    if (!g) throw new Error('source.dana grammar did not load');
    return g;
  })();
  return registryPromise;
}

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

/** Every token of `text`, with its scope stack (outermost first). */
export async function tokenize(text: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const out: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

/** The innermost scopes of the first token whose text is exactly `text` (after `from` tokens). */
export function scopesOf(tokens: Token[], text: string, nth = 0): string[] {
  const hits = tokens.filter((t) => t.text === text);
  const hit = hits[nth];
  if (!hit) throw new Error(`no token "${text}" (#${nth}) in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return hit.scopes;
}
