// The Dana TextMate grammar and language configuration, tokenized by vscode-textmate with
// oniguruma (VS Code's own engine). Each case is a Dana lexical fact from the language notes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scopesOf, tokenize, type Token } from './tokenize';

const has = (scopes: string[], scope: string): boolean => scopes.some((s) => s === scope || s.startsWith(scope + '.'));
const inner = (scopes: string[]): string => scopes[scopes.length - 1] ?? '';

describe('Dana TextMate grammar (source.dana)', () => {
  it('scopes comments, and only `#` comments (// is floor division)', async () => {
    const t = await tokenize('x = 7 // 2  # half\n');
    assert.ok(has(scopesOf(t, '//'), 'keyword.operator.arithmetic.dana'));
    assert.ok(has(scopesOf(t, ' half'), 'comment.line.number-sign.dana'));
  });

  it('scopes @poet(...) as a decorator with keyword arguments, nested brackets included', async () => {
    const t = await tokenize('@poet(domain="finance", retries=3, backoff={"max_s": (1 + 2)})\ndef f(x):\n    return x\n');
    assert.equal(inner(scopesOf(t, 'poet')), 'entity.name.function.decorator.dana');
    assert.equal(inner(scopesOf(t, 'retries')), 'variable.parameter.function-call.dana');
    assert.ok(has(scopesOf(t, '3'), 'meta.function.decorator.dana'));
    // the `)` of (1 + 2) does not end the decorator: the last `)` does
    const closers = t.filter((x) => x.text === ')' && x.line === 0);
    assert.equal(inner(closers[closers.length - 1]!.scopes), 'punctuation.definition.arguments.end.dana');
    assert.ok(!has(scopesOf(t, 'def'), 'meta.function.decorator.dana'));
  });

  it('scopes def, sync def and receiver defs with name, receiver, parameters and types', async () => {
    const t = await tokenize('sync def (acct: Account | Other) withdraw(amount: float = 1.0, tags: dict[str, any] = {}) -> float:\n    pass\n');
    assert.equal(inner(scopesOf(t, 'sync')), 'storage.modifier.sync.dana');
    assert.equal(inner(scopesOf(t, 'def')), 'storage.type.function.dana');
    assert.equal(inner(scopesOf(t, 'acct')), 'variable.parameter.receiver.dana');
    assert.equal(inner(scopesOf(t, 'Account')), 'entity.name.type.dana');
    assert.equal(inner(scopesOf(t, 'withdraw')), 'entity.name.function.dana');
    assert.equal(inner(scopesOf(t, 'amount')), 'variable.parameter.function.dana');
    assert.equal(inner(scopesOf(t, 'float')), 'support.type.dana');
    assert.equal(inner(scopesOf(t, 'any')), 'support.type.dana');
    assert.equal(inner(scopesOf(t, '1.0')), 'constant.numeric.float.dana');
    assert.ok(has(scopesOf(t, 'float', 1), 'meta.function.return-type.dana'));
  });

  it('scopes a declarative def and its composition', async () => {
    const t = await tokenize('def f(x: int) -> int = double | inc as y | [g, h($$)]\n');
    assert.equal(inner(scopesOf(t, 'f')), 'entity.name.function.dana');
    assert.equal(inner(scopesOf(t, '|')), 'keyword.operator.pipe.dana');
    assert.equal(inner(scopesOf(t, '$$')), 'variable.language.placeholder.dana');
  });

  it('ends a "…" string at the end of the line, even after a backslash', async () => {
    const t = await tokenize('a = "open \\\nb = 1\n');
    const b = t.find((x) => x.line === 1 && x.text.includes('b'));
    assert.ok(b && !b.scopes.some((s) => s.startsWith('string')), `b is outside the string: ${JSON.stringify(b)}`);
  });

  it("lets '…', f\"…\", r\"…\" and triple-quoted strings span lines", async () => {
    for (const [src, scope] of [
      ["a = 'one\ntwo'\n", 'string.quoted.single.dana'],
      ['a = f"one\ntwo"\n', 'string.quoted.double.f.dana'],
      ['a = r"one\ntwo"\n', 'string.quoted.raw.double.dana'],
      ['a = """one\ntwo"""\n', 'string.quoted.triple.dana'],
      ["a = f'''one\ntwo'''\n", 'string.quoted.triple.f.dana'],
    ] as const) {
      const t = await tokenize(src);
      assert.ok(has(scopesOf(t, 'two'), scope), `${JSON.stringify(src)}: ${scopesOf(t, 'two').join(' ')}`);
    }
  });

  it('ignores escapes in triple-quoted strings: the first closing triple ends it', async () => {
    const t = await tokenize('a = """x \\""" b = 1\n');
    const b = t.find((x) => x.text.includes('b'));
    assert.ok(b && !b.scopes.some((s) => s.startsWith('string')));
  });

  it('scopes f-string fields, {{ }} and format specs; a same-kind quote inside {…} ends the string', async () => {
    const t = await tokenize('a = f"{total:.2f} {{lit}} {d[\'k\']}"\n');
    assert.ok(has(scopesOf(t, 'total'), 'meta.embedded.expression.dana'));
    assert.equal(inner(scopesOf(t, ':.2f')), 'storage.type.format.dana');
    assert.equal(inner(scopesOf(t, '{{')), 'constant.character.escape.brace.dana');
    assert.ok(has(scopesOf(t, 'k'), 'string.quoted.single.dana'));
    // as in Dana's lexer: f"{d[ is the whole f-string, k is outside, "]}" is a new string
    const t2 = await tokenize('a = f"{d["k"]}"\n');
    assert.ok(!scopesOf(t2, 'k').some((s) => s.startsWith('string')), scopesOf(t2, 'k').join(' '));
    assert.ok(has(scopesOf(t2, ']}'), 'string.quoted.double.dana'));
  });

  it('keeps a backslash in a raw string from closing it, without an escape scope', async () => {
    const t = await tokenize('a = r"x\\"y" + 1\n');
    assert.ok(has(scopesOf(t, 'y'), 'string.quoted.raw.double.dana'));
    assert.ok(!t.some((x) => has(x.scopes, 'constant.character.escape.dana')));
  });

  it('scopes keywords, scope prefixes, literals, numbers, lambda and reserved-but-rejected words', async () => {
    const t = await tokenize('private:x = lambda v :: v ** 2 if true else NULL\nn = .5 + 5. + 1e5 + 2.5E-3 + 42\nyield x\n');
    assert.equal(inner(scopesOf(t, 'private')), 'keyword.other.scope.dana');
    assert.equal(inner(scopesOf(t, 'lambda')), 'storage.type.function.lambda.dana');
    assert.equal(inner(scopesOf(t, '::')), 'keyword.operator.lambda.dana');
    assert.equal(inner(scopesOf(t, 'true')), 'constant.language.boolean.dana');
    assert.equal(inner(scopesOf(t, 'NULL')), 'constant.language.null.dana');
    for (const n of ['.5', '5.', '1e5', '2.5E-3']) assert.equal(inner(scopesOf(t, n)), 'constant.numeric.float.dana', n);
    assert.equal(inner(scopesOf(t, '42')), 'constant.numeric.integer.dana');
    assert.equal(inner(scopesOf(t, 'yield')), 'invalid.illegal.reserved.dana');
  });

  it('scopes struct-like definitions and imports', async () => {
    const t: Token[] = await tokenize('agent_blueprint Helper:\n    name: str\nfrom .a.b import x as y\nimport math.py as m\n');
    assert.equal(inner(scopesOf(t, 'agent_blueprint')), 'storage.type.class.dana');
    assert.equal(inner(scopesOf(t, 'Helper')), 'entity.name.type.class.dana');
    assert.equal(inner(scopesOf(t, '.a.b')), 'entity.name.namespace.dana');
    assert.equal(inner(scopesOf(t, 'math.py')), 'entity.name.namespace.dana');
    assert.equal(inner(scopesOf(t, 'm')), 'entity.name.alias.dana');
  });
});

describe('Dana language configuration', () => {
  const conf = JSON.parse(readFileSync(path.resolve(__dirname, '../../extension/language/language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string; blockComment?: unknown };
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: Array<{ beforeText: string; action: { indent: string } }>;
  };

  it('uses # line comments and no block comments (Dana has none)', () => {
    assert.equal(conf.comments.lineComment, '#');
    assert.equal(conf.comments.blockComment, undefined);
  });

  it('indents after block headers, a trailing comment included, and not after other lines', () => {
    const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
    for (const l of ['def f(x):', 'sync def g():  # c', 'def (a: A) m() -> int:', 'if x > 1:', 'else:', 'struct P:', 'agent_blueprint B:', 'try:', 'except as e:', 'with f() as g:']) {
      assert.ok(inc.test(l), l);
    }
    for (const l of ['x = {"a": 1}', 'def f(x: int) -> int = g | h', 'return x', 'y = d[1:2]']) assert.ok(!inc.test(l), l);
    const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
    for (const l of ['    else:', '    elif x:', '  except Err as e:', 'finally:']) assert.ok(dec.test(l), l);
    assert.ok(!dec.test('    elsewhere = 1'));
  });

  it('dedents after return/raise/pass/break/continue on Enter', () => {
    const out = conf.onEnterRules.find((r) => r.action.indent === 'outdent');
    assert.ok(out);
    const re = new RegExp(out.beforeText);
    for (const l of ['    return x', '    raise', '    pass', '        break']) assert.ok(re.test(l), l);
    assert.ok(!re.test('    returned = 1'));
  });
});
