// Every fixture under test/fixtures/dana: valid ones parse without errors (and survive an
// emit → parse round trip), invalid ones are rejected at the line and column Dana's own
// grammar reports (recorded from check_parse.py in invalid/expected.json).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDana, parseDanaProgram } from '../../shared/dana/index';
import { emitDana } from '../../shared/dana/emit';
import { stripLocs } from './support';

const root = join(import.meta.dirname, '../fixtures/dana');
const naIn = (dir: string) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.na')).sort();
const expected = JSON.parse(readFileSync(join(root, 'invalid/expected.json'), 'utf8')) as Record<string, { line: number; column: number; oracle: string }>;

describe('dana fixtures: valid', () => {
  for (const f of naIn('valid')) {
    it(`${f} parses`, () => {
      const text = readFileSync(join(root, 'valid', f), 'utf8');
      const r = parseDanaProgram(text);
      assert.deepEqual(r.errors, [], `${f}: ${JSON.stringify(r.errors[0])}`);
      assert.ok(r.program && r.program.body.length > 0);
      assert.deepEqual(parseDana(text).errors, []);
    });

    it(`${f} emits to Dana that parses back to the same tree`, () => {
      const text = readFileSync(join(root, 'valid', f), 'utf8');
      const program = parseDanaProgram(text).program!;
      const emitted = emitDana(program);
      const again = parseDanaProgram(emitted);
      assert.deepEqual(again.errors, [], `re-parse of emitted ${f}:\n${emitted}`);
      assert.deepEqual(stripLocs(again.program), stripLocs(program));
    });
  }
});

describe('dana fixtures: invalid', () => {
  const files = naIn('invalid');
  it('every invalid fixture has an expectation', () => {
    assert.deepEqual(files, Object.keys(expected).sort());
  });
  for (const f of files) {
    it(`${f} is rejected where Dana rejects it`, () => {
      const text = readFileSync(join(root, 'invalid', f), 'utf8');
      const r = parseDanaProgram(text);
      assert.equal(r.program, null);
      assert.ok(r.errors.length > 0);
      const e = r.errors[0]!;
      const want = expected[f]!;
      assert.deepEqual({ line: e.line, column: e.column }, { line: want.line, column: want.column },
        `${f}: ours "${e.message}", Dana "${want.oracle}"`);
      assert.ok(e.message.length > 0);
    });
  }
});

describe('dana fixtures: function lists as Dana sees them', () => {
  // Recorded with `check_parse.py --json --defs` over valid/*.na (Dana's args text is trimmed
  // and read with universal newlines; `line` there is the name's line).
  const defs = JSON.parse(readFileSync(join(root, 'valid/expected-defs.json'), 'utf8')) as Record<string, Array<Record<string, unknown>>>;
  for (const f of naIn('valid')) {
    it(`${f}: same functions, lines, params, decorators, docstrings and parents`, () => {
      const text = readFileSync(join(root, 'valid', f), 'utf8');
      const norm = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? x.replace(/\r\n?/g, '\n') : x))) as unknown;
      const ours = parseDana(text).functions.map((m) => ({
        kind: m.kind, name: m.name, line: m.name_range.start.line, start_line: m.start_line, end_line: m.end_line,
        receiver: m.receiver ? { name: m.receiver.name, type: m.receiver.type } : null,
        params: m.params.map((p) => ({ name: p.name, type: p.type, default: p.default })),
        return_type: m.return_type, composition: m.composition,
        decorators: m.decorators.map((d) => ({ name: d.name, args: d.args.trim(), line: d.line })),
        docstring: m.docstring, parents: m.parents,
      }));
      const theirs = (defs[f] ?? []).map((d) => ({
        kind: d.kind, name: d.name, line: d.line, start_line: d.start_line, end_line: d.end_line,
        receiver: d.receiver ? { name: (d.receiver as { name: string }).name, type: (d.receiver as { type: string | null }).type } : null,
        params: d.params, return_type: d.return_type, composition: d.composition ?? null,
        decorators: (d.decorators as Array<{ name: string; args: string | null; line: number }>).map((x) => ({ name: x.name, args: (x.args ?? '').trim(), line: x.line })),
        docstring: d.docstring, parents: d.parents,
      }));
      assert.deepEqual(norm(ours), theirs);
    });
  }
});

describe('dana error messages explain common mistakes', () => {
  const cases: Array<[string, RegExp]> = [
    ['python-lambda.na', /lambda x :: expr/],
    ['return-tuple.na', /no bare tuples/],
    ['col0-comment-in-body.na', /comment on line 3 ended the block/],
    ['rf-string.na', /no 'rf' string prefix/],
    ['slice-double-colon-step.na', /`::` is one token/],
    ['trailing-comma-params.na', /no trailing comma in parameters/],
    ['try-finally-without-except.na', /no try\/finally without except/],
    ['dotted-decorator.na', /single names/],
    ['comment-between-decorator-and-def.na', /between a decorator and its def/],
    ['reserved-word-param.na', /'workflow' is a reserved word/],
    ['print-statement.na', /call print\(\.\.\.\)/],
    ['bom.na', /byte order mark/],
    ['backslash-continuation.na', /no backslash line continuation/],
    ['empty-file.na', /empty program/],
    ['double-quote-spanning-lines.na', /must end on its line/],
  ];
  for (const [f, re] of cases) {
    it(f, () => {
      const r = parseDanaProgram(readFileSync(join(root, 'invalid', f), 'utf8'));
      assert.match(r.errors[0]!.message, re);
    });
  }
});
