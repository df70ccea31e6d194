import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { parseServerLogLine } from '../../extension/backend/serverLog';

describe('extension: backend log lines', () => {
  it('logs a pino record at its level, with its fields and without time/pid/hostname', () => {
    const line = JSON.stringify({ level: 30, time: 1795705392529, pid: 8854, hostname: 'vm', name: 'poet-service', folder: 'examples', url: 'http://127.0.0.1:37771', msg: 'POET service listening' });
    assert.deepEqual(parseServerLogLine(line), { level: 'info', text: '[poet-service] POET service listening folder=examples url=http://127.0.0.1:37771' });
    assert.equal(parseServerLogLine(JSON.stringify({ level: 40, msg: 'slow' })).level, 'warn');
    assert.equal(parseServerLogLine(JSON.stringify({ level: 20, msg: 'd' })).level, 'debug');
    assert.equal(parseServerLogLine(JSON.stringify({ level: 10, msg: 't' })).level, 'trace');
  });

  it('keeps errors as errors, with the stack', () => {
    const e = parseServerLogLine(JSON.stringify({ level: 50, msg: 'request failed', req_id: 'r1', err: { message: 'boom', stack: 'Error: boom\n    at x' } }));
    assert.equal(e.level, 'error');
    assert.equal(e.text, 'request failed req_id=r1\nError: boom\n    at x');
  });

  it('treats anything else on stderr as an error line, unchanged', () => {
    assert.deepEqual(parseServerLogLine('node:internal/process: crashed'), { level: 'error', text: 'node:internal/process: crashed' });
    assert.deepEqual(parseServerLogLine('{not json}'), { level: 'error', text: '{not json}' });
    assert.deepEqual(parseServerLogLine('{"a":1}'), { level: 'error', text: '{"a":1}' });
  });
});
