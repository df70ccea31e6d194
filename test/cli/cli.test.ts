import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, EXAMPLES, jsonLines, poet } from './run';

const CORE_FIELDS = [
  'name', 'kind', 'line', 'start_line', 'end_line', 'receiver', 'params', 'return_type', 'decorators', 'docstring', 'parents',
];

describe('CLI (dist/cli.js)', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    build();
    dir = await mkdtemp(join(tmpdir(), 'poet-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('help and usage errors', () => {
    it('lists the commands for help, --help and -h', async () => {
      for (const arg of ['help', '--help', '-h']) {
        const r = await poet([arg]);
        assert.equal(r.code, 0, arg);
        assert.match(r.stdout, /^Usage: poet COMMAND/);
        assert.match(r.stdout, /\n {2}functions +print the functions/);
        assert.match(r.stdout, /\n {2}check +report syntax errors/);
      }
    });

    it("prints a command's usage for help NAME and NAME --help", async () => {
      const a = await poet(['help', 'check']);
      const b = await poet(['check', '--help']);
      assert.equal(a.code, 0);
      assert.equal(b.code, 0);
      assert.equal(a.stdout, b.stdout);
      assert.match(a.stdout, /^Usage: poet check FILE\.\.\./);
    });

    it('exits 2 with the overview on stderr when no command is given', async () => {
      const r = await poet([]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /Usage: poet COMMAND/);
    });

    it('rejects an unknown command in one line with a suggestion', async () => {
      const r = await poet(['fucntions', 'x.py']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `poet: unknown command 'fucntions'. Did you mean "functions"? Run 'poet help' for the list.\n`);
      const h = await poet(['help', 'nope']);
      assert.equal(h.code, 2);
    });

    it('rejects an unknown option in one line, naming the valid ones', async () => {
      const r = await poet(['functions', '--fulll', 'x.py']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `poet functions: unknown option '--fulll'. Did you mean "--full"? Options: --full.\n`);
    });

    it('wants exactly one file for functions and at least one for check', async () => {
      const none = await poet(['functions']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^poet functions: expected exactly one FILE, got 0\./);
      const two = await poet(['functions', 'a.py', 'b.py']);
      assert.equal(two.code, 2);
      const check = await poet(['check']);
      assert.equal(check.code, 2);
      assert.match(check.stderr, /^poet check: expected at least one FILE/);
    });
  });

  describe('functions', () => {
    it('prints one JSON object per Python function, with the core fields first and in order', async () => {
      const r = await poet(['functions', 'finance/portfolio.py'], EXAMPLES);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const rows = jsonLines(r.stdout);
      assert.deepEqual(rows.map((f) => f.name), ['portfolio_return', 'annualized_volatility', 'rebalance_trades']);
      for (const row of rows) assert.deepEqual(Object.keys(row).slice(0, CORE_FIELDS.length), CORE_FIELDS);
      const trades = rows[2]!;
      assert.equal(trades.kind, 'def');
      assert.equal(trades.receiver, null);
      assert.equal(trades.return_type, 'dict[str, float]');
      assert.deepEqual(trades.params, [
        { name: 'holdings', type: 'Mapping[str, float]', default: null },
        { name: 'targets', type: 'Mapping[str, float]', default: null },
        { name: '*', type: null, default: null },
        { name: 'min_trade', type: 'float', default: '50.0' },
      ]);
      assert.deepEqual(trades.decorators, [
        {
          name: 'poet',
          args: 'domain="financial_services", retries=1, timeout=2.5, optimize_for="accuracy"',
          kwargs: { domain: 'financial_services', retries: 1, timeout: 2.5, optimize_for: 'accuracy' },
          line: trades.start_line,
        },
      ]);
      assert.equal(trades.line, (trades.start_line as number) + 1);
      assert.ok((trades.end_line as number) > (trades.line as number));
      assert.match(trades.docstring as string, /^"""Cash amount to buy/);
      assert.deepEqual(trades.parents, []);
    });

    it('reports parents and async defs', async () => {
      const r = await poet(['functions', 'building/hvac.py'], EXAMPLES);
      assert.equal(r.code, 0, r.stderr);
      const rows = jsonLines(r.stdout);
      assert.deepEqual(rows.map((f) => [f.name, f.kind, f.parents]), [
        ['reset', 'def', ['PidState']],
        ['pid_step', 'def', []],
        ['dew_point_c', 'def', []],
        ['cooling_energy_kwh', 'async def', []],
      ]);
    });

    it('prints Dana functions in the same shape', async () => {
      const r = await poet(['functions', 'finance/loans.na'], EXAMPLES);
      assert.equal(r.code, 0, r.stderr);
      const rows = jsonLines(r.stdout);
      assert.deepEqual(rows.map((f) => f.name), ['assess_loan_risk', 'interest_rate', 'monthly_payment', 'quote_loan']);
      for (const row of rows) assert.deepEqual(Object.keys(row).slice(0, CORE_FIELDS.length), CORE_FIELDS);
      assert.deepEqual((rows[0]!.decorators as Array<{ kwargs: unknown }>)[0]!.kwargs, {
        domain: 'financial_services',
        retries: 2,
        timeout: 10,
      });
      const hvac = jsonLines((await poet(['functions', 'building/hvac.na'], EXAMPLES)).stdout);
      const method = hvac.find((f) => f.name === 'needs_dehumidification')!;
      assert.deepEqual(method.receiver, { name: 'r', type: 'ZoneReading' });
    });

    it('prints the whole model with --full', async () => {
      const r = await poet(['functions', '--full', 'numeric/geometry.py'], EXAMPLES);
      assert.equal(r.code, 0, r.stderr);
      const rows = jsonLines(r.stdout);
      const distance = rows.find((f) => f.name === 'distance')!;
      assert.match(distance.source as string, /^def distance\(a: Point, b: Point, \/\) -> float:/);
      assert.ok('range' in distance && 'header_range' in distance && 'body_range' in distance && 'name_range' in distance);
    });

    it('prints what it could read from a broken file, the errors on stderr, and exits 1', async () => {
      const file = join(dir, 'broken.py');
      await writeFile(file, 'def good(a):\n    return a\n\ndef bad(x:\n    return 1\n');
      const r = await poet(['functions', file]);
      assert.equal(r.code, 1);
      assert.deepEqual(jsonLines(r.stdout).map((f) => f.name), ['good', 'bad']);
      assert.equal(r.stderr, `${file}:4:8: '(' was never closed\n${file}:5:5: expected a type annotation before "return"\n`);
    });

    it('prints nothing for a file without functions, including an empty one', async () => {
      const file = join(dir, 'empty.py');
      await writeFile(file, '');
      const r = await poet(['functions', file]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    });
  });

  describe('check', () => {
    it('prints nothing and exits 0 for the examples', async () => {
      const files = ['finance/loans.na', 'finance/portfolio.py', 'building/hvac.na', 'building/hvac.py', 'text/summarize.na', 'text/prompts.py', 'numeric/stats.na', 'numeric/geometry.py'];
      const r = await poet(['check', ...files], EXAMPLES);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    });

    it('prints FILE:LINE:COL: message per syntax error and exits 1', async () => {
      const py = join(dir, 'errors.py');
      await writeFile(py, 'x = "open\ndef f():\nreturn 1\n');
      const na = join(dir, 'errors.na');
      await writeFile(na, 'def f(a, b,):\n    return a\n');
      const r = await poet(['check', py, na]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '');
      const lines = r.stdout.trimEnd().split('\n');
      assert.deepEqual(lines.slice(0, 2), [`${py}:1:5: unterminated string literal`, `${py}:3:1: expected an indented block before "return"`]);
      assert.ok(lines.slice(2).some((l) => l.startsWith(`${na}:1:`)), r.stdout);
      for (const l of lines) assert.match(l, /^.+:\d+:\d+: \S/);
    });

    it('reports the file name a person typed, relative paths included', async () => {
      await mkdir(join(dir, 'sub'), { recursive: true });
      await writeFile(join(dir, 'sub', 'e.py'), 'def f(:\n    pass\n');
      const r = await poet(['check', 'sub/e.py'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^sub\/e\.py:1:\d+: /);
    });

    it('exits 2 for a missing file, a directory or an unknown extension, and still checks the rest', async () => {
      const bad = join(dir, 'bad.py');
      await writeFile(bad, 'def f(:\n    pass\n');
      const r = await poet(['check', join(dir, 'missing.py'), dir, join(dir, 'notes.txt'), bad]);
      assert.equal(r.code, 2);
      const errs = r.stderr.trimEnd().split('\n');
      assert.deepEqual(errs, [
        `poet check: ${join(dir, 'missing.py')}: cannot read: no such file`,
        `poet check: ${dir}: no file extension; expected a Dana (.na) or Python (.py) file`,
        `poet check: ${join(dir, 'notes.txt')}: unknown file type '.txt'; expected a Dana (.na) or Python (.py) file`,
      ]);
      assert.match(r.stdout, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:`));
    });

    it('exits 2 for a directory named like a source file, and for an unreadable file', async function () {
      const d = join(dir, 'folder.py');
      await mkdir(d, { recursive: true });
      const r = await poet(['functions', d]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `poet functions: ${d}: cannot read: is a directory, not a file\n`);
      if (process.getuid?.() === 0) this.skip(); // root reads anything
      const locked = join(dir, 'locked.py');
      await writeFile(locked, 'def f(): pass\n');
      await chmod(locked, 0o000);
      const u = await poet(['check', locked]);
      assert.equal(u.code, 2);
      assert.equal(u.stderr, `poet check: ${locked}: cannot read: permission denied\n`);
    });

    it('reads CRLF, a BOM and binary data without crashing', async () => {
      const crlf = join(dir, 'crlf.py');
      await writeFile(crlf, '\ufeffdef f(x):\r\n    return x\r\n');
      const ok = await poet(['functions', crlf]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(jsonLines(ok.stdout).map((f) => [f.name, f.line, f.end_line]), [['f', 1, 2]]);
      const bin = join(dir, 'binary.py');
      await writeFile(bin, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31 + 7) % 256)));
      const b = await poet(['check', bin]);
      assert.equal(b.code, 1);
      assert.ok(!/internal/.test(b.stdout + b.stderr));
    });
  });
});
