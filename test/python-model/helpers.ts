// Shared checks for the Python model tests.
import assert from 'node:assert/strict';
import type { FunctionModel, ParsedFile, Range } from '../../shared/source/model';

export function only(parsed: ParsedFile, name: string): FunctionModel {
  const found = parsed.functions.filter((f) => f.name === name);
  assert.equal(found.length, 1, `expected one function named ${name}, got ${found.length}`);
  return found[0]!;
}

export function textOf(text: string, r: Range): string {
  return text.slice(r.start.offset, r.end.offset);
}

/** Every range lies inside the text and its line/column agree with its offset. */
export function assertRangesConsistent(text: string, parsed: ParsedFile): void {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') lineStarts.push(i + 1);
    else if (text[i] === '\r') {
      if (text[i + 1] === '\n') i++;
      lineStarts.push(i + 1);
    }
  }
  const check = (r: Range, what: string): void => {
    for (const p of [r.start, r.end]) {
      assert.ok(p.offset >= 0 && p.offset <= text.length, `${what}: offset ${p.offset} outside text of ${text.length}`);
      assert.equal(lineStarts[p.line - 1]! + p.column - 1, p.offset, `${what}: line/column disagree with offset`);
    }
    assert.ok(r.start.offset <= r.end.offset, `${what}: start after end`);
  };
  for (const fn of parsed.functions) {
    check(fn.range, `${fn.name}.range`);
    check(fn.header_range, `${fn.name}.header_range`);
    check(fn.body_range, `${fn.name}.body_range`);
    check(fn.name_range, `${fn.name}.name_range`);
    assert.equal(textOf(text, fn.name_range), fn.name);
    assert.equal(fn.source, textOf(text, fn.range));
    assert.ok(fn.range.start.offset <= fn.header_range.start.offset && fn.body_range.end.offset <= fn.range.end.offset);
    for (const p of fn.params) check(p.range, `${fn.name}(${p.name})`);
    for (const d of fn.decorators) {
      check(d.range, `@${d.name}`);
      for (const a of [...d.positional, ...d.keywords]) {
        check(a.range, `@${d.name} arg`);
        assert.equal(textOf(text, a.range), a.source);
      }
    }
  }
  for (const e of parsed.errors) {
    assert.ok(e.line >= 1 && e.line <= lineStarts.length, `error line ${e.line} outside the text`);
    assert.ok(e.column >= 1);
  }
}
