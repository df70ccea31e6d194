import assert from 'node:assert/strict';
import { parsePython } from '../../shared/python/index';
import { assertRangesConsistent, only, textOf } from './helpers';

describe('Python model: signatures', () => {
  it('reads names, annotations and defaults as source text', () => {
    const text = 'def f(a, b: int, c: list[dict[str, int]] = [], d: str = "x, y) -> z:", e=(1, 2)) -> dict[str, int]:\n    pass\n';
    const fn = only(parsePython(text), 'f');
    assert.deepEqual(
      fn.params.map((p) => [p.name, p.type, p.default]),
      [
        ['a', null, null],
        ['b', 'int', null],
        ['c', 'list[dict[str, int]]', '[]'],
        ['d', 'str', '"x, y) -> z:"'],
        ['e', null, '(1, 2)'],
      ],
    );
    assert.equal(fn.return_type, 'dict[str, int]');
    assert.equal(textOf(text, fn.params[3]!.range), 'd: str = "x, y) -> z:"');
  });

  it('names star parameters with their stars and keeps the / and * markers', () => {
    const fn = only(parsePython('def f(a, /, b, *args: str, c=1, **kw: int):\n    pass\ndef g(*, k):\n    pass\n'), 'f');
    assert.deepEqual(fn.params.map((p) => p.name), ['a', '/', 'b', '*args', 'c', '**kw']);
    assert.equal(fn.params[3]!.type, 'str');
    assert.equal(fn.params[5]!.type, 'int');
    const g = only(parsePython('def g(*, k):\n    pass\n'), 'g');
    assert.deepEqual(g.params.map((p) => p.name), ['*', 'k']);
  });

  it('handles parameter lists over several lines, with comments', () => {
    const text = 'def f(\n    a: int,  # first\n    b: str = "s",\n) -> None:\n    return None\n';
    const fn = only(parsePython(text), 'f');
    assert.deepEqual(fn.params.map((p) => [p.name, p.type, p.default]), [['a', 'int', null], ['b', 'str', '"s"']]);
    assert.equal(fn.line, 1);
    assert.equal(fn.end_line, 5);
    assert.equal(textOf(text, fn.header_range), 'def f(\n    a: int,  # first\n    b: str = "s",\n) -> None:');
  });

  it('tells def from async def and keeps lambdas out', () => {
    const parsed = parsePython('async def fetch(url: str) -> bytes:\n    return b""\nsquare = lambda x: x * x\ndef plain(): pass\n');
    assert.deepEqual(parsed.functions.map((f) => [f.name, f.kind]), [['fetch', 'async def'], ['plain', 'def']]);
    assert.equal(parsed.functions[0]!.language, 'python');
    assert.equal(parsed.functions[0]!.receiver, null);
    assert.equal(parsed.functions[0]!.composition, null);
  });
});

describe('Python model: decorators', () => {
  it('parses @poet keyword literals of every kind and keeps the argument text', () => {
    const text = [
      '@poet(domain="financial_services", retries=3, timeout=2.5, enable_training=True, fallback=None,',
      "      tags=['a', \"b\"], limits={'max': -1, 'min': 0x10}, pair=(1, 2.0), raw=r'\\d+', esc='a\\tb',",
      '      joined="ab" "cd", big=1_000, neg=+2)',
      'def f(x):',
      '    return x',
    ].join('\n');
    const fn = only(parsePython(text), 'f');
    const d = fn.decorators[0]!;
    assert.equal(d.name, 'poet');
    assert.equal(d.line, 1);
    assert.equal(fn.start_line, 1);
    assert.equal(fn.line, 4);
    assert.deepEqual(d.kwargs, {
      domain: 'financial_services',
      retries: 3,
      timeout: 2.5,
      enable_training: true,
      fallback: null,
      tags: ['a', 'b'],
      limits: { max: -1, min: 16 },
      pair: [1, 2],
      raw: '\\d+',
      esc: 'a\tb',
      joined: 'abcd',
      big: 1000,
      neg: 2,
    });
    assert.ok(d.args.startsWith('domain="financial_services", retries=3'));
    assert.ok(d.args.endsWith('neg=+2'));
    assert.deepEqual(d.keywords.map((k) => k.name).slice(0, 3), ['domain', 'retries', 'timeout']);
    assert.equal(textOf(text, d.keywords[0]!.nameRange), 'domain');
  });

  it('keeps non-literal arguments as source text, out of kwargs', () => {
    const text = '@poet(DOMAIN, domain=pick("x"), retries=n + 1, f=f"{a}", b=b"x", s={1, 2}, c=1j, *rest, **opts)\ndef f(): pass\n';
    const d = only(parsePython(text), 'f').decorators[0]!;
    assert.deepEqual(d.kwargs, {});
    assert.deepEqual(d.keywords.map((k) => [k.name, k.source, k.literal]), [
      ['domain', 'pick("x")', false],
      ['retries', 'n + 1', false],
      ['f', 'f"{a}"', false],
      ['b', 'b"x"', false],
      ['s', '{1, 2}', false],
      ['c', '1j', false],
    ]);
    assert.deepEqual(d.positional.map((p) => [p.source, p.literal]), [['DOMAIN', false], ['*rest', false], ['**opts', false]]);
  });

  it('reads positional literals, dotted names, bare decorators and stacks', () => {
    const text = '@app.route("/x", methods=["GET"])\n@poet.poet("computation")\n@staticmethod\ndef f(): pass\n';
    const fn = only(parsePython(text), 'f');
    assert.deepEqual(fn.decorators.map((d) => [d.name, d.line]), [['app.route', 1], ['poet.poet', 2], ['staticmethod', 3]]);
    assert.deepEqual(fn.decorators[1]!.positional.map((p) => p.value), ['computation']);
    assert.equal(fn.decorators[2]!.args, '');
    assert.equal(textOf(text, fn.decorators[0]!.range), '@app.route("/x", methods=["GET"])');
    assert.ok(fn.source.startsWith('@app.route'));
  });

  it('keeps a __proto__ keyword as a plain key', () => {
    const d = only(parsePython('@poet(__proto__={"x": 1})\ndef f(): pass\n'), 'f').decorators[0]!;
    assert.deepEqual(Object.keys(d.kwargs), ['__proto__']);
    assert.equal(Object.getPrototypeOf(d.kwargs), Object.prototype);
  });
});

describe('Python model: nesting, docstrings, bodies', () => {
  const text = [
    'class Account:',
    '    """A bank account."""',
    '',
    '    def withdraw(self, amount: float) -> float:',
    "        '''Take money out.'''",
    '        def check(x):',
    '            return x > 0',
    '        return amount',
    '        # done withdrawing',
    '',
    '    class Audit:',
    '        async def log(self):',
    '            pass',
    '# top-level comment, not part of log',
    'def after():',
    '    f"not a docstring"',
    '    return 1  # trailing',
    '',
  ].join('\n');
  const parsed = parsePython(text);

  it('lists enclosing defs and classes, outermost first', () => {
    assert.deepEqual(parsed.functions.map((f) => [f.name, f.parents]), [
      ['withdraw', ['Account']],
      ['check', ['Account', 'withdraw']],
      ['log', ['Account', 'Audit']],
      ['after', []],
    ]);
  });

  it('takes the docstring as written, and only a plain string literal', () => {
    assert.equal(only(parsed, 'withdraw').docstring, "'''Take money out.'''");
    assert.equal(only(parsed, 'check').docstring, null);
    assert.equal(only(parsed, 'after').docstring, null);
    const more = parsePython('def a():\n    r"""raw"""\ndef b():\n    "x" "y"\ndef c():\n    b"bytes"\n');
    assert.deepEqual(more.functions.map((f) => f.docstring), ['r"""raw"""', '"x" "y"', null]);
  });

  it('ends the body at its last statement, with the comments indented inside it', () => {
    const w = only(parsed, 'withdraw');
    assert.equal(w.line, 4);
    assert.equal(w.end_line, 9);
    assert.ok(w.source.endsWith('# done withdrawing'));
    assert.equal(textOf(text, w.body_range).split('\n')[0], "'''Take money out.'''");
    const log = only(parsed, 'log');
    assert.equal(log.end_line, 13);
    assert.equal(log.kind, 'async def');
    const after = only(parsed, 'after');
    assert.equal(after.start_line, 15);
    assert.equal(after.end_line, 17);
    assert.ok(after.source.endsWith('return 1  # trailing'));
  });

  it('gives a one-line def a body on the header line', () => {
    const t = 'def h(): return 2\n';
    const h = only(parsePython(t), 'h');
    assert.equal(textOf(t, h.header_range), 'def h():');
    assert.equal(textOf(t, h.body_range), 'return 2');
    assert.equal(h.end_line, 1);
  });

  it('keeps every range consistent with the text', () => {
    assertRangesConsistent(text, parsed);
    assert.deepEqual(parsed.errors, []);
  });
});
