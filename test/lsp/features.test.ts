// The feature functions on their own: real parses of real text (Dana and Python), a real
// domain context, no server. The end-to-end behaviour over LSP is in server.test.ts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import { z } from 'zod';
import type { ConfigContext, DomainConfigInfo } from '../../shared/config';
import { functionTextHash } from '../../shared/source/hash';
import { codeLenses, isStale, lensFunctions } from '../../server/lsp/codelens';
import { poetCompletionContext, poetCompletions } from '../../server/lsp/completion';
import { checkPoetDecorator, DiagnosticCodes } from '../../server/lsp/decorator-check';
import { computeDiagnostics } from '../../server/lsp/diagnostics';
import { parseDocument, type ParsedDocument } from '../../server/lsp/documents';
import { hover } from '../../server/lsp/hover';
import { describeSchema } from '../../server/lsp/poet-keys';
import { editorDomainContext } from '../../server/lsp/domains';
import { documentSymbols } from '../../server/lsp/symbols';
import { matchStoredFunction, type EnhancedOnDisk } from '../../server/lsp/storage-index';
import { metricsParts } from '../../server/lsp/status';
import { poetDecorator } from '../../shared/source/locate';
import { readSettings, sectionGetter, settingsConfigLayer } from '../../shared/settings';

/** A small registry with the shapes real domains have: params with ranges. */
const DOMAINS: Record<string, DomainConfigInfo> = {
  financial_services: { params: { max_rate: z.number().min(0).max(1), currency: z.string().length(3) } },
  healthcare: { params: {} },
};
const ctx: ConfigContext = {
  domain: (n) => DOMAINS[n],
  domainNames: () => ['financial_services', 'healthcare'],
};

function parse(text: string, ext: 'na' | 'py' = 'na'): ParsedDocument {
  const doc = TextDocument.create(`file:///ws/m.${ext}`, ext === 'na' ? 'dana' : 'python', 1, text);
  const pd = parseDocument(doc);
  assert.ok(pd);
  return pd;
}
const textAt = (pd: ParsedDocument, r: { start: { offset: number }; end: { offset: number } }): string => pd.doc.getText().slice(r.start.offset, r.end.offset);

describe('LSP features (pure)', () => {
  describe('@poet argument checks', () => {
    const src = `@poet(domain="financial_services", retrys=2, timeout="slow", retries=11, max_rate=2, backoff={"jitter": 3}, fallback="nope", currency=CUR)
def f(x: int) -> int:
    return x
`;
    for (const ext of ['na', 'py'] as const) {
      it(`finds every problem at its argument (${ext})`, () => {
        const pd = parse(src, ext);
        const dec = poetDecorator(pd.parsed.functions[0]!)!;
        const issues = checkPoetDecorator(dec, ctx);
        const got = issues.map((i) => [i.code, textAt(pd, i.range)]);
        assert.deepEqual(got, [
          [DiagnosticCodes.unknownKey, 'retrys'],
          [DiagnosticCodes.invalidType, '"slow"'],
          [DiagnosticCodes.outOfRange, '11'],
          [DiagnosticCodes.outOfRange, '2'],
          [DiagnosticCodes.outOfRange, '{"jitter": 3}'],
          [DiagnosticCodes.invalidType, '"nope"'],
          [DiagnosticCodes.nonLiteral, 'CUR'],
        ]);
        assert.equal(issues[0]!.suggestion, 'retries');
        assert.match(issues[0]!.message, /Did you mean "retries"\?/);
      });
    }

    it('suggests a domain for a misspelt one, on the string itself', () => {
      const pd = parse('@poet(domain="financal_services")\ndef f(x):\n    return x\n');
      const [issue, ...rest] = checkPoetDecorator(poetDecorator(pd.parsed.functions[0]!)!, ctx);
      assert.equal(rest.length, 0);
      assert.equal(issue!.code, DiagnosticCodes.unknownDomain);
      assert.equal(issue!.severity, 'warning', 'enhanced with the general rules, not refused');
      assert.equal(textAt(pd, issue!.range), '"financal_services"');
      assert.equal(issue!.suggestion, '"financial_services"');
    });

    it('checks the type of domain itself', () => {
      const pd = parse('@poet(domain=5)\ndef f(x):\n    return x\n');
      const issues = checkPoetDecorator(poetDecorator(pd.parsed.functions[0]!)!, ctx);
      assert.deepEqual(issues.map((i) => [i.code, textAt(pd, i.range)]), [[DiagnosticCodes.invalidType, '5']]);
    });

    it('accepts a string domain as the first positional argument, and nothing else positional', () => {
      const ok = parse('@poet("healthcare", retries=1)\ndef f(x):\n    return x\n');
      assert.deepEqual(checkPoetDecorator(poetDecorator(ok.parsed.functions[0]!)!, ctx), []);
      const bad = parse('@poet(3, "x")\ndef f(x):\n    return x\n');
      const issues = checkPoetDecorator(poetDecorator(bad.parsed.functions[0]!)!, ctx);
      assert.deepEqual(issues.map((i) => [i.code, textAt(bad, i.range)]), [
        [DiagnosticCodes.positional, '3'],
        [DiagnosticCodes.positional, '"x"'],
      ]);
    });

    it('flags a key given twice, including domain as positional and keyword', () => {
      const pd = parse('@poet("healthcare", domain="healthcare", retries=1, retries=2)\ndef f(x):\n    return x\n');
      const issues = checkPoetDecorator(poetDecorator(pd.parsed.functions[0]!)!, ctx);
      assert.deepEqual(issues.map((i) => [i.code, textAt(pd, i.range)]), [
        [DiagnosticCodes.duplicate, 'domain'],
        [DiagnosticCodes.duplicate, 'retries'],
      ]);
    });

    it('knows domain keys only for the effective domain, including one from settings', () => {
      const pd = parse('@poet(max_rate=0.5)\ndef f(x):\n    return x\n');
      const dec = poetDecorator(pd.parsed.functions[0]!)!;
      assert.deepEqual(checkPoetDecorator(dec, ctx).map((i) => i.code), [DiagnosticCodes.unknownKey]);
      assert.deepEqual(checkPoetDecorator(dec, ctx, [{ domain: 'financial_services' }]), []);
    });

    it('does not blame the decorator for a bad domain in the settings', () => {
      const pd = parse('@poet(retries=1)\ndef f(x):\n    return x\n');
      assert.deepEqual(checkPoetDecorator(poetDecorator(pd.parsed.functions[0]!)!, ctx, [{ domain: 'nowhere' }]), []);
    });

    it('raises nothing for valid arguments, bare @poet, or non-poet decorators', () => {
      const pd = parse('@poet(domain="financial_services", retries=0, timeout=0.5, backoff={"max_s": 1}, fallback="original", enable_training=True, total_timeout=None)\ndef f(x):\n    return x\n\n@poet\ndef g(x):\n    return x\n\n@other(retrys=1)\ndef h(x):\n    return x\n');
      assert.deepEqual(computeDiagnostics(pd, ctx, []), []);
    });
  });

  describe('diagnostics', () => {
    it('adds Dana syntax errors with a range, source and code', () => {
      const pd = parse('def f(x):\n    return x +\n');
      const d = computeDiagnostics(pd, ctx, []);
      assert.ok(d.length >= 1, 'a syntax error');
      assert.equal(d[0]!.source, 'dana');
      assert.equal(d[0]!.code, DiagnosticCodes.syntax);
      assert.ok(d[0]!.range.start.line <= 2);
    });

    it('leaves Python syntax to the Python tools', () => {
      const pd = parse('def f(x:\n    return x\n', 'py');
      assert.deepEqual(computeDiagnostics(pd, ctx, []).filter((d) => d.code === DiagnosticCodes.syntax), []);
    });

    it('puts the suggestion into the diagnostic data for the quick fix', () => {
      const pd = parse('@poet(retrys=2)\ndef f(x):\n    return x\n');
      const [d] = computeDiagnostics(pd, ctx, []);
      assert.deepEqual(d!.data, { suggestion: 'retries' });
      assert.deepEqual(d!.range, { start: { line: 0, character: 6 }, end: { line: 0, character: 12 } });
    });
  });

  describe('CodeLens', () => {
    const src = '@poet(retries=1)\ndef a(x):\n    return x\n\ndef b(x):\n    return x\n\ndef c(x: int) -> int = a | b\n';
    const none = async () => undefined;

    it('follows poet.codeLens: decorated, all, off (declarative defs never)', () => {
      const pd = parse(src);
      assert.deepEqual(lensFunctions(pd.parsed.functions, 'decorated').map((f) => f.name), ['a']);
      assert.deepEqual(lensFunctions(pd.parsed.functions, 'all').map((f) => f.name), ['a', 'b']);
      assert.deepEqual(lensFunctions(pd.parsed.functions, 'off'), []);
    });

    it('offers POET: Enhance with the file URI and function name, above the decorator', async () => {
      const pd = parse(src);
      const [lens] = await codeLenses(pd, { mode: 'decorated', stored: [], sourceFile: 'm.na', folderUri: 'file:///ws', metrics: none, matchingVersion: none });
      assert.equal(lens!.command!.title, 'POET: Enhance');
      assert.equal(lens!.command!.command, 'poet.enhanceFunction');
      assert.deepEqual(lens!.command!.arguments, ['file:///ws/m.na', 'a']);
      assert.equal(lens!.range.start.line, 0);
    });

    it('shows the version, success rate and thumbs-down once enhanced, and notices a changed source', async () => {
      const pd = parse(src);
      const fn = pd.parsed.functions[0]!;
      const stored: EnhancedOnDisk = {
        key: 'a',
        functionName: 'a',
        version: 'v3',
        versions: ['v1', 'v2', 'v3'],
        sourceFile: 'm.na',
        metadata: { function_hash: functionTextHash(fn.source) } as EnhancedOnDisk['metadata'],
      };
      const metrics = async () => ({ executions: 25, successRate: 0.92, p95Ms: 12, negativeFeedback: 2, feedbackCount: 3, meanFeedbackScore: 0.4 });
      const [lens] = await codeLenses(pd, { mode: 'decorated', stored: [stored], sourceFile: 'm.na', folderUri: 'file:///ws', metrics, matchingVersion: none });
      assert.equal(lens!.command!.title, 'POET v3 · 92% ✓ · 👎 2');
      assert.equal(lens!.command!.command, 'poet.openEnhancedCode');
      assert.deepEqual(lens!.command!.arguments, [{ folderUri: 'file:///ws', key: 'a', functionName: 'a', version: 'v3' }]);
      assert.equal(isStale(fn, stored), false);

      const edited = parse(src.replace('return x', 'return x + 1'));
      const [stale] = await codeLenses(edited, { mode: 'decorated', stored: [stored], sourceFile: 'm.na', folderUri: 'file:///ws', metrics: none, matchingVersion: none });
      assert.equal(stale!.command!.title, 'POET v3 · source changed: Enhance');
      assert.equal(stale!.command!.command, 'poet.enhanceFunction');
    });

    it('after a rollback, names the pin and offers the version that matches the source instead of an Enhance that cannot clear it', async () => {
      const v1Text = src;
      const v2Text = src.replace('return x', 'return x + 1');
      const stored: EnhancedOnDisk = {
        key: 'a',
        functionName: 'a',
        version: 'v1',
        versions: ['v1', 'v2'],
        sourceFile: 'm.na',
        metadata: { function_hash: functionTextHash(parse(v1Text).parsed.functions[0]!.source) } as EnhancedOnDisk['metadata'],
      };
      const v2Hash = functionTextHash(parse(v2Text).parsed.functions[0]!.source);
      const asked: string[] = [];
      const matchingVersion = async (_s: EnhancedOnDisk, hash: string) => {
        asked.push(hash);
        return hash === v2Hash ? 'v2' : undefined;
      };
      const lensFor = async (text: string) => (await codeLenses(parse(text), { mode: 'decorated', stored: [stored], sourceFile: 'm.na', folderUri: 'file:///ws', metrics: none, matchingVersion }))[0]!.command!;

      const pinned = await lensFor(v2Text);
      assert.equal(pinned.title, 'POET v1 pinned · v2 matches this source — Make current');
      assert.equal(pinned.command, 'poet.setCurrentVersion');
      assert.deepEqual(pinned.arguments, [{ folderUri: 'file:///ws', key: 'a', functionName: 'a', version: 'v2' }]);
      assert.deepEqual(asked, [v2Hash]);

      // The source is v1's again: nothing to do, but the lens still says v1 is pinned.
      const same = await lensFor(v1Text);
      assert.equal(same.title, 'POET v1 pinned');
      assert.equal(same.command, 'poet.openEnhancedCode');
      // Edited past both versions: enhancing is the way out.
      const other = await lensFor(src.replace('return x', 'return x * 2'));
      assert.equal(other.title, 'POET v1 · source changed: Enhance');
      assert.equal(other.command, 'poet.enhanceFunction');
    });

    it('matches a stored function by name and source file (module-qualified keys)', () => {
      const mk = (key: string, sourceFile: string | null): EnhancedOnDisk => ({ key, functionName: 'calc', version: 'v1', versions: ['v1'], sourceFile, metadata: undefined });
      const stored = [mk('calc', 'a.na'), mk('b.calc', 'b.na'), mk('x.calc', null)];
      assert.equal(matchStoredFunction(stored, 'calc', 'b.na')?.key, 'b.calc');
      assert.equal(matchStoredFunction(stored, 'calc', 'a.na')?.key, 'calc');
      assert.equal(matchStoredFunction(stored, 'calc', 'c.na')?.key, 'x.calc');
      assert.equal(matchStoredFunction(stored, 'other', 'a.na'), undefined);
    });

    it('adds only the metrics that exist', () => {
      assert.deepEqual(metricsParts(undefined), []);
      assert.deepEqual(metricsParts({ executions: 0, successRate: null, p95Ms: null, negativeFeedback: 0, feedbackCount: 0, meanFeedbackScore: null }), []);
      assert.deepEqual(metricsParts({ executions: 3, successRate: 1, p95Ms: null, negativeFeedback: 0, feedbackCount: 0, meanFeedbackScore: null }), ['100% ✓']);
    });
  });

  describe('hover', () => {
    it('shows the effective config with where each value comes from, and the stored version', async () => {
      const pd = parse('@poet(domain="financial_services", retries=3, max_rate=0.2)\ndef f(x):\n    return x\n');
      const stored: EnhancedOnDisk = { key: 'f', functionName: 'f', version: 'v2', versions: ['v1', 'v2'], sourceFile: 'm.na', metadata: undefined };
      const h = await hover(pd, { line: 0, character: 2 }, {
        ctx,
        settings: { timeout: 12 },
        stored: async () => stored,
        metrics: async () => ({ executions: 10, successRate: 0.9, p95Ms: 40, negativeFeedback: 1, feedbackCount: 2, meanFeedbackScore: 0.5 }),
      });
      const md = (h!.contents as { value: string }).value;
      assert.match(md, /current version \*\*v2\*\* of 2/);
      assert.match(md, /10 runs, 90% succeeded, p95 40 ms/);
      assert.match(md, /\| retries \| `3` \| decorator \|/);
      assert.match(md, /\| timeout \| `12` \| settings \|/);
      assert.match(md, /\| fallback \| `"raise"` \| default \|/);
      assert.match(md, /\| max_rate \| `0.2` \| decorator \(domain\) \|/);
      assert.equal(await hover(pd, { line: 2, character: 4 }, { ctx, settings: {}, stored: async () => undefined, metrics: async () => undefined }), null);
    });

    it('explains the argument under the cursor first, then the table, and re-asks on another argument', async () => {
      const text = '@poet(domain="financial_services", retries=3, max_rate=0.2)\ndef f(x):\n    return x\n';
      const pd = parse(text);
      const at = (needle: string, plus = 1) => pd.doc.positionAt(text.indexOf(needle) + plus);
      const h = { ctx, settings: {}, stored: async () => undefined, metrics: async () => undefined };
      const on = async (pos: { line: number; character: number }) => (await hover(pd, pos, h))!;

      const retries = await on(at('retries'));
      const md = (retries.contents as { value: string }).value;
      assert.match(md, /^\*\*retries\*\* — integer 0–10 · default `2`\n\nExtra attempts after the first call/);
      assert.ok(md.indexOf('**retries**') < md.indexOf('| key | value | from |'), 'the explanation comes before the table');
      assert.match(md, /\| retries \| `3` \| decorator \|/);
      // The hover's range is the argument, so moving to the next one asks again.
      assert.equal(pd.doc.getText(retries.range!), 'retries=3');
      const value = await on(at('=3'));
      assert.equal(pd.doc.getText(value.range!), 'retries=3');

      const domainKey = (await on(at('max_rate'))).contents as { value: string };
      assert.match(domainKey.value, /^\*\*max_rate\*\* — number 0–1 · a "financial_services" key/);
      const domain = (await on(at('"financial'))).contents as { value: string };
      assert.match(domain.value, /^\*\*domain\*\* — /);

      // On the decorator's name: no argument to explain; the range is the whole decorator.
      const whole = await on({ line: 0, character: 2 });
      assert.match((whole.contents as { value: string }).value, /^\*\*POET\*\* · `f`/);
      assert.equal(pd.doc.getText(whole.range!), text.split('\n')[0]);
    });

    it('does not repeat a problem VS Code already shows as the diagnostic in the same hover', async () => {
      const pd = parse('@poet(retries=99, retrys=1)\ndef f(x):\n    return x\n');
      const diagnostics = computeDiagnostics(pd, ctx, []).map((d) => String(d.message));
      assert.equal(diagnostics.length, 2);
      for (const character of [8, 19]) {
        const h = await hover(pd, { line: 0, character }, { ctx, settings: {}, stored: async () => undefined, metrics: async () => undefined });
        const md = (h!.contents as { value: string }).value;
        assert.match(md, /Not enhanced yet/);
        assert.match(md, /The effective config shows once the 2 problems marked in `@poet\(\.\.\.\)` are fixed\./);
        for (const m of diagnostics) assert.ok(!md.includes(m), `the hover repeats the diagnostic "${m}"`);
        assert.doesNotMatch(md, /\| key \| value/);
      }
    });
  });

  describe('completion', () => {
    const at = (text: string) => {
      const offset = text.indexOf('|');
      return { text: text.replace('|', ''), offset };
    };

    it('knows where the cursor is inside @poet(...)', () => {
      const cases: Array<[string, string | undefined]> = [
        ['@poet(|', 'key'],
        ['@poet(retries=2, ti|', 'key'],
        ['@poet(domain="fin|', 'domain'],
        ["@poet('|", 'domain'],
        ['@poet(fallback=|', 'value'],
        ['@poet(backoff={"a": (1, |', undefined],
        ['@poet(backoff={"|', 'backoff'],
        ['@poet(retries=1, backoff={"jitter": 0.1, "ma|', 'backoff'],
        ['@poet(backoff={"max_s": |', undefined],
        ['x = poet(|', undefined],
        ['@poet(retries=2)\ndef f(|', undefined],
        ['@other(|', undefined],
      ];
      for (const [src, kind] of cases) {
        const { text, offset } = at(src);
        assert.equal(poetCompletionContext(text, offset)?.kind, kind, src);
      }
    });

    it('offers the keys not yet given, with type/range, default and description, replacing the typed prefix', () => {
      const { text, offset } = at('@poet(retries=2, ti|)\ndef f(x):\n    return x\n');
      const doc = TextDocument.create('file:///ws/m.na', 'dana', 1, text);
      const items = poetCompletions(doc, offset, ctx, null);
      const labels = items.map((i) => i.label);
      assert.ok(!labels.includes('retries'));
      const timeout = items.find((i) => i.label === 'timeout')!;
      assert.equal(timeout.detail, 'number > 0, ≤ 86400');
      assert.match((timeout.documentation as { value: string }).value, /Default: `30`/);
      assert.deepEqual((timeout.textEdit as { range: unknown }).range, { start: { line: 0, character: 17 }, end: { line: 0, character: 19 } });
      assert.ok(!labels.includes('max_rate'), 'no domain keys without a domain');
    });

    it('offers the domain keys of the given domain, and domain names inside domain="…"', () => {
      const { text, offset } = at('@poet(domain="financial_services", |)');
      const keys = poetCompletions(TextDocument.create('file:///m.na', 'dana', 1, text), offset, ctx, null).map((i) => i.label);
      assert.ok(keys.includes('max_rate') && keys.includes('currency') && !keys.includes('domain'));
      const d = at('@poet(domain="he|")');
      const names = poetCompletions(TextDocument.create('file:///m.na', 'dana', 1, d.text), d.offset, ctx, null);
      assert.deepEqual(names.map((i) => i.label), ['financial_services', 'healthcare']);
      assert.deepEqual((names[0]!.textEdit as { range: unknown }).range, { start: { line: 0, character: 14 }, end: { line: 0, character: 16 } });
    });

    it('offers the backoff keys not yet given inside backoff={…}', () => {
      const { text, offset } = at('@poet(backoff={"jitter": 0.1, "m|');
      const items = poetCompletions(TextDocument.create('file:///m.na', 'dana', 1, text), offset, ctx, null);
      assert.deepEqual(items.map((i) => i.label), ['initial_s', 'multiplier', 'max_s']);
      assert.equal(items[2]!.detail, 'number 0–600');
      assert.deepEqual((items[0]!.textEdit as { range: unknown }).range, { start: { line: 0, character: 31 }, end: { line: 0, character: 32 } });
    });

    it('offers the closed value sets', () => {
      const { text, offset } = at('@poet(fallback=|');
      assert.deepEqual(poetCompletions(TextDocument.create('file:///m.na', 'dana', 1, text), offset, ctx, null).map((i) => i.label), ['"raise"', '"original"']);
    });

    it('describes schemas from zod', () => {
      assert.equal(describeSchema(z.number().int().min(0).max(10)), 'integer 0–10');
      assert.equal(describeSchema(z.string().nullable()), 'string or None');
      assert.equal(describeSchema(z.enum(['a', 'b'])), '"a" | "b"');
    });
  });

  describe('document symbols', () => {
    const shape = (s: DocumentSymbol): unknown => [s.name, s.kind, ...(s.children?.length ? [s.children.map(shape)] : [])];

    it('nests functions under functions, and fields and methods under their struct (Dana)', () => {
      const pd = parse(`struct Account:
    balance: float

    def deposit(amount: float) -> float:
        return amount

struct Point:
    x: int = 0

def outer(x: int) -> int:
    def inner(y: int) -> int:
        return y
    return inner(x)

def (a: Account) withdraw(amount: float) -> float:
    return a.balance - amount

sync def tick():
    pass
`);
      const syms = documentSymbols(pd);
      assert.deepEqual(syms.map(shape), [
        ['Account', SymbolKind.Struct, [['balance', SymbolKind.Field], ['deposit', SymbolKind.Method]]],
        ['Point', SymbolKind.Struct, [['x', SymbolKind.Field]]],
        ['outer', SymbolKind.Function, [['inner', SymbolKind.Function]]],
        ['(Account) withdraw', SymbolKind.Method],
        ['tick', SymbolKind.Function],
      ]);
      const account = syms[0]!;
      assert.deepEqual(account.range, { start: { line: 0, character: 0 }, end: { line: 4, character: 21 } });
      assert.deepEqual(account.selectionRange, { start: { line: 0, character: 7 }, end: { line: 0, character: 14 } });
      assert.equal(account.children![0]!.detail, 'float');
      const outer = syms[2]!;
      assert.equal(outer.detail, '(x: int) -> int');
      assert.deepEqual(outer.selectionRange, { start: { line: 9, character: 4 }, end: { line: 9, character: 9 } });
      assert.equal(syms[4]!.detail, 'sync ()');
    });

    it('still nests methods under their struct when the file has a syntax error elsewhere', () => {
      const pd = parse('struct Account:\n    balance: float\n\n    def deposit(amount: float) -> float:\n        return amount\n\ndef broken(:\n    pass\n');
      const syms = documentSymbols(pd);
      assert.deepEqual(syms[0] && shape(syms[0]), ['Account', SymbolKind.Struct, [['deposit', SymbolKind.Method]]]);
    });

    it('shows Python class methods under their class', () => {
      const syms = documentSymbols(parse('class A:\n    def m(self):\n        return 1\n', 'py'));
      assert.equal(syms[0]!.name, 'A');
      assert.equal(syms[0]!.kind, SymbolKind.Class);
      assert.equal(syms[0]!.children![0]!.name, 'm');
    });
  });

  describe('settings', () => {
    it('falls back to defaults for missing or ill-typed values', () => {
      // The server reads the `poet` section as workspace/configuration returns it (nested).
      const read = (section: unknown) => readSettings(sectionGetter(section)).settings;
      assert.deepEqual(settingsConfigLayer(read(undefined)), {});
      assert.equal(read(undefined).codeLens, 'decorated');
      const bad = read({ codeLens: 'sometimes', defaultDomain: '  ', retries: '3' });
      assert.deepEqual([bad.codeLens, bad.defaultDomain, bad.retries], ['decorated', '', 2]);
      assert.deepEqual(settingsConfigLayer(read({ codeLens: 'all', defaultDomain: 'healthcare', retries: 4, timeout: 2 })), { domain: 'healthcare', retries: 4, timeout: 2 });
      assert.equal(read({ service: { port: 8123 } }).servicePort, 8123);
    });
  });
});

describe('LSP features on arbitrary text (fast-check)', () => {
  // Text made of the pieces that matter to these features, so the properties reach deep.
  const piece = fc.constantFrom('@poet(', '@poet', ')', '(', '"', "'", 'domain=', 'retries=', '3', '"x"', ', ', '{', '}', '\n', '    ', 'def f(x):', 'return x', 'struct S:', '# c', 'backoff={"', ':', '=', 'sync ', 'f"{', '\\');
  const text = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));

  it('diagnostics, lenses, hover and symbols never throw and stay inside the document', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.nat(), async (t, n) => {
        const pd = parse(t);
        const end = pd.doc.positionAt(t.length);
        const inside = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): boolean =>
          r.start.line <= r.end.line && r.end.line <= end.line && pd.doc.offsetAt(r.start) <= pd.doc.offsetAt(r.end);
        for (const d of computeDiagnostics(pd, ctx, [])) assert.ok(inside(d.range), JSON.stringify(d));
        for (const s of documentSymbols(pd)) assert.ok(inside(s.range) && inside(s.selectionRange));
        await codeLenses(pd, { mode: 'all', stored: [], sourceFile: 'm.na', folderUri: undefined, metrics: async () => undefined, matchingVersion: async () => undefined });
        await hover(pd, pd.doc.positionAt(n % (t.length + 1)), { ctx, settings: {}, stored: async () => undefined, metrics: async () => undefined });
      }),
      { numRuns: 300 },
    );
  });

  it('completion never throws and only replaces text before the cursor', () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const offset = n % (t.length + 1);
        const doc = TextDocument.create('file:///m.na', 'dana', 1, t);
        for (const item of poetCompletions(doc, offset, ctx, null)) {
          const r = (item.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } }).range;
          assert.ok(doc.offsetAt(r.start) <= offset && doc.offsetAt(r.end) === offset);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the shipped examples/ workspace', () => {
  it('raises no diagnostics, and every file has an outline', () => {
    const root = path.resolve(__dirname, '../../examples');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(na|py)$/.test(f) && !f.startsWith('.dana'));
    assert.ok(files.length >= 4, `examples: ${files.join(', ')}`);
    const real = editorDomainContext(root);
    for (const f of files) {
      const doc = TextDocument.create(`file://${path.join(root, f)}`, f.endsWith('.na') ? 'dana' : 'python', 1, readFileSync(path.join(root, f), 'utf8'));
      const pd = parseDocument(doc)!;
      assert.deepEqual(computeDiagnostics(pd, real, []).map((d) => `${d.range.start.line + 1}: ${String(d.message)}`), [], f);
      assert.ok(documentSymbols(pd).length > 0, f);
    }
  });
});
