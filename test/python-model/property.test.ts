import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePython } from '../../shared/python/index';
import { assertRangesConsistent } from './helpers';

// Fragments that make the parser's life hard when glued together at random.
const fragment = fc.constantFrom(
  'def ', 'async def ', 'class ', '@poet(', '@a.b', '(', ')', '[', ']', '{', '}', ':', ',', '=', '->', '*', '**', '/',
  '"', "'", '"""', "'''", 'f"{', 'r"\\', '#', '\n', '\r\n', '\r', '    ', '\t', 'x', 'f', 'None', '1.5', '\ufeff', '\u0000', 'é',
  'lambda', 'return', 'pass', '\\\n', 'async', 'await ',
);
const program = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join('')),
);

describe('Python model: properties', () => {
  it('never throws, never fails internally, and keeps every range inside the text', () => {
    fc.assert(
      fc.property(program, (text) => {
        const parsed = parsePython(text);
        assert.equal(parsed.language, 'python');
        assert.ok(!parsed.errors.some((e) => e.message.startsWith('internal parser error')), JSON.stringify(parsed.errors));
        assertRangesConsistent(text, parsed);
      }),
      { numRuns: 1500 },
    );
  });

  it('finds the same function however a well-formed file is indented and broken into lines', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((n) => !['def', 'if', 'in', 'is', 'or', 'and', 'not', 'for', 'as', 'del', 'try', 'with', 'else', 'elif', 'pass', 'from', 'None', 'True', 'False', 'class', 'async', 'await', 'while', 'yield', 'raise', 'break', 'global', 'lambda', 'return', 'import', 'except', 'assert', 'finally', 'continue', 'nonlocal', 'match', 'case', 'type', 'print', 'exec'].includes(n));
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 4 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('    ', '\t', '  '), (fn, params, nl, ind) => {
        const uniq = [...new Set(params)];
        const text = [`@poet(retries=${uniq.length})`, `def ${fn}(${uniq.join(', ')}):`, `${ind}"""doc"""`, `${ind}return 1`, ''].join(nl);
        const parsed = parsePython(text);
        assert.deepEqual(parsed.errors, []);
        assert.equal(parsed.functions.length, 1);
        const f = parsed.functions[0]!;
        assert.equal(f.name, fn);
        assert.deepEqual(f.params.map((p) => p.name), uniq);
        assert.deepEqual(f.decorators[0]!.kwargs, { retries: uniq.length });
        assert.deepEqual([f.start_line, f.line, f.end_line], [1, 2, 4]);
      }),
      { numRuns: 300 },
    );
  });
});
