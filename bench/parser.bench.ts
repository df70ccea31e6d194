// `npm run bench:parser`: speed and memory of the Dana parser (shared/dana).
// - throughput of parseDana (function model) and parseDanaProgram (tree) on a generated
//   multi-MB file with varied constructs, against a baseline that only counts newlines;
// - time to extract the functions of a 10,000-line file (median of several runs);
// - memory retained by the result at three input sizes, to show it grows linearly.
// Targets (issue 2): ≥ 10 MB/s, < 100 ms for 10,000 lines, memory linear in the input.
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDana, parseDanaProgram } from '../shared/dana/index';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** One varied chunk of Dana (about 60 lines); `i` keeps names unique. */
function chunk(i: number): string {
  return `# ---- block ${i} ----
import tools.py as t${i}
from .lib${i} import helper as h${i}, other

struct Point${i}:
    """A point."""
    x: float = 0.0  # abscissa
    y: float = 0.0
    def norm() -> float:
        return (x ** 2 + y ** 2) ** 0.5

@poet(domain="finance", retries=3, timeout=${i % 60 + 1}.5, enable_training=true)
def compute_${i}(amount: float, rate: float = 0.07, tags: list[str] = [], cb = lambda v :: v * 2) -> dict[str, any]:
    """Compute things for block ${i}."""
    private:total = amount * (1 + rate)
    prompt = f'Summarise the account:
    total={total:.2f}
    tags={tags}'
    if total > 1000 and not tags:
        total -= 10
    elif total in [1, 2, 3]:
        total = -(total ** 2)
    else:
        total = total if total >= 0 else 0
    squares = [n * n for n in range(10) if n % 2 == 0]
    index = {(k: v) for k, v in pairs.items()}
    try:
        result = t${i}.call(total, key="v", extra={"a": [1, 2, 3], "b": None},)
    except ValueError as e:
        log(f"failed: {e}")
        result = None
    finally:
        done = True
    for (a, b) in zip(xs, ys):
        while a < b:
            a += 1
    return {"total": total, "result": result, "slice": xs[1:5:2]}

def (p: Point${i}) shift(dx: float = 1.0) -> Point${i}:
    p.x = p.x + dx
    return p

sync def refresh_${i}() -> None:
    with open_store("s${i}") as store:
        store.flush()

def pipeline_${i}(text: str) -> str = strip | normalize as n | [summarize, classify(n)]

interface Searchable${i}:
    # comments are allowed here
    search(query: str, limit: int = 10) -> list
    count() -> int

`;
}

function makeFile(targetBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const c = chunk(i);
    parts.push(c);
    size += c.length;
  }
  return parts.join('');
}

function makeLines(lines: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < lines; i++) {
    const c = chunk(i);
    parts.push(c);
    n += c.split('\n').length - 1;
  }
  return parts.join('').split('\n').slice(0, lines).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Wall time and CPU time (user + system of this process, GC threads included) in ms: on a
 * loaded machine wall time mostly measures the other processes, CPU time does not.
 */
function time(fn: () => void, runs: number): { first: number; median: number; cpuFirst: number; cpu: number } {
  const times: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
  }
  return { first: times[0]!, median: median(times.slice(1)), cpuFirst: cpus[0]!, cpu: median(cpus.slice(1)) };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const MB = 1024 * 1024;
const big = makeFile(8 * MB);
const check = parseDana(big);
if (check.errors.length) throw new Error(`generated file has errors: ${JSON.stringify(check.errors[0])}`);
const mb = big.length / MB;
console.log(`Dana parser benchmark (Node ${process.version})`);
console.log(`input: ${mb.toFixed(1)} MB, ${countNewlines(big)} lines, ${check.functions.length} functions`);

let sink = 0;
const base = time(() => { sink += countNewlines(big); }, 6);
const model = time(() => { sink += parseDana(big).functions.length; }, 6);
const tree = time(() => { sink += parseDanaProgram(big).program!.body.length; }, 6);
const rate = (ms: number) => mb / (ms / 1000);
const row = (label: string, t: ReturnType<typeof time>) =>
  `  ${label.padEnd(24)}: ${rate(t.median).toFixed(1).padStart(6)} MB/s wall, ${rate(t.cpu).toFixed(1).padStart(6)} MB/s CPU` +
  `  (first run ${rate(t.first).toFixed(1)} / ${rate(t.cpuFirst).toFixed(1)})`;
console.log('\nthroughput (median of 5 runs after a first one)');
console.log(row('baseline: count newlines', base));
console.log(row('parseDanaProgram (tree)', tree));
console.log(row('parseDana (functions)', model));
console.log(`  parseDana / baseline: ${(model.median / base.median).toFixed(0)}x wall, ${(model.cpu / Math.max(base.cpu, 0.001)).toFixed(0)}x CPU; ` +
  `target >= 10 MB/s: ${Math.max(rate(model.median), rate(model.cpu)) >= 10 ? 'met' : 'MISSED'} (${rate(model.median) >= 10 ? 'wall and CPU' : 'CPU time'})`);

const tenK = makeLines(10_000);
const fnCount = parseDana(tenK).functions.length;
const t10 = time(() => { sink += parseDana(tenK).functions.length; }, 8);
console.log(`\n10,000-line file (${(tenK.length / 1024).toFixed(0)} KB, ${fnCount} functions): median ${t10.median.toFixed(1)} ms wall, ` +
  `${t10.cpu.toFixed(1)} ms CPU (first run ${t10.first.toFixed(1)} / ${t10.cpuFirst.toFixed(1)} ms); target < 100 ms: ${Math.min(t10.median, t10.cpu) < 100 ? 'met' : 'MISSED'}`);
console.log(`load average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);

console.log('\nmemory retained by the parseDana result (after GC)');
for (const size of [1, 2, 4]) {
  const text = makeFile(size * MB);
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = parseDana(text);
  gc();
  const after = process.memoryUsage().heapUsed;
  const perByte = (after - before) / text.length;
  console.log(`  ${size} MB input: ${((after - before) / MB).toFixed(1)} MB retained (${perByte.toFixed(1)} bytes per input byte, ${kept.functions.length} functions)`);
}
if (sink < 0) console.log(sink);
