// Development check, not part of `npm test`: compares this parser with Dana's real grammar
// (`check_parse.py --json --defs`, which reads the grammar from a local aitomatic/dana clone).
//
//   DANA_REPO=/path/to/dana.git npx tsx test/dana/oracle-compare.ts [--generated N] [FILES_OR_DIRS...]
//
// Default input: test/fixtures/dana. Prints per-file disagreements and a summary:
// N files, N agree on accept/reject, N agree on the function lists (files both accept).
// `--generated N` also writes N random programs from the property-test generator through
// emitDana into a temp dir and checks them the same way (the emitter must produce Dana the
// real grammar accepts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseDana } from '../../shared/dana/index';
import { emitDana } from '../../shared/dana/emit';
import { programArb } from './arbitraries';

interface OracleDef {
  kind: string; name: string; line: number; start_line: number; end_line: number;
  receiver: { name: string; type: string | null } | null;
  params: Array<{ name: string; type: string | null; default: string | null }>;
  return_type: string | null; composition?: string | null;
  decorators: Array<{ name: string; args: string | null; line: number }>;
  docstring: string | null; parents: string[];
}
interface OracleFile { file: string; ok: boolean; error: string | null; defs: OracleDef[] | null }

function naFiles(p: string, out: string[] = []): string[] {
  let st;
  try { st = statSync(p); } catch { return out; }
  if (st.isDirectory()) {
    for (const e of readdirSync(p).sort()) naFiles(join(p, e), out);
  } else if (st.isFile() && p.endsWith('.na')) out.push(p);
  return out;
}

function oracle(files: string[]): Map<string, OracleFile> {
  const script = process.env.CHECK_PARSE ?? resolve(import.meta.dirname, '../../../shared/tools/dana/check_parse.py');
  const res = new Map<string, OracleFile>();
  for (let i = 0; i < files.length; i += 200) {
    const batch = files.slice(i, i + 200);
    const r = spawnSync('/usr/bin/python3', [script, '--json', '--defs', ...batch], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status === 2 || r.error) throw new Error(`check_parse.py failed: ${r.error?.message ?? r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as OracleFile;
      res.set(o.file, o);
    }
  }
  return res;
}

function comparable(d: OracleDef) {
  return {
    kind: d.kind, name: d.name, line: d.line, start_line: d.start_line, end_line: d.end_line,
    receiver: d.receiver ? { name: d.receiver.name, type: d.receiver.type } : null,
    params: d.params.map((p) => ({ name: p.name, type: p.type, default: p.default })),
    return_type: d.return_type, composition: d.composition ?? null,
    decorators: d.decorators.map((x) => ({ name: x.name, args: (x.args ?? '').trim(), line: x.line })), // the oracle trims args
    docstring: d.docstring, parents: d.parents,
  };
}

function main(): void {
  if (!process.env.DANA_REPO) {
    console.error('set DANA_REPO to the git directory of an aitomatic/dana clone');
    process.exit(2);
  }
  const inputs = process.argv.slice(2);
  let generatedDir: string | null = null;
  const g = inputs.indexOf('--generated');
  if (g >= 0) {
    const n = Number(inputs[g + 1] ?? 200);
    inputs.splice(g, 2);
    generatedDir = mkdtempSync(join(tmpdir(), 'dana-gen-'));
    fc.sample(programArb, { numRuns: n, seed: 20261126 }).forEach((p, i) => writeFileSync(join(generatedDir!, `gen${i}.na`), emitDana(p)));
    if (!inputs.length) inputs.push(resolve(import.meta.dirname, '../fixtures/dana'));
    inputs.push(generatedDir);
  }
  const files = (inputs.length ? inputs : [resolve(import.meta.dirname, '../fixtures/dana')]).flatMap((p) => naFiles(resolve(p)));
  const orc = oracle(files);
  let acceptAgree = 0;
  let bothOk = 0;
  let defsAgree = 0;
  let defCount = 0;
  for (const f of files) {
    const o = orc.get(f);
    if (!o) { console.log(`?? ${f}: no oracle result`); continue; }
    const mine = parseDana(readFileSync(f, 'utf8'));
    const myOk = mine.errors.length === 0;
    if (myOk === o.ok) acceptAgree++;
    else console.log(`ACCEPT ${f}: oracle ${o.ok ? 'accepts' : 'rejects: ' + (o.error ?? '').split('\n')[0]}; ours ${myOk ? 'accepts' : `rejects: ${mine.errors[0]!.line}:${mine.errors[0]!.column}: ${mine.errors[0]!.message}`}`);
    if (!(o.ok && myOk)) continue;
    bothOk++;
    const theirs = (o.defs ?? []).map(comparable);
    const ours = mine.functions.map((m) => comparable({
      kind: m.kind, name: m.name, line: m.name_range.start.line, start_line: m.start_line, end_line: m.end_line,
      receiver: m.receiver, params: m.params, return_type: m.return_type, composition: m.composition,
      decorators: m.decorators.map((d) => ({ name: d.name, args: d.args, line: d.line })), docstring: m.docstring, parents: m.parents,
    }));
    defCount += theirs.length;
    // The oracle reads files with universal newlines; our model keeps the exact text.
    const a = JSON.stringify(theirs);
    const b = JSON.stringify(ours, (_k, v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v));
    if (a === b) defsAgree++;
    else {
      console.log(`DEFS ${f}:`);
      for (let i = 0; i < Math.max(theirs.length, ours.length); i++) {
        const x = JSON.stringify(theirs[i]);
        const y = JSON.stringify(ours[i]);
        if (x !== y) console.log(`  oracle: ${x}\n  ours:   ${y}`);
      }
    }
  }
  console.log(`\n${files.length} files; ${acceptAgree} agree on accept/reject; ` +
    `${defsAgree}/${bothOk} files both accept agree on the function lists (${defCount} defs in the oracle's lists)`);
  if (generatedDir) {
    const gen = files.filter((f) => f.startsWith(generatedDir!));
    const ok = gen.filter((f) => orc.get(f)?.ok).length;
    console.log(`generated by emitDana: ${ok}/${gen.length} accepted by Dana's grammar`);
    rmSync(generatedDir, { recursive: true, force: true });
  }
}

main();
