// The learning endpoints over real HTTP on 127.0.0.1, in temporary workspaces.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ExecutionContextFileSchema,
  ExecutionListSchema,
  ExecutionResultFileSchema,
  FeedbackRecordSchema,
  FeedbackResponseSchema,
  FeedbackSummarySchema,
  FunctionMetricsSchema,
  ServiceMetricsSchema,
  TrainResponseSchema,
} from '../../shared/contract/learning';
import { PY_ADD, rawCall, startTestService, type TestService } from '../service/helpers';

type Call = Partial<{ ok: boolean; duration_ms: number; attempts: number; version: string; fn: string; inputs: unknown; output: unknown; errorType: string; phase: string; started_at: string }>;

function execution(c: Call = {}) {
  const ok = c.ok ?? true;
  return {
    function_name: c.fn ?? 'add',
    version: c.version ?? 'v1',
    inputs: c.inputs ?? { a: 1, b: 2 },
    ...(ok ? { output: c.output ?? 3 } : { error: { type: c.errorType ?? 'ConnectionError', message: 'upstream reset', phase: c.phase ?? 'operate' } }),
    duration_ms: c.duration_ms ?? 120,
    attempts: c.attempts ?? 1,
    started_at: c.started_at ?? new Date().toISOString(),
  };
}

async function enhance(t: TestService, code = PY_ADD): Promise<string> {
  const r = await t.call('POST', '/poet/transpile', { json: { code, language: 'python' } });
  assert.equal(r.status, 200, r.text);
  return r.body.version as string;
}

async function post(t: TestService, c: Call = {}): Promise<string> {
  const r = await t.call('POST', '/poet/executions', { json: execution(c) });
  assert.equal(r.status, 201, r.text);
  return r.body.execution_id as string;
}

/** 40 calls: 30% transient failures, durations 100–490 ms. */
async function postBatch(t: TestService, n = 40, version = 'v1'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await post(t, { ok: i % 10 >= 3, duration_ms: 100 + (i % 40) * 10, version }));
  return ids;
}

describe('learning API: executions', function () {
  let t: TestService;
  before(async () => {
    t = await startTestService();
    await enhance(t);
  });
  after(() => t.close());

  it('records an execution as one line of its version\'s log, and as context.json and result.json once feedback refers to it', async () => {
    const id = await post(t, { inputs: { a: 2, b: 5 }, output: 7, duration_ms: 42, attempts: 2 });
    const logDir = join(t.ws, '.dana', 'poet', 'execution-log', 'add', 'v1');
    const lines = (await Promise.all((await readdir(logDir)).filter((n) => n.endsWith('.jsonl')).map((n) => readFile(join(logDir, n), 'utf8')))).join('').split('\n');
    const line = lines.find((l) => l.startsWith(`{"id":"${id}"`));
    assert.ok(line, 'the record is a line of the log');
    assert.ok(Buffer.byteLength(line) < 300, `${Buffer.byteLength(line)} bytes: ${line}`);
    const dir = join(t.ws, '.dana', 'poet', 'executions', id);
    assert.equal(existsSync(dir), false, 'no folder until someone opens it');
    const got = await t.call('GET', `/poet/executions/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual([got.body.context.function_name, got.body.context.version, got.body.context.inputs, got.body.context.inputs_truncation.truncated], ['add', 'v1', { a: 2, b: 5 }, false]);
    assert.deepEqual([got.body.result.status, got.body.result.output, got.body.result.duration_ms, got.body.result.attempts], ['success', 7, 42, 2]);
    assert.deepEqual(got.body.feedback, []);
    assert.equal((await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 'up' } })).status, 201);
    const ctx = ExecutionContextFileSchema.parse(JSON.parse(await readFile(join(dir, 'context.json'), 'utf8')));
    const res = ExecutionResultFileSchema.parse(JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')));
    assert.deepEqual(ctx, got.body.context);
    assert.deepEqual(res, got.body.result);
  });

  it('records a batch whole, answering one id per record in order', async () => {
    const batch = [1, 2, 3].map((i) => execution({ inputs: { a: i, b: 0 }, output: i }));
    const r = await t.call('POST', '/poet/executions', { json: batch });
    assert.equal(r.status, 201, r.text);
    const ids = r.body.execution_ids as string[];
    assert.equal(ids.length, 3);
    assert.deepEqual(ids, [...ids].sort(), 'ids sort in recording order');
    for (const [i, id] of ids.entries()) assert.equal((await t.call('GET', `/poet/executions/${id}`)).body.context.inputs.a, i + 1);
  });

  it('refuses a whole batch naming the record and field at fault, and one over the limit', async () => {
    const before = (await t.call('GET', '/poet/functions/add/executions?limit=1')).body.total;
    const bad = await t.call('POST', '/poet/executions', { json: [execution(), { ...execution(), duration_ms: -1 }] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field), ['[1].duration_ms']);
    const unknown = await t.call('POST', '/poet/executions', { json: [execution(), execution({ version: 'v9' })] });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /^Record 1: Function "add" has no version v9/);
    assert.equal(unknown.body.error.details.index, 1);
    const tooMany = await t.call('POST', '/poet/executions', { json: Array.from({ length: 1001 }, () => ({})) });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /at most 1000 records per request/);
    assert.equal((await t.call('POST', '/poet/executions', { json: [] })).status, 400);
    assert.equal((await t.call('GET', '/poet/functions/add/executions?limit=1')).body.total, before, 'nothing of a refused batch was stored');
  });

  it('records a failure with its error and phase', async () => {
    const id = await post(t, { ok: false, errorType: 'TimeoutError', phase: 'timeout' });
    const got = await t.call('GET', `/poet/executions/${id}`);
    assert.equal(got.body.result.status, 'error');
    assert.deepEqual(got.body.result.error, { type: 'TimeoutError', message: 'upstream reset', phase: 'timeout' });
  });

  it('truncates large inputs and outputs and says so', async () => {
    const big = 'x'.repeat(100_000);
    const id = await post(t, { inputs: { a: 1, text: big }, output: big });
    const got = await t.call('GET', `/poet/executions/${id}`);
    const ctx = got.body.context;
    assert.equal(ctx.inputs_truncation.truncated, true);
    assert.ok(ctx.inputs_truncation.original_bytes > 100_000);
    assert.equal(ctx.inputs.a, 1, 'small fields survive');
    assert.match(ctx.inputs.text, /^\[truncated: \d+ bytes\]$/);
    assert.equal(got.body.result.output_truncation.truncated, true);
    const fb = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: { comment: `wrong ${big}` } } });
    assert.equal(fb.status, 201);
    assert.equal(fb.body.analysis.sentiment, 'negative', 'analysed in full');
    const stored = (await t.call('GET', `/poet/executions/${id}`)).body.feedback[0];
    assert.match(stored.raw_feedback.comment, /^\[truncated: \d+ bytes\]$/, 'stored bounded');
    assert.ok(JSON.stringify(got.body.result.output).length <= got.body.result.output_truncation.limit_bytes);
  });

  it('404s an unknown function or version', async () => {
    const f = await t.call('POST', '/poet/executions', { json: execution({ fn: 'nope' }) });
    assert.equal(f.status, 404);
    assert.equal(f.body.error.code, 'not_found');
    assert.match(f.body.error.message, /Unknown function "nope"/);
    const v = await t.call('POST', '/poet/executions', { json: execution({ version: 'v9' }) });
    assert.equal(v.status, 404);
    assert.deepEqual(v.body.error.details.versions, ['v1']);
    assert.equal((await t.call('GET', '/poet/executions/does-not-exist')).status, 404);
  });

  it('400s a malformed record, naming each field', async () => {
    const { attempts: _a, ...noAttempts } = execution();
    const r = await t.call('POST', '/poet/executions', { json: { ...noAttempts, version: 'latest', output: 1, error: { type: 'E', message: 'm', phase: 'operate' } } });
    assert.equal(r.status, 400);
    const fields = (r.body.error.details as Array<{ field: string }>).map((d) => d.field).sort();
    assert.deepEqual(fields, ['attempts', 'version']);
    const both = await t.call('POST', '/poet/executions', { json: { ...execution(), error: { type: 'E', message: 'm', phase: 'operate' } } });
    assert.equal(both.status, 400);
    assert.match(both.body.error.message, /either output .* or error/);
    const bad = await t.call('POST', '/poet/executions', { json: execution({ fn: '../etc' }) });
    assert.equal(bad.status, 400);
  });

  it('lists a function\'s executions, newest first, by version', async () => {
    const r = await t.call('GET', '/poet/functions/add/executions?version=v1&limit=2');
    assert.equal(r.status, 200, r.text);
    const list = ExecutionListSchema.parse(r.body);
    assert.ok(list.total >= 3);
    assert.equal(list.executions.length, 2);
    assert.ok(list.executions[0]!.started_at >= list.executions[1]!.started_at, JSON.stringify(list.executions));
    assert.equal((await t.call('GET', '/poet/functions/add/executions?limit=0')).status, 400);
    assert.equal((await t.call('GET', '/poet/functions/add/executions?verison=v1')).status, 400);
    assert.equal((await t.call('GET', '/poet/functions/nope/executions')).status, 404);
  });

  it('records 50 concurrent reports, each with its own id and both files', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => t.call('POST', '/poet/executions', { json: execution({ inputs: { a: i, b: 0 }, output: i }) })));
    assert.ok(replies.every((r) => r.status === 201), replies.map((r) => r.status).join(','));
    const ids = replies.map((r) => r.body.execution_id as string);
    assert.equal(new Set(ids).size, 50);
    for (const id of ids) {
      const got = await t.call('GET', `/poet/executions/${id}`);
      assert.equal(got.body.result.output, got.body.context.inputs.a);
    }
  });

  it('needs the token', async () => {
    const r = await rawCall(t.svc.port, 'POST', '/poet/executions', { json: execution() });
    assert.equal(r.status, 401);
  });
});

describe('learning API: feedback', function () {
  let t: TestService;
  before(async () => {
    t = await startTestService();
    await enhance(t);
  });
  after(() => t.close());

  it('analyses feedback, links it to the execution and its version, and writes feedback/{name}/{timestamp}.json', async () => {
    const id = await post(t);
    const r = await t.call('POST', '/poet/feedback', { json: { execution_id: id, function_name: 'add', feedback: { rating: 2, scale: '1-5', comment: 'too slow' } } });
    assert.equal(r.status, 201, r.text);
    const body = FeedbackResponseSchema.parse(r.body);
    assert.equal(body.analysis.sentiment, 'negative');
    assert.equal(body.analysis.score, 0.25);
    assert.deepEqual(body.analysis.scale, { name: '1-5', min: 1, max: 5, source: 'declared' });
    assert.equal(body.learning.triggered, false);
    const dir = join(t.ws, '.dana', 'poet', 'feedback', 'add');
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    const rec = FeedbackRecordSchema.parse(JSON.parse(await readFile(join(dir, files[0]!), 'utf8')));
    assert.equal(rec.execution_id, id);
    assert.equal(rec.version, 'v1');
    assert.equal(`${rec.timestamp}.json`, files[0]);
    const ex = await t.call('GET', `/poet/executions/${id}`);
    assert.equal(ex.body.feedback[0].feedback_id, body.feedback_id);
  });

  it('accepts the legacy feedback_payload and any JSON value', async () => {
    const id = await post(t);
    for (const [payload, sentiment] of [[0.9, 'positive'], ['down', 'negative'], ['not good', 'negative'], [{ correct: true }, 'positive']] as const) {
      const r = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback_payload: payload } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.analysis.sentiment, sentiment, JSON.stringify(payload));
    }
  });

  it('keeps timestamps unique and sortable for records made in the same millisecond', async () => {
    const id = await post(t);
    const replies = await Promise.all(Array.from({ length: 25 }, (_, i) => t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: i % 5 } })));
    assert.ok(replies.every((r) => r.status === 201));
    const files = await readdir(join(t.ws, '.dana', 'poet', 'feedback', 'add'));
    assert.equal(new Set(files).size, files.length);
    const stamps = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(t.ws, '.dana', 'poet', 'feedback', 'add', f), 'utf8')).created_at as string));
    const sorted = [...files].sort();
    // Sorting the file names sorts the records by creation time.
    const byName = sorted.map((f) => stamps[files.indexOf(f)]!);
    assert.deepEqual(byName, [...byName].sort());
  });

  it('404s an unknown execution, 400s missing feedback or a mismatched function', async () => {
    const unknown = await t.call('POST', '/poet/feedback', { json: { execution_id: 'e-missing', feedback: 'up' } });
    assert.equal(unknown.status, 404);
    const id = await post(t);
    const missing = await t.call('POST', '/poet/feedback', { json: { execution_id: id } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details[0].field, 'feedback');
    const other = await t.call('POST', '/poet/feedback', { json: { execution_id: id, function_name: 'other', feedback: 'up' } });
    assert.equal(other.status, 400);
    assert.match(other.body.error.message, /belongs to function "add"/);
  });

  it('summarises feedback per version', async () => {
    const t2 = await startTestService();
    try {
      await enhance(t2);
      const ids = [await post(t2), await post(t2), await post(t2)];
      const fbs = ['great', 'wrong result', 'wrong and slow', 4, 'up'];
      for (let i = 0; i < fbs.length; i++) await t2.call('POST', '/poet/feedback', { json: { execution_id: ids[i % 3], feedback: fbs[i] } });
      const r = await t2.call('GET', '/poet/functions/add/feedback');
      assert.equal(r.status, 200);
      const s = FeedbackSummarySchema.parse(r.body);
      assert.equal(s.total_feedback, 5);
      const v1 = s.versions[0]!;
      assert.deepEqual(v1.sentiment_distribution, { positive: 3, negative: 2, neutral: 0 });
      assert.deepEqual(v1.top_issues[0], { issue: 'wrong', count: 2 });
      // great=1, wrong result=0, wrong and slow=0, 4 on 1–5=0.75, up=1.
      assert.equal(v1.mean_score, 0.55);
      assert.equal(v1.recent[0]!.raw_feedback, 'up', 'newest first');
      assert.equal((await t2.call('GET', '/poet/functions/nope/feedback')).status, 404);
      assert.equal((await t2.call('GET', '/poet/functions/a..b/feedback')).status, 400);
    } finally {
      await t2.close();
    }
  });
});

describe('learning API: train and promotion', function () {
  let t: TestService;
  beforeEach(async () => {
    t = await startTestService();
    await enhance(t);
  });
  afterEach(() => t.close());

  it('refuses to train without enough data', async () => {
    for (let i = 0; i < 12; i++) await post(t);
    const r = await t.call('POST', '/poet/functions/add/train', { json: {} });
    assert.equal(r.status, 200);
    const body = TrainResponseSchema.parse(r.body);
    assert.equal(body.status, 'not_enough_data');
    assert.equal(body.message, 'not enough data (12 of 30 executions)');
    assert.equal(body.new_version, null);
    const fn = await t.call('GET', '/poet/functions/add');
    assert.deepEqual(fn.body.versions.map((v: { version: string }) => v.version), ['v1']);
  });

  it('trains a new version with reason, parent, changes and evidence, and promotes it (auto)', async () => {
    await postBatch(t);
    const r = await t.call('POST', '/poet/functions/add/train', { json: { promote: 'auto' } });
    const body = TrainResponseSchema.parse(r.body);
    assert.equal(body.status, 'trained', body.message);
    assert.equal(body.new_version, 'v2');
    assert.equal(body.current_version, 'v2');
    assert.equal(body.promoted, true);
    assert.deepEqual(body.evidence.executions, 40);
    assert.equal(body.evidence.failures, 12);
    const retries = body.changes.find((c) => c.param === 'retries')!;
    assert.match(retries.reason, /^retries 1 → \d: 30% of 40 attempts failed/);
    const timeout = body.changes.find((c) => c.param === 'timeout')!;
    assert.match(timeout.reason, /^timeout 5 s → \d+ ms: /);
    const v2 = await t.call('GET', '/poet/functions/add/versions/v2');
    assert.equal(v2.body.metadata.reason, 'trained');
    assert.equal(v2.body.metadata.parent_version, 'v1');
    assert.deepEqual(v2.body.metadata.changes, body.changes);
    assert.equal(v2.body.metadata.evidence.executions, 40);
    assert.equal(v2.body.metadata.config.retries, retries.to);
    assert.equal(v2.body.metadata.config.timeout, timeout.to);
    // The generated code carries the learned values.
    assert.match(v2.body.enhanced_code, new RegExp(String(timeout.to).replace('.', '\\.')));
  });

  it('applies opt-in Perceive ranges through a learned domain: the trained code rejects out-of-range inputs', async () => {
    for (let i = 0; i < 40; i++) await post(t, { inputs: { a: i, b: 2 }, output: i + 2, duration_ms: 100 + i });
    const r = await t.call('POST', '/poet/functions/add/train', { json: { settings: { learn_perceive_ranges: true } } });
    const body = TrainResponseSchema.parse(r.body);
    assert.equal(body.status, 'trained', body.message);
    const range = body.changes.find((c) => c.param === 'perceive.a')!;
    assert.deepEqual(range.to, { min: -3.9, max: 43 });
    const domain = body.learned_config!.domain as string;
    assert.match(domain, /^learned_add_v1_[a-z0-9]+$/);
    const file = JSON.parse(await readFile(join(t.ws, '.dana', 'poet', 'domains', `${domain}.json`), 'utf8'));
    assert.deepEqual(file.inputs.map((x: { params: string[]; min: number; max: number }) => [x.params, x.min, x.max]), [[['a'], -3.9, 43], [['b'], 2, 2]]);
    const v2 = await t.call('GET', `/poet/functions/add/versions/${body.new_version}`);
    assert.equal(v2.body.metadata.config.domain, domain);
    // Run the trained code: in range passes, out of range is rejected by Perceive.
    const py = [
      'import importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("m", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'out = {"ok": m.add(5, 2)}',
      'try:\n    m.add(1000, 2)\n    out["rejected"] = None\nexcept m.PerceiveError as e:\n    out["rejected"] = str(e)',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', py, join(t.ws, '.dana', 'poet', 'functions', 'add', body.new_version!, 'enhanced.py')], { encoding: 'utf8', env: { ...process.env, POET_API_URL: '' } });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.ok, 7);
    assert.match(out.rejected, /'a' = 1000/);
    // Training the trained version on the same kind of data keeps its rules (no change from them).
    for (let i = 0; i < 40; i++) await post(t, { version: body.new_version!, inputs: { a: i, b: 2 }, output: i + 2, duration_ms: 100 + i });
    const again = await t.call('POST', '/poet/functions/add/train', { json: { dry_run: true, settings: { learn_perceive_ranges: true } } });
    assert.equal(again.body.evidence.executions, 40);
    assert.ok(!again.body.changes.some((c: { param: string }) => c.param.startsWith('perceive.')), JSON.stringify(again.body.changes));
  });

  it('dry_run reports the changes without creating a version', async () => {
    await postBatch(t, 30);
    const r = await t.call('POST', '/poet/functions/add/train', { json: { dry_run: true } });
    assert.equal(r.body.status, 'dry_run');
    assert.ok(r.body.changes.length > 0);
    assert.equal(r.body.new_version, null);
    assert.deepEqual((await t.call('GET', '/poet/functions/add')).body.versions.length, 1);
  });

  it('manual promotion leaves current alone until the user promotes', async () => {
    await postBatch(t);
    const r = await t.call('POST', '/poet/functions/add/train', { json: { promote: 'manual' } });
    assert.equal(r.body.new_version, 'v2');
    assert.equal(r.body.promoted, false);
    assert.equal(r.body.current_version, 'v1');
    assert.match(r.body.message, /promote it with PUT \/poet\/functions\/add\/current/);
    assert.equal((await t.call('GET', '/poet/functions/add')).body.current_version, 'v1');
    const p = await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v2' } });
    assert.equal(p.status, 200);
    assert.equal((await t.call('GET', '/poet/functions/add')).body.current_version, 'v2');
  });

  it('after a rollback, auto-train proposes but does not re-promote; an explicit train does', async () => {
    await postBatch(t);
    assert.equal((await t.call('POST', '/poet/functions/add/train', { json: { promote: 'auto' } })).body.current_version, 'v2');
    // The user rolls back to v1.
    assert.equal((await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v1' } })).status, 200);
    const s = await t.call('PUT', '/poet/learning/settings', { json: { auto_train: { enabled: true, after_records: 5, min_interval_s: 0, promote: 'auto' } } });
    assert.equal(s.status, 200, s.text);
    // More v1 records arrive; feedback is the fifth record and triggers auto-train synchronously.
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await post(t, { ok: i !== 0, duration_ms: 150 }));
    await new Promise((ok) => setTimeout(ok, 200));
    const fb = await t.call('POST', '/poet/feedback', { json: { execution_id: ids[1], feedback: 'up' } });
    assert.equal(fb.status, 201, fb.text);
    const fn = await t.call('GET', '/poet/functions/add');
    assert.equal(fn.body.current_version, 'v1', 'the rollback holds');
    const learning = fb.body.learning;
    if (learning.triggered) {
      assert.match(learning.message, /Not promoted: current is v1, not the newest/);
    } else {
      // The background auto-train from an execution got there first; it must not have promoted either.
      assert.match(learning.message, /auto-train after \d of 5|already in progress|less than/);
    }
    // An explicit Train from the rolled-back version does promote.
    const r = await t.call('POST', '/poet/functions/add/train', { json: { promote: 'auto' } });
    assert.equal(r.body.base_version, 'v1');
    assert.equal(r.body.promoted, true);
    assert.equal((await t.call('GET', '/poet/functions/add')).body.current_version, r.body.new_version);
  });

  it('auto-trains after N new records, at most once per interval', async () => {
    await t.call('PUT', '/poet/learning/settings', { json: { min_executions: 10, auto_train: { enabled: true, after_records: 11, min_interval_s: 3600 } } });
    // Ten executions, then feedback as the eleventh record.
    const ids = await postBatch(t, 10);
    const before = await t.call('POST', '/poet/feedback', { json: { execution_id: ids[0], feedback: 'good' } });
    assert.equal(before.body.learning.triggered, true, before.body.learning.message);
    assert.equal(before.body.learning.new_version, 'v2');
    // Manual is the default for auto-train: current stays.
    assert.equal((await t.call('GET', '/poet/functions/add')).body.current_version, 'v1');
    for (let i = 0; i < 11; i++) await post(t);
    const again = await t.call('POST', '/poet/feedback', { json: { execution_id: ids[1], feedback: 'good' } });
    assert.equal(again.body.learning.triggered, false);
    assert.match(again.body.learning.message, /auto-train ran less than 3600 s ago/);
  });

  it('auto-trains a function whose config enables training, with the service setting off', async () => {
    const t2 = await startTestService();
    try {
      await enhance(t2, PY_ADD.replace('@poet(retries=1, timeout=5)', '@poet(retries=1, timeout=5, enable_training=True)'));
      await t2.call('PUT', '/poet/learning/settings', { json: { auto_train: { after_records: 31, min_interval_s: 0 } } });
      const ids = await postBatch(t2, 30);
      const fb = await t2.call('POST', '/poet/feedback', { json: { execution_id: ids[3], feedback: 'up' } });
      assert.equal(fb.body.learning.triggered, true, fb.body.learning.message);
      const v2 = await t2.call('GET', `/poet/functions/add/versions/${fb.body.learning.new_version}`);
      assert.equal(v2.body.metadata.reason, 'trained');
      assert.equal(v2.body.metadata.training.trigger, 'auto');
      // And without enable_training nothing happens (the previous tests' default).
      const plain = await startTestService();
      try {
        await enhance(plain);
        await plain.call('PUT', '/poet/learning/settings', { json: { auto_train: { after_records: 31, min_interval_s: 0 } } });
        const pids = await postBatch(plain, 30);
        const pfb = await plain.call('POST', '/poet/feedback', { json: { execution_id: pids[3], feedback: 'up' } });
        assert.equal(pfb.body.learning.triggered, false);
        assert.match(pfb.body.learning.message, /auto-train is off/);
      } finally {
        await plain.close();
      }
    } finally {
      await t2.close();
    }
  });

  it('404s an unknown function and 400s a bad request', async () => {
    assert.equal((await t.call('POST', '/poet/functions/nope/train', { json: {} })).status, 404);
    const bad = await t.call('POST', '/poet/functions/add/train', { json: { promote: 'sometimes' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'promote');
    const unknown = await t.call('POST', '/poet/functions/add/train', { json: { promot: 'auto' } });
    assert.equal(unknown.status, 400);
  });
});

describe('learning API: metrics', function () {
  let t: TestService;
  before(async () => {
    t = await startTestService();
    await enhance(t);
    await enhance(t); // a cache hit
  });
  after(() => t.close());

  it('reports per-version metrics', async () => {
    const ids = [
      await post(t, { duration_ms: 100, attempts: 1 }),
      await post(t, { duration_ms: 200, attempts: 3 }),
      await post(t, { ok: false, duration_ms: 300, attempts: 2, errorType: 'TimeoutError', phase: 'timeout' }),
      await post(t, { ok: false, duration_ms: 5, errorType: 'ValueError', phase: 'perceive' }),
    ];
    await t.call('POST', '/poet/feedback', { json: { execution_id: ids[0], feedback: 'up' } });
    await t.call('POST', '/poet/feedback', { json: { execution_id: ids[1], feedback: { rating: 3, scale: '1-5' } } });
    const r = await t.call('GET', '/poet/functions/add/metrics');
    assert.equal(r.status, 200);
    const m = FunctionMetricsSchema.parse(r.body);
    const v1 = m.versions[0]!;
    assert.deepEqual(
      [v1.executions, v1.successes, v1.success_rate, v1.p50_ms, v1.mean_attempts, v1.retries_spent, v1.timeouts, v1.perceive_rejections, v1.feedback_count, v1.mean_feedback_score],
      [4, 2, 0.5, 150, 1.75, 3, 1, 1, 2, 0.75],
    );
    assert.equal(m.timeline.executions.reduce((s, b) => s + b.count, 0), 4);
    assert.equal(m.timeline.feedback.length, 2);
    assert.equal((await t.call('GET', '/poet/functions/nope/metrics')).status, 404);
  });

  it('reports service-wide metrics as JSON and in Prometheus format, behind the token', async () => {
    const r = await t.call('GET', '/poet/metrics');
    const m = ServiceMetricsSchema.parse(r.body);
    assert.ok(m.requests.some((x) => x.method === 'POST' && x.route === '/poet/executions' && x.status === 201 && x.count >= 4));
    assert.equal(m.cache.hits, 1);
    assert.equal(m.generations, 1);
    assert.equal(m.cache.hit_rate, 0.5);
    assert.ok(m.executions_recorded >= 4 && m.feedback_recorded >= 2);
    assert.ok(m.latency_ms.count > 0 && m.latency_ms.p50 !== null);
    const p = await t.call('GET', '/metrics');
    assert.equal(p.status, 200);
    assert.match(String(p.headers['content-type']), /^text\/plain/);
    assert.match(p.text, /^poet_http_requests_total\{method="POST",route="\/poet\/executions",status="201"\} \d+$/m);
    assert.match(p.text, /^poet_transpile_total\{outcome="cache_hit"\} 1$/m);
    assert.match(p.text, /^poet_executions_total\{function="add",version="v1",status="success"\} 2$/m);
    assert.equal((await rawCall(t.svc.port, 'GET', '/metrics')).status, 401);
  });

  it('reads and validates the learning settings', async () => {
    const g = await t.call('GET', '/poet/learning/settings');
    assert.equal(g.body.target_success, 0.99);
    const bad = await t.call('PUT', '/poet/learning/settings', { json: { target_success: 2 } });
    assert.equal(bad.status, 400);
    const typo = await t.call('PUT', '/poet/learning/settings', { json: { autoTrain: {} } });
    assert.equal(typo.status, 400);
    const ok = await t.call('PUT', '/poet/learning/settings', { json: { target_success: 0.999 } });
    assert.equal(ok.body.target_success, 0.999);
    const file = JSON.parse(await readFile(join(t.ws, '.dana', 'poet', 'learning', 'settings.json'), 'utf8'));
    assert.equal(file.target_success, 0.999);
  });
});

describe('learning API: LLM feedback analysis', function () {
  let llm: Server;
  // Until a test sets it, the fake LLM answers with something no caller accepts.
  let reply: () => unknown = () => 'not json';
  let seen: Array<{ auth?: string; body: unknown }>;
  const KEYS = ['POET_LLM_URL', 'POET_LLM_MODEL', 'POET_LLM_API_KEY'] as const;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  let t: TestService;
  before(async () => {
    seen = [];
    llm = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { content: typeof reply() === 'string' ? reply() : JSON.stringify(reply()) } }] }));
      });
    });
    await new Promise<void>((ok) => llm.listen(0, '127.0.0.1', ok));
    process.env.POET_LLM_URL = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    process.env.POET_LLM_MODEL = 'test-model';
    process.env.POET_LLM_API_KEY = 'llm-secret';
    t = await startTestService();
    await enhance(t);
  });
  after(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await t.close();
    await new Promise((ok) => llm.close(ok));
  });

  it('uses a schema-valid LLM analysis for text', async () => {
    reply = () => ({ sentiment: 'negative', feedback_type: 'usability', confidence: 0.8, key_issues: ['too verbose'], suggestions: ['shorten'], learning_priority: 'medium', score: 0.3 });
    const id = await post(t);
    const r = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 'way too chatty' } });
    assert.equal(r.body.analysis.method, 'llm');
    assert.deepEqual(r.body.analysis.key_issues, ['too verbose']);
    assert.equal(seen.at(-1)!.auth, 'Bearer llm-secret');
    assert.ok(!t.logs.some((l) => l.includes('llm-secret')), 'the key is never logged');
  });

  it('falls back to the deterministic analysis when the LLM answer is invalid', async () => {
    reply = () => ({ sentiment: 'furious', score: 7 });
    const id = await post(t);
    const r = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 'not good' } });
    assert.equal(r.body.analysis.method, 'deterministic');
    assert.equal(r.body.analysis.sentiment, 'negative');
    assert.match(r.body.analysis.llm_fallback_reason, /does not match the analysis schema/);
    reply = () => 'this is not json';
    const r2 = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 'great' } });
    assert.equal(r2.body.analysis.method, 'deterministic');
    assert.equal(r2.body.analysis.llm_fallback_reason, 'LLM reply is not JSON');
  });

  it('falls back when the LLM endpoint is unreachable', async () => {
    const t3 = await (async () => {
      const url = process.env.POET_LLM_URL;
      process.env.POET_LLM_URL = 'http://127.0.0.1:9/v1';
      try {
        return await startTestService();
      } finally {
        process.env.POET_LLM_URL = url;
      }
    })();
    try {
      await enhance(t3);
      const id = await post(t3);
      const r = await t3.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 'wrong answer' } });
      assert.equal(r.status, 201);
      assert.equal(r.body.analysis.method, 'deterministic');
      assert.match(r.body.analysis.llm_fallback_reason, /LLM request failed/);
    } finally {
      await t3.close();
    }
  });

  it('reads numbers itself without asking the LLM', async () => {
    const n = seen.length;
    const id = await post(t);
    const r = await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: 4 } });
    assert.equal(r.body.analysis.method, 'deterministic');
    assert.equal(seen.length, n);
  });
});
