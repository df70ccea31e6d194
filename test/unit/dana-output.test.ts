// The interpreter's messages mapped back to source lines, without touching the program's output.
import assert from 'node:assert/strict';
import type { BuiltModule } from '../../server/cli/run/build';
import { LineStream, OutputMapper } from '../../server/cli/run/output';

// A composed main.na: POET's import line, source lines 1–3, a generated part for `total` (def on
// source line 2, body ending on 3), then source line 4.
const MAIN: BuiltModule = {
  source: '/ws/app/main.na',
  built: '/ws/.dana/poet/build/app/main.na',
  origins: [{ line: 1, poet: '' }, { line: 1 }, { line: 2 }, { line: 3 }, { line: 2, poet: 'total' }, { line: 2, poet: 'total' }, { line: 4 }],
  enhanced: ['total v1'],
};
const LIB: BuiltModule = {
  source: '/ws/app/lib.na',
  built: '/ws/.dana/poet/build/app/lib.na',
  origins: [{ line: 1 }, { line: 2 }, { line: 3, poet: 'f' }, { line: 5 }],
  enhanced: ['f v2'],
};
const display = (p: string) => p.replace('/ws/', '');

describe('poet run: interpreter messages mapped to source lines', () => {
  it("leaves the program's own output alone until an error report starts", () => {
    const m = new OutputMapper([MAIN, LIB], display);
    assert.equal(m.map('1. Line 7, column 1: report row', 'stdout'), '1. Line 7, column 1: report row');
    assert.equal(m.map('=== Dana Runtime Error ===', 'stdout'), '=== Dana Runtime Error ===');
    assert.equal(m.map('1. Line 7, column 1, function call: print', 'stdout'), '1. Line 4, column 1, function call: print');
    assert.equal(m.map('2. Line 5, column 9, attribute access: py', 'stdout'), "2. Line 2 (in POET's code for total), column 9, attribute access: py");
    assert.equal(m.map("Error: in function '__poet_original_total': boom", 'stdout'), "Error: in function 'total': boom");
  });

  it('maps paths of composed files and their line numbers, in any stream', () => {
    const m = new OutputMapper([MAIN, LIB], display);
    assert.equal(m.map('  File "/ws/.dana/poet/build/app/lib.na", line 3, in f', 'stdout'), "  File \"app/lib.na\", line 3 (in POET's code for f), in f");
    assert.equal(m.map('/ws/.dana/poet/build/app/main.na:4: warning', 'stderr'), 'app/main.na:3: warning');
    assert.equal(m.map('.dana/poet/build/app/lib.na:4', 'stderr'), 'app/lib.na:5');
    // Python's own files are not POET's: left as they are.
    assert.equal(m.map('  File "/usr/lib/python3/x.py", line 12, in g', 'stderr'), '  File "/usr/lib/python3/x.py", line 12, in g');
  });

  it('reads lines without a path as lines of the file the report names (base names too)', () => {
    const m = new OutputMapper([MAIN, LIB], display);
    m.map('Syntax Error (line 1, column 3)', 'stdout');
    assert.equal(m.map('File: lib.na', 'stdout'), 'File: lib.na');
    assert.equal(m.map('1. Line 4, column 2, function call: f', 'stdout'), '1. Line 5, column 2, function call: f');
    assert.equal(m.map('Location: File "main.na", line 7, column 1', 'stderr'), 'Location: File "main.na", line 4, column 1');
    assert.equal(m.map('Syntax Error (line 1, column 3)', 'stderr'), 'Syntax Error (line 1, column 3)', 'lib.na line 1 is line 1');
  });

  it('joins lines split across chunks, and passes a prompt without a newline through', async () => {
    const m = new OutputMapper([MAIN], display);
    const written: string[] = [];
    const s = new LineStream((t) => written.push(t), (l) => m.map(l, 'stderr'));
    s.push('/ws/.dana/poet/build/app/ma');
    s.push('in.na:7: x\nName? ');
    assert.deepEqual(written, ['app/main.na:4: x\n']);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(written, ['app/main.na:4: x\n', 'Name? ']);
    s.push('Ada\n');
    s.end();
    assert.deepEqual(written, ['app/main.na:4: x\n', 'Name? ', 'Ada\n']);
  });
});
