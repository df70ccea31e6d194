// `poet build` and `poet run` on real temp workspaces, through the built CLI. The interpreter is a
// stand-in python3 script (the project's tests do not need Dana): it records how it was started
// and prints the kinds of messages Dana prints, with line numbers of the composed file, so the
// test sees them mapped back. A real service on 127.0.0.1 is found through its service file.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startService, type ServiceHandle } from '../../server/service/start';
import { memoryLogger } from '../service/helpers';
import { build, poet } from './run';

const APP = `# Prices in dollars.
import lib.rates as rates
from lib.fmt import money

@poet(retries=1)
def price(amount: float, currency: str) -> float:
    return round(amount * rates.get_rate(currency), 2)

print(money(price(100.0, "EUR")))
`;
const RATES = `import feed.py as feed

@poet(retries=2, timeout=5.0)
def get_rate(currency: str) -> float:
    value = feed.fetch(currency)
    return value

@poet(retries=1)
def spread(currency: str) -> float:
    return 0.01
`;
const FMT = `@poet(retries=1)
def money(x: float) -> str:
    return "$" + str(x)
`;

/**
 * Stands in for `dana`: prints one JSON line about its start, an ordinary program line, then an
 * error report as Dana writes one, naming lines of the composed file; exits 3.
 */
const STAND_IN = `#!/usr/bin/env python3
import json, os, sys
path = sys.argv[1]
lines = open(path).read().split("\\n")
def line_of(prefix):
    return next(i + 1 for i, l in enumerate(lines) if l.startswith(prefix))
# (paths with "|" for "/": a line naming a composed file would be mapped like the interpreter's messages)
print("START " + json.dumps({"argv": [a.replace("/", "|") for a in sys.argv[1:]], "cwd": os.getcwd(), "env": {k: os.environ.get(k) for k in ["DANAPATH", "POET_API_URL", "POET_API_KEY", "PYTHONUNBUFFERED"]}}))
print("report: line 7 of 9")
sys.stdout.flush()
call = line_of("print(money(")
wrapper = line_of("def price(")
print("=== FAILED ===")
print("=== Dana Runtime Error ===")
print("File: " + os.path.basename(path))
print("Error: SandboxError - Error executing statement 0 in function '__poet_original_price': boom")
print('Location: File "%s", line %d, column 7, in function call: print' % (path, call))
print("")
print("Execution Trace:")
print("1. Line %d, column 1, function call: print" % call)
print("2. Line %d, column 5, attribute access: py" % (wrapper + 2))
sys.stderr.write("%s:%d: a warning\\n" % (path, call))
sys.exit(3)
`;

function write(root: string, rel: string, text: string): string {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe('poet build and poet run (Dana programs)', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;
  let danaBin: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    build();
    tmp = mkdtempSync(join(tmpdir(), 'poet-dana-run-'));
    danaBin = join(tmp, 'bin');
    chmodSync(write(danaBin, 'dana', STAND_IN), 0o755);
    // No developer service, no inherited POET settings: each test says what it wants.
    env = { PATH: process.env.PATH, HOME: process.env.HOME, POET_RUNTIME_DIR: join(tmp, 'services'), POET_DANA: join(danaBin, 'dana') };
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  beforeEach(() => {
    ws = mkdtempSync(join(tmp, 'ws-'));
    write(ws, 'app/main.na', APP);
    write(ws, 'app/lib/rates.na', RATES);
    write(ws, 'app/lib/fmt.na', FMT);
    write(ws, 'app/lib/feed.py', 'def fetch(c):\n    return 1.08\n');
  });

  it('build composes the program and the modules it imports, under a mirror of its folder, and prints the path', async () => {
    const e = await poet(['enhance', 'app/lib/rates.na', '--workspace', '.'], ws, env);
    assert.equal(e.code, 0, e.stdout);
    const r = await poet(['build', 'app/main.na'], ws, env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '.dana/poet/build/app/main.na\n');
    assert.match(r.stderr, /run it with DANAPATH=\.dana\/poet\/runtime\/dana dana \.dana\/poet\/build\/app\/main\.na/);

    const rates = readFileSync(join(ws, '.dana/poet/build/app/lib/rates.na'), 'utf8');
    assert.doesNotMatch(rates, /^\s*@poet/m);
    assert.match(rates, /^def __poet_original_get_rate\(currency: str\) -> float:$/m);
    assert.match(rates, /^def get_rate\(currency: str\) -> float:$/m, 'the enhanced wrapper takes the name');
    assert.match(rates, /^import poet_runtime_[0-9a-f]{12} as __poet_runtime_[0-9a-f]{12}$/m);
    // The program's own Python module stays where it is: a first line puts its folder on sys.path.
    const main = readFileSync(join(ws, '.dana/poet/build/app/main.na'), 'utf8');
    assert.match(main, /^import poet_paths_[0-9a-f]{12}\.py\n# Prices in dollars\.\n/);
    const pathsFile = main.split('\n')[0]!.replace(/^import (\w+)\.py$/, '$1.py');
    assert.ok(readFileSync(join(ws, '.dana/poet/build/app', pathsFile), 'utf8').includes(JSON.stringify(join(ws, 'app', 'lib'))));
    // Unenhanced functions stay as written, and each is named.
    assert.equal(readFileSync(join(ws, '.dana/poet/build/app/lib/fmt.na'), 'utf8'), FMT.replace('@poet(retries=1)', ''));
    assert.match(r.stderr, /warning: app\/lib\/fmt\.na:2: money runs as its original: it has no enhanced version yet\. Enhance it with `poet enhance app\/lib\/fmt\.na --function money`, or run with --enhance\./);
    assert.doesNotMatch(r.stderr, /get_rate runs as its original/);
  });

  it('names a function edited since its version, and --enhance makes the versions first', async () => {
    assert.equal((await poet(['enhance', 'app/lib/rates.na'], ws, env)).code, 0);
    write(ws, 'app/lib/rates.na', RATES.replace('return 0.01', 'return 0.02'));
    const stale = await poet(['build', 'app/main.na'], ws, env);
    assert.match(stale.stderr, /app\/lib\/rates\.na:9: spread runs as its original: it changed since its current version v1 was generated/);
    assert.doesNotMatch(readFileSync(join(ws, '.dana/poet/build/app/lib/rates.na'), 'utf8'), /def __poet_original_spread/);

    write(ws, 'app/lib/fmt.na', FMT.replace('@poet(retries=1)', '@poet(domain="formatting", retries=1)'));
    const r = await poet(['build', 'app/main.na', '--enhance'], ws, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /enhanced spread v2/);
    assert.match(r.stderr, /enhanced money v1/);
    assert.match(r.stderr, /enhanced price v1/);
    // The only warning: what the service said about the domain it does not know.
    assert.deepEqual(r.stderr.split('\n').filter((l) => /warning/.test(l)).map((l) => l.replace(/: enhanced with.*/, '')), ['poet build: warning: app/lib/fmt.na:2: money: Unknown domain "formatting"']);
    assert.match(readFileSync(join(ws, '.dana/poet/build/app/lib/rates.na'), 'utf8'), /def __poet_original_spread\(currency: str\) -> float:\n {4}return 0\.02/);
  });

  it('run starts $POET_DANA on the composed program, passes ARGS, and maps paths and lines back in its messages', async () => {
    assert.equal((await poet(['enhance', 'app/main.na'], ws, env)).code, 0);
    const r = await poet(['run', 'app/main.na', '--', 'limit=3'], ws, { ...env, DANAPATH: '/opt/dana-libs' });
    assert.equal(r.code, 3, 'the program\'s exit status');
    const start = JSON.parse(r.stdout.split('\n')[0]!.replace(/^START /, '')) as { argv: string[]; cwd: string; env: Record<string, string | null> };
    assert.deepEqual(start.argv, [join(ws, '.dana/poet/build/app/main.na').replaceAll('/', '|'), 'limit=3']);
    assert.equal(start.cwd, ws);
    assert.equal(start.env.DANAPATH, ['/opt/dana-libs', join(ws, '.dana/poet/runtime/dana')].join(delimiter));
    assert.equal(start.env.PYTHONUNBUFFERED, '1');
    assert.equal(start.env.POET_API_URL, null, 'no service runs');
    assert.match(r.stderr, /poet run: app\/main\.na with price v1 enhanced; executions are not recorded: no POET service runs for \. \(start one with `poet serve --workspace \.`/);

    const out = r.stdout.split('\n');
    assert.equal(out[1], 'report: line 7 of 9', "the program's own output is untouched");
    // main.na line 9 is the print; in the composed file it comes after POET's import line and price's generated part.
    assert.ok(out.includes('Location: File "app/main.na", line 9, column 7, in function call: print'), r.stdout);
    assert.ok(out.includes('1. Line 9, column 1, function call: print'), r.stdout);
    assert.ok(out.includes("Error: SandboxError - Error executing statement 0 in function 'price': boom"), r.stdout);
    assert.match(r.stderr, /^app\/main\.na:9: a warning$/m);
    // A line POET generated is shown at the def it enhances, and said to be POET's.
    const trace = out.find((l) => l.startsWith('2. Line '));
    assert.equal(trace, "2. Line 6 (in POET's code for price), column 5, attribute access: py");
  });

  it("run reports to the workspace's service when one runs, and keeps POET_API_URL when it is set", async () => {
    const token = 'run-test-token';
    let svc: ServiceHandle | undefined;
    const prev = process.env.POET_RUNTIME_DIR;
    process.env.POET_RUNTIME_DIR = env.POET_RUNTIME_DIR;
    try {
      svc = await startService({ workspace: ws, port: 0, token, announce: true, logger: memoryLogger([]) });
      assert.equal((await poet(['enhance', 'app/main.na'], ws, env)).code, 0);
      const r = await poet(['run', 'app/main.na'], ws, env);
      const start = JSON.parse(r.stdout.split('\n')[0]!.replace(/^START /, '')) as { env: Record<string, string | null> };
      assert.equal(start.env.POET_API_URL, svc.url);
      assert.equal(start.env.POET_API_KEY, token);
      assert.match(r.stderr, new RegExp(`executions go to the POET service at ${svc.url.replace(/\./g, '\\.')}`));

      const own = await poet(['run', 'app/main.na'], ws, { ...env, POET_API_URL: 'http://127.0.0.1:9', POET_API_KEY: 'mine' });
      const ownStart = JSON.parse(own.stdout.split('\n')[0]!.replace(/^START /, '')) as { env: Record<string, string | null> };
      assert.deepEqual([ownStart.env.POET_API_URL, ownStart.env.POET_API_KEY], ['http://127.0.0.1:9', 'mine']);
    } finally {
      await svc?.close();
      if (prev === undefined) delete process.env.POET_RUNTIME_DIR;
      else process.env.POET_RUNTIME_DIR = prev;
    }
    // Closed: its service file is gone, and the next run finds no service.
    const after = await poet(['run', 'app/main.na'], ws, env);
    assert.match(after.stderr, /executions are not recorded/);
  });

  it('finds `dana` on PATH, and says how to get an interpreter when there is none', async () => {
    const onPath = await poet(['run', 'app/main.na'], ws, { ...env, POET_DANA: undefined, PATH: `${danaBin}${delimiter}${process.env.PATH}` });
    assert.equal(onPath.code, 3);
    assert.match(onPath.stdout, /^START /);

    const none = await poet(['run', 'app/main.na'], ws, { ...env, POET_DANA: undefined, PATH: join(tmp, 'empty') });
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^poet run: no Dana interpreter found: POET_DANA is not set and `dana` is not on PATH\. Install Dana \(`pip install dana`; it needs Python 3\.12 or later\) or set POET_DANA/);

    const bad = await poet(['run', 'app/main.na'], ws, { ...env, POET_DANA: join(ws, 'app/main.na') });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /POET_DANA is .*main\.na, which is not an executable file/);
  });

  it('refuses a file with syntax errors (FILE:LINE:COL), a file outside the workspace, and stray arguments', async () => {
    write(ws, 'app/lib/fmt.na', 'def money(x: float) -> str:\n    return (x\n');
    const syntax = await poet(['build', 'app/main.na'], ws, env);
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /^app\/lib\/fmt\.na:\d+:\d+: /m);
    assert.match(syntax.stderr, /poet build: app\/lib\/fmt\.na has syntax errors \(above\); fix them first\./);
    assert.ok(!existsSync(join(ws, '.dana/poet/build/app/main.na')), 'nothing half-built');

    const outside = write(tmp, 'elsewhere/x.na', 'print(1)\n');
    const o = await poet(['build', outside], ws, env);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /is not inside the workspace .*; pass the folder that holds it \(and its \.dana\/poet\/\) with --workspace DIR\./);

    const stray = await poet(['run', 'app/main.na', 'limit=3'], ws, env);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /unexpected argument 'limit=3'; pass the program's own arguments after --/);
  });
});
