// `npm run bench:runtime`: what an enhanced call costs over the original, next to what tenacity
// (Debian's python3-tenacity, the usual Python retry library) costs for the same retry policy,
// measured in one Python process, interleaved round by round.
//
// Functions: a 1-argument and a 2-argument function, each with the default config (2 retries,
// 30 s per attempt) and with a short timeout set (1 s). POET's versions are enhanced by the
// service's own pipeline and swapped in by the runtime hook, as users run them; tenacity gets
// stop_after_attempt(3) + exponential backoff + retry on the same transient errors (it has no
// per-attempt timeout; for the timeout rows it also gets stop_after_delay, its nearest option).
// Target: POET's overhead ≤ tenacity's.
//
// With DANA_ROOT set (the development oracle, ../shared/tools/dana), the same is measured for
// Dana in the real interpreter: an enhanced call over the original.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../server/service/logger';
import { createPipeline } from '../server/service/generators';
import { FileStore } from '../server/storage/file-store';
import { parseSource } from '../shared/source/parse';
import { composeDana } from '../server/generator/dana/load';
import { danaRuntimeFiles } from '../server/generator/runtime-files';

const PY = '/usr/bin/python3'; // Debian's, which sees python3-tenacity
const ROOT = join(__dirname, '..');

const MODULE = `import poet as _poet


@_poet.poet()
def one(x):
    return x


@_poet.poet()
def two(a, b):
    return a + b


@_poet.poet(timeout=1.0)
def one_t(x):
    return x


@_poet.poet(timeout=1.0)
def two_t(a, b):
    return a + b
`;

const SCRIPT = `
import json, sys, timeit
import bench_mod
from tenacity import retry, retry_if_exception_type, stop_after_attempt, stop_after_delay, wait_exponential

def one(x):
    return x

def two(a, b):
    return a + b

transient = retry_if_exception_type((ConnectionError, TimeoutError))
policy = dict(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.1, max=5), retry=transient, reraise=True)
timed = dict(stop=stop_after_attempt(3) | stop_after_delay(1.0), wait=wait_exponential(multiplier=0.1, max=5), retry=transient, reraise=True)
rows = [
    ("1 argument, default config", one, retry(**policy)(one), bench_mod.one, (7,)),
    ("2 arguments, default config", two, retry(**policy)(two), bench_mod.two, (3, 4)),
    ("1 argument, timeout=1.0", one, retry(**timed)(one), bench_mod.one_t, (7,)),
    ("2 arguments, timeout=1.0", two, retry(**timed)(two), bench_mod.two_t, (3, 4)),
]
assert all(getattr(r[3], "__poet_enhanced__", False) for r in rows), "POET's versions were not swapped in"
N = 20000
best = {}
for _round in range(7):
    for label, plain, ten, poet, args in rows:
        for kind, f in (("plain", plain), ("tenacity", ten), ("poet", poet)):
            t = min(timeit.repeat(lambda: f(*args), number=N, repeat=3)) / N * 1e6
            key = (label, kind)
            best[key] = min(best.get(key, t), t)
print(json.dumps([[label, best[(label, "plain")], best[(label, "tenacity")], best[(label, "poet")]] for label, *_ in rows]))
`;

async function enhance(ws: string, file: string, text: string, language: 'python' | 'dana'): Promise<Map<string, string>> {
  const pipeline = createPipeline(new FileStore(ws), createLogger('silent'));
  const out = new Map<string, string>();
  for (const fn of parseSource(text, language).functions) {
    if (!fn.decorators.some((d) => d.name === 'poet' || d.name.endsWith('.poet'))) continue;
    const r = await pipeline.enhance({ code: text, language, functionName: fn.name, contextFile: file });
    out.set(fn.name, r.poet_implementation.code);
  }
  return out;
}

async function python(): Promise<boolean> {
  const ws = mkdtempSync(join(tmpdir(), 'poet-bench-runtime-'));
  writeFileSync(join(ws, 'bench_mod.py'), MODULE);
  await enhance(ws, 'bench_mod.py', MODULE, 'python');
  writeFileSync(join(ws, 'run.py'), SCRIPT);
  const version = execFileSync(PY, ['-c', 'import sys, importlib.metadata as m; print(sys.version.split()[0], m.version("tenacity"))'], { encoding: 'utf8' }).trim().split(' ');
  const rows = JSON.parse(execFileSync(PY, ['run.py'], { cwd: ws, env: { ...process.env, PYTHONPATH: `${ws}:${join(ROOT, 'python')}`, POET_API_URL: '' }, encoding: 'utf8' })) as Array<[string, number, number, number]>;
  console.log(`Python ${version[0]}, tenacity ${version[1]}; per call, best of 7 interleaved rounds x 3 x 20,000 calls\n`);
  console.log('| function | original | tenacity overhead | POET overhead | POET / tenacity | target ≤ 1 |');
  console.log('|---|---|---|---|---|---|');
  let ok = true;
  for (const [label, plain, ten, poet] of rows) {
    const t = ten - plain;
    const p = poet - plain;
    const ratio = p / t;
    ok &&= ratio <= 1;
    console.log(`| ${label} | ${plain.toFixed(3)} µs | ${t.toFixed(2)} µs | ${p.toFixed(2)} µs | ${ratio.toFixed(2)} | ${ratio <= 1 ? 'met' : 'MISSED'} |`);
  }
  return ok;
}

const DANA_PROGRAM = `@poet(retries=2, timeout=30.0)
def add(a: int, b: int) -> int:
    return a + b

def plain_add(a: int, b: int) -> int:
    return a + b

import time.py as clock
N = 200
t0 = clock.perf_counter()
i = 0
while i < N:
    x = plain_add(i, 1)
    i += 1
t1 = clock.perf_counter()
i = 0
while i < N:
    x = add(i, 1)
    i += 1
t2 = clock.perf_counter()
print("DANA " + str((t1 - t0) / N * 1000000.0) + " " + str((t2 - t1) / N * 1000000.0))
`;

async function dana(): Promise<void> {
  const tools = process.env.POET_DANA_TOOLS ?? join(ROOT, '..', 'shared', 'tools', 'dana');
  const ws = mkdtempSync(join(tmpdir(), 'poet-bench-dana-'));
  const enhanced = await enhance(ws, 'prog.na', DANA_PROGRAM, 'dana');
  for (const f of danaRuntimeFiles().files) {
    mkdirSync(join(ws, '.dana/poet', f.path, '..'), { recursive: true });
    writeFileSync(join(ws, '.dana/poet', f.path), f.text);
  }
  writeFileSync(join(ws, 'prog.na'), composeDana(DANA_PROGRAM, parseSource(DANA_PROGRAM, 'dana').functions, enhanced).text);
  const r = spawnSync('/usr/bin/python3', [join(tools, 'run_dana.py'), 'prog.na'], { cwd: ws, encoding: 'utf8', env: { ...process.env, DANAPATH: join(ws, '.dana/poet/runtime/dana') } });
  const m = /DANA ([\d.e+-]+) ([\d.e+-]+)/.exec(r.stdout);
  if (!m) {
    console.log(`\nDana: the program did not run:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
    return;
  }
  const [plain, poet] = [Number(m[1]), Number(m[2])];
  console.log(`\nDana (real interpreter, 200 calls each): original ${plain.toFixed(0)} µs per call, enhanced ${poet.toFixed(0)} µs: overhead ${(poet - plain).toFixed(0)} µs (${(poet / plain).toFixed(1)}x the call)`);
}

async function main(): Promise<void> {
  const ok = await python();
  if (process.env.DANA_ROOT) await dana();
  else console.log('\nDana: set DANA_ROOT (the development oracle) to measure it too.');
  process.exit(ok ? 0 : 1);
}

void main();
