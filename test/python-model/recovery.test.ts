// While a def header is being typed, the rest of the file must keep its shape: break each
// function's header in turn (drop the `)` that closes its parameters) and check that every
// function outside it keeps its name, line, parents and decorators.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FunctionModel } from '../../shared/source/model';
import { parsePython } from '../../shared/python/index';

const files = [
  join(__dirname, 'fixtures/constructs.py'),
  ...['finance/portfolio.py', 'building/hvac.py', 'text/prompts.py', 'numeric/geometry.py'].map((f) => resolve(__dirname, '../../examples', f)),
];

const shape = (f: FunctionModel): string =>
  `${[...f.parents, f.name].join('.')}@${f.line} [${f.decorators.map((d) => `${d.name}${JSON.stringify(d.kwargs)}`).join(' ')}]`;

describe('Python model: recovery while a header is being typed', () => {
  for (const file of files) {
    it(`keeps the other functions of ${file.split('/').slice(-2).join('/')}`, () => {
      const text = readFileSync(file, 'utf8');
      const clean = parsePython(text);
      assert.deepEqual(clean.errors, []);
      for (const target of clean.functions) {
        // The `)` after the last parameter (a default may hold one in a string).
        const lastParam = target.params[target.params.length - 1];
        const at = text.indexOf(')', lastParam ? lastParam.range.end.offset : target.name_range.end.offset);
        const broken = text.slice(0, at) + ' ' + text.slice(at + 1); // same length: lines do not move
        const parsed = parsePython(broken);
        assert.ok(parsed.errors.length >= 1, `breaking ${target.name} gives an error`);
        const outside = (f: FunctionModel): boolean =>
          f.range.end.offset <= target.range.start.offset || f.range.start.offset >= target.range.end.offset;
        assert.deepEqual(
          parsed.functions.filter(outside).map(shape),
          clean.functions.filter(outside).map(shape),
          `after breaking ${target.name} at line ${target.line}`,
        );
        assert.ok(parsed.functions.some((f) => f.name === target.name && f.line === target.line), `${target.name} is still listed`);
      }
    });
  }
});
