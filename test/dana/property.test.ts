// Property tests: the parser never throws and keeps every range inside the text, whatever the
// input; trees emitted by emitDana parse back to the same tree.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDana, parseDanaProgram } from '../../shared/dana/index';
import { emitDana } from '../../shared/dana/emit';
import { programArb } from './arbitraries';
import { stripLocs } from './support';

// Text that looks like Dana: fragments that exercise strings, brackets, indentation, comments.
const FRAGMENTS = [
  'def ', 'sync ', '@poet', '(', ')', '[', ']', '{', '}', ':', '::', ',', '=', '->', '|', ' as ', ' if ', ' else ', 'lambda ',
  'x', 'f', 'r', 'orb', '1', '.5', '"', "'", '"""', "'''", 'f"', "r'", '{x}', '\\', '#', '# c', '\n', '\r\n', '\r', '    ', '\t',
  ' ', 'struct S', 'interface I', 'agent ', 'private:', 'return ', 'pass', 'not ', ' in ', ' is ', '$$', '\ufeff', '\u0000', 'é',
];
const danaish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((xs) => xs.join(''));

function assertSane(text: string): void {
  const r = parseDana(text);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const e of r.errors) {
    assert.ok(e.line >= 1 && e.line <= lineCount + 1 && e.column >= 1, JSON.stringify(e));
  }
  for (const f of r.functions) {
    const ranges = [f.range, f.header_range, f.body_range, f.name_range, ...f.params.map((p) => p.range), ...f.decorators.map((d) => d.range)];
    for (const rg of ranges) {
      assert.ok(rg.start.offset >= 0 && rg.start.offset <= rg.end.offset && rg.end.offset <= text.length, `${JSON.stringify(rg)} in ${JSON.stringify(text)}`);
    }
    assert.equal(f.source, text.slice(f.range.start.offset, f.range.end.offset));
    assert.ok(f.start_line <= f.line && f.line <= f.end_line, JSON.stringify(f));
  }
}

describe('dana parser properties', () => {
  it('never throws and keeps ranges inside the text on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), assertSane), { numRuns: 500 });
  });

  it('never throws and keeps ranges inside the text on Dana-like fragments', () => {
    fc.assert(fc.property(danaish, assertSane), { numRuns: 2000 });
  });

  it('emits generated trees as Dana that parses back to the same tree', () => {
    fc.assert(fc.property(programArb, (program) => {
      const text = emitDana(program);
      const r = parseDanaProgram(text);
      assert.deepEqual(r.errors, [], `emitted:\n${text}`);
      assert.deepEqual(stripLocs(r.program!.body), stripLocs(program.body), `emitted:\n${text}`);
    }), { numRuns: 400 });
  });
});
