// The Dana functions the generator is checked against: every enhanceable function in
// examples/**/*.na, test/fixtures/dana/valid and test/fixtures/generator.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDana } from '../../shared/dana/index';
import type { FunctionModel } from '../../shared/source/model';
import { generate } from './helpers';

const ROOT = join(__dirname, '..', '..');

function naFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(naFiles(p));
    else if (e.endsWith('.na')) out.push(p);
  }
  return out;
}

/** Functions POET can enhance: top level, no receiver. */
const enhanceable = (f: FunctionModel) => f.parents.length === 0 && !f.receiver;

export function danaCases(): Array<{ file: string; text: string; fn: FunctionModel; all: FunctionModel[] }> {
  const files = [...naFiles(join(ROOT, 'examples')), ...naFiles(join(ROOT, 'test', 'fixtures', 'dana', 'valid')), ...naFiles(join(ROOT, 'test', 'fixtures', 'generator')).filter((f) => !f.includes('golden'))];
  const cases = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseDana(text);
    if (parsed.errors.length) continue;
    for (const fn of parsed.functions.filter(enhanceable)) cases.push({ file: relative(ROOT, file).split('\\').join('/'), text, fn, all: parsed.functions });
  }
  return cases;
}

/** Fixtures use made-up domains ("text"): those functions get the general rules, as any unknown domain does. */
export function generateCase(ws: string, c: { file: string; text: string; fn: FunctionModel }) {
  return generate({ ws, file: c.file, text: c.text, language: 'dana', name: c.fn.name });
}

