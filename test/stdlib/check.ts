// `npm run check:stdlib -- MODULE... [--config JSON]`: the behaviour-preservation check on
// standard-library modules (see harness.ts), with a table of tests run, equal and divergent.
import { checkModule, hasStdlibTests, PYTHON } from './harness';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--config');
  const config = at >= 0 ? (JSON.parse(args.splice(at, 2)[1]!) as Record<string, unknown>) : {};
  if (!hasStdlibTests()) throw new Error(`${PYTHON} has no standard-library tests (set POET_STDLIB_PYTHON to a full CPython build)`);
  console.log(`config: @poet(${Object.entries(config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`);
  console.log('| module | functions enhanced | not enhanced | tests | equal | divergent | seconds |');
  console.log('|---|---|---|---|---|---|---|');
  let bad = 0;
  for (const m of args) {
    try {
      const r = await checkModule(m, config);
      const total = Object.keys(r.plain.tests).length;
      console.log(`| ${m} | ${r.enhanced.length} | ${r.notEnhanced.length} | ${total} | ${total - r.divergences.length} | ${r.divergences.length} | ${r.seconds.toFixed(0)} |`);
      if (r.replaced.length) console.log(`    rebound by the module after their def: ${r.replaced.join(', ')}`);
      for (const n of r.notEnhanced) console.log(`    not enhanced: ${n.name}: ${n.message.slice(0, 200)}`);
      for (const d of r.divergences) console.log(`    ${d.test}: plain ${d.plain}, enhanced ${d.enhanced} ${d.detail.slice(0, 300)}`);
      bad += r.divergences.length;
    } catch (e) {
      console.log(`| ${m} | error: ${(e as Error).message.slice(0, 500)} |`);
      bad++;
    }
  }
  process.exitCode = bad ? 1 : 0;
}

void main();
