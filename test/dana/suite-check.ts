// Development check (needs the Dana oracle, see ../shared/tools/dana/README.md): Dana's own test
// programs, run in the real interpreter as they are and with every enhanceable function enhanced
// (default config, or the function's own @poet arguments), must print the same thing.
//   DANA_ROOT=... npx tsx test/dana/suite-check.ts DIR_OR_FILE... [--config JSON] [--jobs N]
// A program is compared only when two runs of the original print the same (no timing output).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseDana } from '../../shared/dana/index';
import type { PoetConfigInput } from '../../shared/config';
import { composeDana } from '../../server/generator/dana/load';
import { generate } from '../generator/helpers';

const TOOLS = process.env.POET_DANA_TOOLS ?? join(__dirname, '..', '..', '..', 'shared', 'tools', 'dana');

function naFiles(p: string): string[] {
  if (statSync(p).isFile()) return p.endsWith('.na') ? [p] : [];
  return readdirSync(p).sort().flatMap((e) => naFiles(join(p, e)));
}

function run(file: string, danapath: string): Promise<{ out: string; ok: boolean; seconds: number }> {
  const where = dirname(file);
  const t0 = Date.now();
  return new Promise((done) => {
    execFile('/usr/bin/python3', [join(TOOLS, 'run_dana.py'), basename(file)], { cwd: dirname(file), timeout: 120_000, env: { ...process.env, DANAPATH: danapath }, maxBuffer: 64 << 20 }, (err, stdout) => {
      const out = stdout
        .split('\n')
        // The interpreter's own log lines carry timestamps; they are not the program's output.
        .filter((l) => !/^\d\d:\d\d:\d\d - \[/.test(l) && !l.includes("\u001b["))
        .join('\n')
        // Both copies print their own folder in error locations.
        .replaceAll(where, '<program folder>');
      done({ out, ok: !err && out.includes('=== SUCCESS ==='), seconds: (Date.now() - t0) / 1000 });
    });
  });
}

interface Outcome {
  file: string;
  status: 'equal' | 'different' | 'skipped';
  reason?: string;
  enhanced?: string[];
  diff?: string;
}

async function check(file: string, config: PoetConfigInput): Promise<Outcome> {
  const text = readFileSync(file, 'utf8');
  const parsed = parseDana(text);
  if (parsed.errors.length) return { file, status: 'skipped', reason: 'POET parser: ' + parsed.errors[0]!.message };
  const fns = parsed.functions.filter((f) => f.parents.length === 0 && !f.receiver);
  if (!fns.length) return { file, status: 'skipped', reason: 'no enhanceable function' };
  const base = mkdtempSync(join(tmpdir(), 'poet-dana-suite-'));
  // Folder names of equal length: programs print error messages cut to a number of characters.
  const plain = join(base, 'orig');
  const enh = join(base, 'poet');
  cpSync(dirname(file), plain, { recursive: true });
  cpSync(dirname(file), enh, { recursive: true });
  const [a, b] = await Promise.all([run(join(plain, basename(file)), ''), run(join(plain, basename(file)), '')]);
  if (!a.ok) return { file, status: 'skipped', reason: 'the original fails in the interpreter' };
  if (a.out !== b.out) return { file, status: 'skipped', reason: 'the original prints differently from run to run' };
  const enhanced = new Map<string, string>();
  const runtimes = new Map<string, string>();
  for (const fn of fns) {
    let r;
    try {
      r = await generate({ ws: enh, file: basename(file), text, language: 'dana', name: fn.name, config });
    } catch {
      // A decorator argument POET does not accept (an unknown domain): the defaults then.
      r = await generate({ ws: enh, file: basename(file), text, language: 'dana', name: fn.name, config: { ...config, domain: null } }).catch(() => undefined);
      if (!r) continue;
    }
    enhanced.set(fn.name, r.code);
    for (const f of r.runtime) runtimes.set(f.path, f.text);
  }
  const rtDir = join(enh, '.dana', 'poet');
  for (const [p, t] of runtimes) {
    mkdirSync(dirname(join(rtDir, p)), { recursive: true });
    writeFileSync(join(rtDir, p), t);
  }
  writeFileSync(join(enh, basename(file)), composeDana(text, parsed.functions, enhanced).text);
  const e = await run(join(enh, basename(file)), join(rtDir, 'runtime', 'dana'));
  const names = [...enhanced.keys()];
  if (e.out === a.out) return { file, status: 'equal', enhanced: names };
  const al = a.out.split('\n');
  const el = e.out.split('\n');
  const at = al.findIndex((l, i) => l !== el[i]);
  return { file, status: 'different', enhanced: names, diff: `first difference at output line ${at + 1}:\n  original: ${al[at] ?? '(end)'}\n  enhanced: ${el[at] ?? '(end)'}\n  (program: ${join(enh, basename(file))})` };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ci = args.indexOf('--config');
  const config = ci >= 0 ? (JSON.parse(args.splice(ci, 2)[1]!) as PoetConfigInput) : {};
  const ji = args.indexOf('--jobs');
  const jobs = ji >= 0 ? Number(args.splice(ji, 2)[1]) : 2;
  const files = args.flatMap(naFiles);
  const results: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < files.length) {
        const f = files[next++]!;
        const r = await check(f, config);
        results.push(r);
        console.log(`${r.status.padEnd(9)} ${f}${r.reason ? ` (${r.reason})` : ''}${r.diff ? `\n${r.diff}` : ''}`);
      }
    }),
  );
  const count = (s: Outcome['status']) => results.filter((r) => r.status === s).length;
  console.log(`\n${count('equal')} equal, ${count('different')} different, ${count('skipped')} skipped of ${results.length} programs`);
  process.exitCode = count('different') ? 1 : 0;
}

void main();
