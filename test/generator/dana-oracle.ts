// Development check (not a test; needs the Dana oracle): generates enhanced.na for every example
// and fixture function, runs Dana's own grammar (check_parse.py --transform) on each program, and
// runs each example program in the real interpreter with the calls in CALLS.
//   DANA_REPO=... DANA_ROOT=... npx tsx test/generator/dana-oracle.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { danaProgram } from '../../server/generator/dana/load';
import { danaCases, generateCase } from './dana-cases';

const TOOLS = '/work/shared/tools/dana';
/** Calls printed after loading; valid inputs first, then inputs the enhanced version must reject. */
const CALLS: Record<string, string[]> = {
  mean: ['mean([1.0, 2.0, 3.0])', 'mean([])'],
  std_dev: ['std_dev([1.0, 2.0, 3.0, 4.0])', 'std_dev([1.0, 2.0], false)'],
  assess_loan_risk: ['assess_loan_risk(720, 0.3)', 'assess_loan_risk("excellent", "25%", "$50,000")', 'assess_loan_risk(900, 0.3)'],
  interest_rate: ['interest_rate("low")', 'interest_rate("high", 0.05)'],
  target_setpoint: ['target_setpoint(true, 30.0)', 'target_setpoint(false, 10.0, "heating")'],
  fan_speed: ['fan_speed(24.0, 22.0)', 'fan_speed(22.0, 22.0, 10.0, 30.0)'],
  truncate_words: ['truncate_words("one two three", 2)', 'truncate_words("", 2)'],
  summary_prompt: ['summary_prompt("POET makes functions reliable.")'],
  flaky_twice: ['flaky_twice(4)'],
  flaky_once_more: ['flaky_once_more(4)'],
  slow: ['slow(1)'],
  bad_output: ['bad_output(1.0)'],
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'poet-oracle-'));
  let parsed = 0;
  let ran = 0;
  const failures: string[] = [];
  for (const c of danaCases()) {
    const r = await generateCase(dir, c);
    const calls = CALLS[c.fn.name] ?? [];
    const caller = calls.map((call) => `try:\n    print(${call})\nexcept as e:\n    print("error: " + str(e))`).join('\n');
    const program = danaProgram(c.text, c.all, [r.code], caller);
    const path = join(dir, `${c.fn.name}-${parsed}.na`);
    writeFileSync(path, program);
    try {
      execFileSync('/usr/bin/python3', [join(TOOLS, 'check_parse.py'), '--transform', path], { stdio: 'pipe' });
      parsed++;
    } catch (e) {
      failures.push(`${c.file}:${c.fn.name}: grammar: ${String((e as { stdout?: Buffer }).stdout ?? e)}`);
      continue;
    }
    if (!calls.length) continue;
    const run = (file: string): string[] => {
      let out: string;
      try {
        out = execFileSync('/usr/bin/python3', [join(TOOLS, 'run_dana.py'), file], { stdio: 'pipe', timeout: 60_000 }).toString();
      } catch (e) {
        out = String((e as { stdout?: Buffer }).stdout ?? e);
      }
      if (!out.includes('=== SUCCESS ===')) failures.push(`${c.file}:${c.fn.name}: interpreter failed on ${file}`);
      return out.split('\n').filter((l) => l && !/WARNING|ERROR - |Location|^\s|^===/.test(l));
    };
    const enhanced = run(path);
    // The same calls against the original alone (its @poet decorators removed): valid input must agree.
    const originalPath = join(dir, `${c.fn.name}-${parsed}-original.na`);
    writeFileSync(originalPath, danaProgram(c.text, c.all, [], caller));
    const original = run(originalPath);
    ran++;
    console.log(`--- ${c.file}:${c.fn.name}`);
    calls.forEach((call, i) => {
      const e = enhanced[i] ?? '(no output)';
      const o = original[i] ?? '(no output)';
      const verdict = e === o ? 'same as original' : e.startsWith('error') ? 'rejected by POET' : o.startsWith('error') ? 'original fails; POET normalised or retried' : 'DIFFERS';
      if (verdict === 'DIFFERS') failures.push(`${c.file}:${c.fn.name}: ${call}: enhanced ${e} vs original ${o}`);
      console.log(`  ${call} -> ${e.slice(0, 160)}  [${verdict}; original: ${o.slice(0, 60)}]`);
    });
  }
  console.log(`\n${parsed} generated programs accepted by Dana's grammar (+transform); ${ran} run in the interpreter; ${failures.length} failures`);
  for (const f of failures) console.log('FAIL ' + f);
}

void main();
