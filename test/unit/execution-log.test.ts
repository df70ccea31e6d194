// The compact format of an execution (execution-line.ts) and the log file reader (log-file.ts):
// a record survives its line whole; the line of an id is found by binary search among lines of
// any length; a partial last line (a writer killed mid-append) is never read.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromLine } from '../../server/storage/records/execution-line';
import { buildExecution } from '../../server/learning/records';
import { LogFile } from '../../server/storage/log-file';

const request = (i: number, extra: Record<string, unknown> = {}) => ({
  function_name: 'add',
  version: 'v2',
  inputs: { a: i, b: 1 },
  output: i + 1,
  duration_ms: 1.25,
  attempts: 1,
  started_at: new Date(1.8e12 + i).toISOString(),
  ...extra,
});

describe('execution lines', () => {
  it('give back the whole record, and stay small for a 2-argument call', () => {
    for (const extra of [{}, { weight: 4, notes: ['n'], context: { user: 'u' } }, { output: undefined, error: { type: 'E', message: 'm', phase: 'operate' } }, { inputs: { big: 'x'.repeat(40_000) } }]) {
      const s = buildExecution(request(7, extra));
      assert.deepEqual(fromLine(s.line, 'add', 'v2'), s.record);
    }
    const line = buildExecution(request(7, { attempt_log: [{ duration_ms: 1.25, outcome: 'ok' }], fallback_used: false })).line;
    assert.ok(Buffer.byteLength(line) < 300, `${Buffer.byteLength(line)} bytes`);
  });
});

describe('LogFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'poet-log-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every line by id among short and long lines, and nothing that is not there', () => {
    const path = join(dir, 'a.jsonl');
    const items = Array.from({ length: 3000 }, (_, i) => buildExecution(request(i, i % 97 === 0 ? { inputs: { text: 'y'.repeat(12_000 + i) } } : {})));
    writeFileSync(path, '{"poet_execution_log":1}\n' + items.map((s) => s.line).join('\n') + '\n');
    const f = LogFile.open(path)!;
    try {
      for (const s of items) assert.equal(f.find(s.record.context.execution_id), s.line);
      assert.equal(f.find(items[0]!.record.context.execution_id.replace(/-v2$/, '-v3')), undefined);
      assert.equal(f.find('0'), undefined);
      const back = [...f.backward()];
      assert.equal(back.length, items.length + 1);
      assert.equal(back[0], items[items.length - 1]!.line);
      const fwd: string[] = [];
      f.forward(0, (l) => fwd.push(l));
      assert.deepEqual(fwd, [...back].reverse());
    } finally {
      f.close();
    }
  });

  it('never reads a partial last line', () => {
    const path = join(dir, 'b.jsonl');
    const a = buildExecution(request(1));
    const b = buildExecution(request(2));
    writeFileSync(path, a.line + '\n');
    appendFileSync(path, b.line.slice(0, 40));
    const f = LogFile.open(path)!;
    try {
      assert.equal(f.find(a.record.context.execution_id), a.line);
      assert.equal(f.find(b.record.context.execution_id), undefined);
      assert.deepEqual([...f.backward()], [a.line]);
    } finally {
      f.close();
    }
  });
});
