// Generated Python executed with the real python3: results equal the original's on valid
// input; Perceive converts only what the annotation says the original cannot take; Enforce
// checks the result; the version file holds the plan and imports an immutable runtime.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enhancedScript, generate, install, lines, python, setup, tempWorkspace, write } from './helpers';

const CALC = `import math

SCALE = 1.0


def safe_divide(a: float, b: float = 1.0) -> float:
    """Divides a by b (SCALE comes from this module)."""
    return a / b * SCALE


def root_log(x: float, y: float) -> float:
    return math.sqrt(x) + math.log(y)
`;

describe('generated Python: computation', function () {
  this.timeout(60_000);

  it('gives the original results on valid inputs and keeps the signature', async () => {
    const { ws } = await setup('calc.py', CALC, { domain: 'computation' }, 'safe_divide');
    const out = lines(
      await python(
        ws,
        enhancedScript('safe_divide', 'v1', [
          'import calc, inspect',
          'cases = [(10, 4), (3,), (-7.5, 2.5), (1e10, 3), (True, 2)]',
          'out([[e.safe_divide(*c), calc.safe_divide(*c)] for c in cases])',
          'out(str(inspect.signature(e.safe_divide)))',
          'out(e.safe_divide.__doc__)',
        ].join('\n')),
      ),
    );
    for (const [got, want] of out[0] as number[][]) assert.equal(got, want);
    assert.equal(out[1], '(a: float, b: float = 1.0) -> float');
    assert.match(String(out[2]), /SCALE comes from this module/);
  });

  it('rejects zero divisors, NaN, wrong types and sqrt/log domains with PerceiveError naming function, parameter, value and rule', async () => {
    const { ws } = await setup('calc.py', CALC, { domain: 'computation' }, 'safe_divide');
    const out = lines(
      await python(ws, enhancedScript('safe_divide', 'v1', [
        'err(e.safe_divide, 1, 0)', 'err(e.safe_divide, float("nan"), 1)', 'err(e.safe_divide, "x", 1)', 'err(e.safe_divide, None, 1)',
        'out([issubclass(type(x), t) for x, t in [(e.PerceiveError("m"), ValueError)]])',
        'try:\n    e.safe_divide(1, 0)\nexcept ZeroDivisionError as x:\n    out(["ZeroDivisionError caught", x.rule])',
        'try:\n    e.safe_divide("x", 1)\nexcept TypeError as x:\n    out(["TypeError caught", x.param])',
      ].join('\n'))),
    ) as Array<{ error: string; message: string; phase: string }>;
    assert.deepEqual(out.slice(0, 4).map((o) => o.error), ['PerceiveZeroDivisionError', 'PerceiveError', 'PerceiveTypeError', 'PerceiveTypeError']);
    assert.equal(out[0]!.message, "[perceive] safe_divide: parameter 'b' = 0: must not be zero (computation: used as a divisor)");
    assert.match(out[1]!.message, /parameter 'a' = nan: must be a finite number/);
    assert.match(out[2]!.message, /parameter 'a' = 'x': expected float, got str/);
    assert.match(out[3]!.message, /parameter 'a' = None: must not be None/);
    assert.ok(out.slice(0, 4).every((o) => o.phase === 'perceive'));
    // What the original would have raised still catches POET's rejection.
    assert.deepEqual(out.slice(5), [['ZeroDivisionError caught', 'computation: used as a divisor'], ['TypeError caught', 'a']]);

    const r2 = await setup('calc.py', CALC, { domain: 'computation' }, 'root_log');
    const out2 = lines(await python(r2.ws, enhancedScript('root_log', 'v1', 'err(e.root_log, -1, 1)\nerr(e.root_log, 4, 0)\nerr(e.root_log, 4, 1)'))) as Array<Record<string, unknown>>;
    assert.match(String(out2[0]!.message), /parameter 'x' = -1: must be at least 0 \(computation: square root/);
    assert.match(String(out2[1]!.message), /parameter 'y' = 0: must be greater than 0 \(computation: logarithm/);
    assert.deepEqual(out2[2], { ok: 2 });
  });
});

const LOANS = `def monthly_cost(debt_to_income: float, income: float, credit_score: int) -> float:
    return round(debt_to_income * income / 12.0 + credit_score / 1000.0, 6)


def label(channel: str) -> str:
    return "<" + channel + ">"
`;

describe('generated Python: Perceive never changes a valid value', function () {
  this.timeout(60_000);

  it('passes values of the annotated type through untouched and converts only what the original cannot take', async () => {
    const { ws } = await setup('loans.py', LOANS, { domain: 'financial_services' }, 'monthly_cost');
    const out = lines(await python(ws, enhancedScript('monthly_cost', 'v1', [
      'import loans',
      // 1.2 is a real debt-to-income (debt is 120% of income): the same answer as the original, not a rescaled one.
      'out([e.monthly_cost(1.2, 60000, 700), loans.monthly_cost(1.2, 60000, 700)])',
      'out([e.monthly_cost(0.25, 60000.0, 700), loans.monthly_cost(0.25, 60000.0, 700)])',
      // Strings the annotation says the original cannot take are converted; "25%" is 0.25, "$60K" 60000.
      'out(e.monthly_cost("25%", "$60K", "excellent"))',
      'out(loans.monthly_cost(0.25, 60000.0, 780))',
      // Out of the domain's range: rejected loudly, naming the parameter and the rule.
      'err(e.monthly_cost, 12.0, 60000, 700)',
      'err(e.monthly_cost, 0.3, 60000, 900)',
    ].join('\n')))) as unknown[];
    assert.deepEqual(out[0], [(out[0] as number[])[1], (out[0] as number[])[1]]);
    assert.deepEqual(out[1], [(out[1] as number[])[1], (out[1] as number[])[1]]);
    assert.equal(out[2], out[3]);
    const tooHigh = out[4] as { error: string; message: string };
    assert.equal(tooHigh.error, 'PerceiveError');
    assert.match(tooHigh.message, /parameter 'debt_to_income' = 12\.0: must be at most 10 \(financial_services: debt-to-income/);
    assert.match((out[5] as { message: string }).message, /parameter 'credit_score' = 900: must be at most 850/);
  });

  it('hands the original the very object it was given', async () => {
    const text = 'def ident(items: list, name: str, n: float) -> list:\n    return [items, name, n]\n';
    const { ws } = await setup('ident.py', text, { domain: 'computation' });
    const out = lines(await python(ws, enhancedScript('ident', 'v1', [
      'items, name, n = [1, 2], "  padded  ", 3',
      'r = e.ident(items, name, n)',
      'out([r[0] is items, r[1] is name, r[2] is n, type(r[2]).__name__])',
    ].join('\n'))));
    assert.deepEqual(out[0], [true, true, true, 'int']);
  });

  it('text normalisers shape only what a check compares, never the value passed on', async () => {
    const ws = tempWorkspace();
    write(ws, '.dana/poet/domains/shop.json', JSON.stringify({ inputs: [{ params: ['channel'], normalize: ['strip', 'lower'], enum: ['web', 'store'] }] }));
    write(ws, 'shop.py', LOANS);
    install(ws, 'label', 'v1', await generate({ ws, file: 'shop.py', text: LOANS, language: 'python', name: 'label', config: { domain: 'shop' } }));
    const out = lines(await python(ws, enhancedScript('label', 'v1', 'err(e.label, " Web ")\nerr(e.label, "phone")')));
    assert.deepEqual(out[0], { ok: '< Web >' });
    assert.match((out[1] as { message: string }).message, /must be one of 'web', 'store'/);
  });
});

const ENFORCE = `def bad_output(x: int) -> float:
    return "not a number"


def counts(x: int) -> int:
    return x
`;

describe('generated Python: Enforce', function () {
  this.timeout(60_000);

  it('rejects a result that breaks the return annotation, and accepts what Python accepts (True is an int)', async () => {
    const { ws } = await setup('out.py', ENFORCE, {}, 'bad_output');
    const [r] = lines(await python(ws, enhancedScript('bad_output', 'v1', 'err(e.bad_output, 1)'))) as Array<Record<string, unknown>>;
    assert.equal(r!.error, 'EnforceError');
    assert.equal(r!.phase, 'enforce');
    assert.match(String(r!.message), /result 'not a number': expected float, got str/);
    const c = await setup('out.py', ENFORCE, {}, 'counts');
    assert.deepEqual(lines(await python(c.ws, enhancedScript('counts', 'v1', 'err(e.counts, True)'))), [{ ok: true }]);
  });
});

describe('generated Python: the version file', function () {
  this.timeout(60_000);

  it('holds the plan and a thin wrapper, imports one immutable runtime, and starts with a fixed encoding line', async () => {
    const { ws, result } = await setup('calc.py', CALC, { domain: 'computation' }, 'safe_divide');
    const code = result.code.split('\n');
    assert.equal(code[0], '# -*- coding: utf-8 -*-');
    assert.ok(code.length < 140, `enhanced.py has ${code.length} lines`);
    assert.match(result.runtime[0]!.path, /^runtime\/python\/poet_runtime_[0-9a-f]{12}\.py$/);
    assert.ok(result.code.includes(result.runtime[0]!.path.split('/').pop()!));
    const runtimes = readdirSync(join(ws, '.dana/poet/runtime/python'));
    assert.deepEqual(runtimes, [result.runtime[0]!.path.split('/').pop()]);
    assert.equal(readFileSync(join(ws, '.dana/poet', result.runtime[0]!.path), 'utf8'), readFileSync(join(__dirname, '../../python/poet/runtime.py'), 'utf8'));
  });

  it('keeps an old version working with the runtime it was generated with', async () => {
    const { ws, result } = await setup('calc.py', CALC, {}, 'safe_divide');
    // An "upgrade": v2 was generated with another runtime; v1's file still names its own.
    const other = { ...result.runtime[0]!, path: 'runtime/python/poet_runtime_000000000000.py', text: result.runtime[0]!.text.replace('RUNTIME_VERSION = "', 'RUNTIME_VERSION = "next-') };
    install(ws, 'safe_divide', 'v2', { ...result, runtime: [other], code: result.code.replaceAll(result.runtime[0]!.module, 'poet_runtime_000000000000') });
    const out = lines(await python(ws, [
      'import importlib.util, json',
      'def load(v):',
      '    spec = importlib.util.spec_from_file_location("e" + v, ".dana/poet/functions/safe_divide/%s/enhanced.py" % v)',
      '    m = importlib.util.module_from_spec(spec)',
      '    spec.loader.exec_module(m)',
      '    return m',
      'a, b = load("v1"), load("v2")',
      'print(json.dumps([a.safe_divide(6, 3), b.safe_divide(6, 3), a._poet_rt.RUNTIME_VERSION != b._poet_rt.RUNTIME_VERSION]))',
    ].join('\n')));
    assert.deepEqual(out[0], [2, 2, true]);
  });
});
