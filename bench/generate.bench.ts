// `npm run bench:generate`: generation time for a 30-line function, Python and Dana, against
// the baseline of only parsing that function. Prints p50/p95 and the ratio. Target: p50 < 2 ms.
import { performance } from 'node:perf_hooks';
import { resolveConfig } from '../shared/config';
import { parseSource } from '../shared/source/parse';
import type { Language } from '../shared/source/model';
import { domainConfigContext } from '../server/generator/domains/index';
import { generatorFor } from '../server/generator/registry';

const BODY = [
  'score = 0.0',
  'if credit_score > 700:',
  '    score += 2.0',
  'elif credit_score > 650:',
  '    score += 1.0',
  'else:',
  '    score -= 1.0',
  'if debt_to_income < 0.2:',
  '    score += 2.0',
  'elif debt_to_income < 0.35:',
  '    score += 1.0',
  'if annual_income > 100000:',
  '    score += 1.5',
  'elif annual_income > 50000:',
  '    score += 0.5',
  'if employment_years > 5:',
  '    score += 1.0',
  'ratio = loan_amount / annual_income',
  'if ratio > 5:',
  '    score -= 2.0',
  'rate = 12.0 - score',
  'if loan_amount > 500000:',
  '    rate += 0.5',
  'if rate < 3.0:',
  '    rate = 3.0',
  'approved = score >= 2.0',
  'return {"approved": approved, "interest_rate": rate, "score": score}',
];
const HEADER = 'def assess(credit_score: int, annual_income: float, debt_to_income: float, employment_years: float, loan_amount: float = 10000.0) -> dict:';
const SOURCES: Record<Language, string> = {
  python: ['@poet(domain="financial_services", retries=2, timeout=10.0)', HEADER, '    """Score a loan application (30 lines)."""', ...BODY.map((l) => '    ' + l), ''].join('\n'),
  dana: ['@poet(domain="financial_services", retries=2, timeout=10.0)', HEADER, '    """Score a loan application (30 lines)."""', ...BODY.map((l) => '    ' + l), ''].join('\n'),
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main() {
  const N = Number(process.env.BENCH_N ?? 2000);
  const ctx = domainConfigContext();
  console.log(`generate.bench: ${N} runs per case (after 200 warm-up runs); a 30-line function; times in ms`);
  console.log('lang    | parse p50 | parse p95 | generate p50 | generate p95 | gen/parse (p50) | target p50 < 2 ms');
  let ok = true;
  for (const language of ['python', 'dana'] as Language[]) {
    const text = SOURCES[language];
    const lines = text.trim().split('\n').length;
    if (lines !== 30) throw new Error(`bench function has ${lines} lines, not 30`);
    const fn = parseSource(text, language).functions[0]!;
    const cfg = resolveConfig([fn.decorators[0]!.kwargs], ctx);
    if (!cfg.ok) throw new Error(JSON.stringify(cfg.issues));
    const g = generatorFor(language);
    const req = { fn, fileText: text, sourceFile: `bench/assess.${language === 'python' ? 'py' : 'na'}`, config: cfg.config, key: fn.name, version: 'v1', sourceHash: 'sha256:' + '0'.repeat(64), workspace: process.cwd() };
    const parse: number[] = [];
    const gen: number[] = [];
    for (let i = 0; i < N + 200; i++) {
      let t = performance.now();
      parseSource(text, language);
      const p = performance.now() - t;
      t = performance.now();
      await g.generate(req);
      const d = performance.now() - t;
      if (i >= 200) {
        parse.push(p);
        gen.push(d);
      }
    }
    const p50 = pct(gen, 50);
    ok &&= p50 < 2;
    console.log(
      `${language.padEnd(7)} | ${pct(parse, 50).toFixed(3).padStart(9)} | ${pct(parse, 95).toFixed(3).padStart(9)} | ${p50.toFixed(3).padStart(12)} | ${pct(gen, 95).toFixed(3).padStart(12)} | ${(p50 / pct(parse, 50)).toFixed(2).padStart(15)} | ${p50 < 2 ? 'met' : 'MISSED'}`,
    );
  }
  console.log('(generate = plan + rules + code text for the already-parsed function; parse = parseSource of the same text)');
  process.exit(ok ? 0 : 1);
}

void main();
