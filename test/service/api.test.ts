// Every endpoint over real HTTP on 127.0.0.1, in a fresh workspace, against the contract schemas.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CacheDeleteResponseSchema,
  FunctionDetailResponseSchema,
  FunctionListResponseSchema,
  HealthResponseSchema,
  PoetHealthResponseSchema,
  SetCurrentResponseSchema,
  TranspileResponseSchema,
  VersionDetailResponseSchema,
  VersionMetadataSchema,
  apiPaths,
} from '../../shared/contract/api';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { PY_ADD, pyFunction, snapshot, startTestService, type Reply, type TestService } from './helpers';

function expectError(r: Reply, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  const body = ErrorBodySchema.parse(r.body);
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 10, 'a message a person can act on');
}

describe('service endpoints', () => {
  let t: TestService;
  beforeEach(async () => {
    t = await startTestService();
  });
  afterEach(async () => {
    await t.close();
  });

  const transpile = (json: unknown) => t.call('POST', apiPaths.transpile(), { json });

  it('GET /health answers without a token', async () => {
    const r = await t.call('GET', '/health', { noAuth: true });
    assert.equal(r.status, 200);
    const h = HealthResponseSchema.parse(r.body);
    assert.equal(h.workspace, t.svc.deps.workspace);
    assert.ok(r.headers['x-request-id']);
  });

  it('GET /poet/health reports storage and generators', async () => {
    const r = await t.call('GET', '/poet/health');
    assert.equal(r.status, 200);
    const h = PoetHealthResponseSchema.parse(r.body);
    assert.equal(h.components.storage.ok, true);
    assert.equal(h.components.generator.ok, true);
    assert.ok(h.components.generator.languages.python?.version);
    assert.ok(h.components.generator.languages.dana?.version);
  });

  it('writes nothing into the workspace until the first version, then lays out .dana/poet/', async () => {
    for (const path of ['/poet/health', apiPaths.functions()]) assert.equal((await t.call('GET', path)).status, 200);
    assert.equal((await t.call('GET', '/health', { noAuth: true })).status, 200);
    assert.equal(existsSync(join(t.ws, '.dana')), false, 'serving a folder must not create .dana/');
    assert.equal((await transpile({ code: PY_ADD, language: 'python' })).status, 200);
    const layout = (await readdir(join(t.ws, '.dana/poet'))).filter((n) => !n.startsWith('.')).sort();
    assert.deepEqual(layout, ['cache', 'executions', 'feedback', 'functions', 'magic', 'runtime']);
  });

  it('POST /poet/transpile writes v1 with metadata, current and cache', async () => {
    const r = await transpile({ code: PY_ADD, language: 'python', context: { file: 'src/math_utils.py' } });
    assert.equal(r.status, 200, r.text);
    const out = TranspileResponseSchema.parse(r.body);
    assert.equal(out.function_name, 'add');
    assert.equal(out.key, 'add');
    assert.equal(out.version, 'v1');
    assert.equal(out.created, true);
    assert.equal(out.cached, false);
    assert.equal(out.current, true);
    assert.equal(out.source_file, 'src/math_utils.py');
    assert.equal(out.poet_implementation.code, out.poet_implementation.enhanced_code);
    assert.equal(out.poet_implementation.file, '.dana/poet/functions/add/v1/enhanced.py');
    assert.equal(await readFile(join(t.ws, out.poet_implementation.file), 'utf8'), out.poet_implementation.code);
    const meta = VersionMetadataSchema.parse(JSON.parse(await readFile(join(t.ws, '.dana/poet/functions/add/v1/metadata.json'), 'utf8')));
    assert.equal(meta.reason, 'initial');
    assert.equal(meta.parent_version, null);
    assert.equal(meta.source_hash, out.source_hash);
    assert.equal(meta.config.retries, 1, 'the decorator\'s retries');
    assert.equal(meta.config.timeout, 5, 'the decorator\'s timeout');
    assert.equal(meta.original_source.trim(), PY_ADD.trim());
    assert.ok(meta.generator.name && meta.generator.version);
    assert.equal((await readFile(join(t.ws, '.dana/poet/functions/add/current'), 'utf8')).trim(), 'v1');
    const cacheFiles = await readdir(join(t.ws, '.dana/poet/cache/add'));
    assert.deepEqual(cacheFiles, [`${out.source_hash.slice('sha256:'.length)}.json`]);
    for (const d of ['executions', 'feedback', 'magic']) assert.ok(existsSync(join(t.ws, '.dana/poet', d)), d);
  });

  it('the same input is a cache hit that writes nothing', async () => {
    const first = TranspileResponseSchema.parse((await transpile({ code: PY_ADD, language: 'python' })).body);
    const before = await snapshot(join(t.ws, '.dana'));
    const r = await transpile({ code: PY_ADD.replace(/\n/g, '\r\n'), language: 'python' });
    const again = TranspileResponseSchema.parse(r.body);
    assert.equal(again.version, first.version);
    assert.equal(again.cached, true);
    assert.equal(again.created, false);
    assert.equal(again.current, true);
    assert.deepEqual(await snapshot(join(t.ws, '.dana')), before);
  });

  it('accepts the legacy function_code field and returns enhanced_code', async () => {
    const r = await transpile({ function_code: PY_ADD, language: 'python' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.poet_implementation.enhanced_code, r.body.poet_implementation.code);
    expectError(await transpile({ code: PY_ADD, function_code: 'def other(): pass', language: 'python' }), 400, 'invalid_request');
  });

  it('takes the language from context.file and defaults to Dana', async () => {
    const r = await transpile({ code: PY_ADD, context: { file: 'lib/calc.py' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.language, 'python');
    const dana = await transpile({ code: 'def twice(x: int) -> int:\n    return x * 2\n' });
    assert.equal(dana.status, 200, dana.text);
    assert.equal(dana.body.language, 'dana');
    assert.match(dana.body.poet_implementation.file, /functions\/twice\/v1\/enhanced\.na$/);
  });

  it('a config change makes v2 (config_changed), a source change v3 (source_changed)', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    const v2 = TranspileResponseSchema.parse((await transpile({ code: PY_ADD, language: 'python', config: { retries: 4 } })).body);
    assert.equal(v2.version, 'v2');
    assert.equal(v2.metadata.reason, 'config_changed');
    assert.equal(v2.metadata.parent_version, 'v1');
    assert.equal(v2.metadata.config.retries, 4, 'the request overrides the decorator');
    const edited = PY_ADD.replace('a + b', 'b + a');
    const v3 = TranspileResponseSchema.parse((await transpile({ code: edited, language: 'python', config: { retries: 4 } })).body);
    assert.equal(v3.version, 'v3');
    assert.equal(v3.metadata.reason, 'source_changed');
    assert.equal(v3.metadata.parent_version, 'v2');
    assert.notEqual(v3.source_hash, v2.source_hash);
  });

  it('changing only a @poet(...) argument is config_changed, in Dana and Python; a body change with it is source_changed', async () => {
    for (const [language, code] of [
      ['dana', '@poet(domain="computation", retries=2)\ndef halve(x: float) -> float:\n    return x / 2\n'],
      ['python', 'from poet import poet\n\n@poet(domain="computation", retries=2)\ndef halve_py(x: float) -> float:\n    return x / 2\n'],
    ] as const) {
      const v1 = TranspileResponseSchema.parse((await transpile({ code, language })).body);
      const v2 = TranspileResponseSchema.parse((await transpile({ code: code.replace('retries=2', 'retries=3'), language })).body);
      assert.deepEqual([v2.version, v2.metadata.reason, v2.metadata.reason_detail, v2.metadata.parent_version], ['v2', 'config_changed', 'config changed: retries', v1.version], language);
      const reformatted = TranspileResponseSchema.parse((await transpile({ code: code.replace('retries=2', 'retries = 3'), language })).body);
      assert.deepEqual([reformatted.version, reformatted.metadata.reason], ['v3', 'source_changed'], `${language}: the same config written differently`);
      const both = TranspileResponseSchema.parse((await transpile({ code: code.replace('retries=2', 'retries=4').replace('x / 2', 'x * 0.5'), language })).body);
      assert.deepEqual([both.version, both.metadata.reason], ['v4', 'source_changed'], language);
    }
  });

  it('force makes a new version from the same input (manual)', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    const r = TranspileResponseSchema.parse((await transpile({ code: PY_ADD, language: 'python', force: true })).body);
    assert.equal(r.version, 'v2');
    assert.equal(r.metadata.reason, 'manual');
  });

  it('names each bad config key with a suggestion, and checks ranges', async () => {
    const r = await transpile({ code: PY_ADD, language: 'python', config: { retrys: 3, timout: 2 } });
    expectError(r, 400, 'invalid_request');
    const fields = (r.body.error.details as Array<{ field: string; suggestion?: string }>).map((d) => [d.field, d.suggestion]);
    assert.deepEqual(fields.sort(), [
      ['config.retrys', 'retries'],
      ['config.timout', 'timeout'],
    ]);
    const range = await transpile({ code: PY_ADD, language: 'python', config: { retries: 99 } });
    expectError(range, 400, 'invalid_request');
    assert.equal(range.body.error.details[0].field, 'config.retries');
    const dec = await transpile({ code: '@poet(retires=2)\ndef f(x: int) -> int:\n    return x\n', language: 'python' });
    expectError(dec, 400, 'invalid_request');
    assert.equal(dec.body.error.details[0].field, '@poet.retires');
  });

  it('enhances a function whose domain it does not know with the general rules, and says so; its unknown keys stay errors', async () => {
    const code = '@poet(domain="data_validation", retries=1)\ndef clean(rows: list) -> list:\n    return rows\n';
    const r = await transpile({ code, language: 'dana', context: { file: 'etl.na' } });
    assert.equal(r.status, 200, r.text);
    const res = TranspileResponseSchema.parse(r.body);
    assert.equal(res.metadata.config.domain, 'data_validation');
    assert.equal(res.warnings?.length, 1);
    assert.equal(res.warnings![0]!.field, '@poet.domain');
    assert.match(res.warnings![0]!.message, /^Unknown domain "data_validation": enhanced with the general rules only .*closest known domain is "[a-z_]+"\. To define "data_validation", write \.dana\/poet\/domains\/data_validation\.json/);
    // A cache hit says it again.
    const hit = TranspileResponseSchema.parse((await transpile({ code, language: 'dana', context: { file: 'etl.na' } })).body);
    assert.equal(hit.cached, true);
    assert.deepEqual(hit.warnings, res.warnings);
    // Once the domain is defined, the function gets a version with its rules, and no warning.
    await mkdir(join(t.ws, '.dana/poet/domains'), { recursive: true });
    await writeFile(join(t.ws, '.dana/poet/domains/data_validation.json'), JSON.stringify({ inputs: [{ params: ['rows'], non_empty: true }] }));
    const defined = TranspileResponseSchema.parse((await transpile({ code, language: 'dana', context: { file: 'etl.na' } })).body);
    assert.equal(defined.version, 'v2');
    assert.equal(defined.warnings, undefined);
    assert.match(defined.poet_implementation.code, /non_empty/);

    const badKey = await transpile({ code: code.replace('retries=1', 'strictness=3'), language: 'dana', context: { file: 'other.na' }, key: 'clean2' });
    expectError(badKey, 400, 'invalid_request');
    assert.equal(badKey.body.error.details[0].field, '@poet.strictness');
  });

  it('requires function_name when the code defines several functions', async () => {
    const two = pyFunction('alpha') + '\n' + pyFunction('beta');
    const r = await transpile({ code: two, language: 'python' });
    expectError(r, 400, 'invalid_request');
    assert.match(r.body.error.message, /alpha, beta/);
    const ok = await transpile({ code: two, language: 'python', function_name: 'beta' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.function_name, 'beta');
    const typo = await transpile({ code: two, language: 'python', function_name: 'bata' });
    expectError(typo, 400, 'invalid_request');
    assert.match(typo.body.error.message, /Did you mean "beta"/);
    expectError(await transpile({ code: '# nothing here\n', language: 'python' }), 400, 'invalid_request');
  });

  it('rejects schema failures field by field', async () => {
    const r = await transpile({ code: 42, language: 'cobol', force: 'yes', extra: 1 });
    expectError(r, 400, 'invalid_request');
    const fields = (r.body.error.details as Array<{ field: string }>).map((d) => d.field).sort();
    assert.deepEqual(fields, ['code', 'extra', 'force', 'language']);
    expectError(await transpile({}), 400, 'invalid_request');
    expectError(await transpile([1, 2]), 400, 'invalid_request');
  });

  it('answers 422 with line and column when the code does not parse', async () => {
    const r = await transpile({ code: 'def broken(x:\n    return x\n', language: 'python' });
    expectError(r, 422, 'syntax_error');
    assert.equal(typeof r.body.error.details.line, 'number');
    assert.equal(typeof r.body.error.details.column, 'number');
    assert.ok(r.body.error.details.errors.length >= 1);
  });

  it('says when the syntax error lies outside the function being enhanced', async () => {
    const code = '@poet(retries=1)\ndef good(x: float) -> float:\n    return x * 2\n\ndef broken(y:\n    return y\n';
    const r = await transpile({ code, language: 'dana', function_name: 'good' });
    expectError(r, 422, 'syntax_error');
    assert.equal(r.body.error.details.line, 6);
    assert.match(r.body.error.message, /outside good, but the enhanced code loads the whole file/);
  });

  it('lists functions, shows one, and shows a version', async () => {
    await transpile({ code: PY_ADD, language: 'python', context: { file: 'm.py' } });
    await transpile({ code: PY_ADD, language: 'python', context: { file: 'm.py' }, config: { retries: 3 } });
    await transpile({ code: pyFunction('solo'), language: 'python' });

    const list = FunctionListResponseSchema.parse((await t.call('GET', apiPaths.functions())).body);
    assert.deepEqual(list.map((f) => [f.key, f.current_version, f.versions]), [
      ['add', 'v2', ['v1', 'v2']],
      ['solo', 'v1', ['v1']],
    ]);
    assert.equal(list[0]!.source_file, 'm.py');
    assert.equal(list[0]!.language, 'python');

    const d = FunctionDetailResponseSchema.parse((await t.call('GET', apiPaths.function('add'))).body);
    assert.equal(d.current_version, 'v2');
    assert.deepEqual(d.versions.map((v) => [v.version, v.reason, v.parent_version]), [
      ['v1', 'initial', null],
      ['v2', 'config_changed', 'v1'],
    ]);
    assert.ok(d.versions[1]!.files.includes('.dana/poet/functions/add/v2/metadata.json'));

    const v = VersionDetailResponseSchema.parse((await t.call('GET', apiPaths.version('add', 'v1'))).body);
    assert.equal(v.metadata.version, 'v1');
    assert.ok(v.enhanced_code.length > 0);
    assert.equal(v.train_code === null || typeof v.train_code === 'string', true);

    expectError(await t.call('GET', apiPaths.function('nothere')), 404, 'not_found');
    expectError(await t.call('GET', apiPaths.version('add', 'v9')), 404, 'not_found');
    expectError(await t.call('GET', apiPaths.version('nothere', 'v1')), 404, 'not_found');
    expectError(await t.call('GET', apiPaths.version('add', 'latest')), 400, 'invalid_request');
  });

  it('the function list follows changes made outside the service', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    await transpile({ code: PY_ADD, language: 'python', config: { retries: 3 } });
    const list = async () => FunctionListResponseSchema.parse((await t.call('GET', apiPaths.functions())).body);
    // Let the folder's mtime age past the memo's 50 ms guard, then list twice (the second from the memo).
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await list())[0]!.current_version, 'v2');
    assert.equal((await list())[0]!.current_version, 'v2');
    // A person edits `current` in place (no rename): the list shows it.
    await writeFile(join(t.ws, '.dana/poet/functions/add/current'), 'v1\n');
    assert.equal((await list())[0]!.current_version, 'v1');
    // A function folder removed by hand disappears from the list.
    await rm(join(t.ws, '.dana/poet/functions/add'), { recursive: true });
    assert.deepEqual(await list(), []);
  });

  it('repeated cache hits reuse one serialised body, yet always say whether the version is current', async () => {
    const input = { code: PY_ADD, language: 'python' };
    const v1 = TranspileResponseSchema.parse((await transpile(input)).body);
    await transpile({ ...input, config: { retries: 3 } }); // v2 becomes current
    // Age the cache entry: the store only memoises entries older than its mtime granularity.
    const entry = join(t.ws, '.dana/poet/cache/add', `${v1.source_hash.slice('sha256:'.length)}.json`);
    const past = new Date(Date.now() - 60_000);
    await utimes(entry, past, past);

    const a = await transpile(input);
    const b = await transpile(input);
    assert.equal(a.status, 200, a.text);
    assert.match(String(a.headers['content-type']), /^application\/json; charset=utf-8/);
    assert.equal(b.text, a.text);
    assert.equal(a.body.version, 'v1');
    assert.equal(a.body.cached, true);
    assert.equal(a.body.current, false);

    assert.equal((await t.call('PUT', apiPaths.current('add'), { json: { version: 'v1' } })).status, 200);
    const c = await transpile(input);
    assert.equal(c.body.current, true);
    assert.deepEqual({ ...c.body, current: false }, a.body);
  });

  it('PUT current pins and rolls back; the version must exist', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    await transpile({ code: PY_ADD, language: 'python', config: { retries: 3 } });
    const r = await t.call('PUT', apiPaths.current('add'), { json: { version: 'v1' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(SetCurrentResponseSchema.parse(r.body), { name: 'add', key: 'add', current_version: 'v1', previous_version: 'v2' });
    assert.equal((await readFile(join(t.ws, '.dana/poet/functions/add/current'), 'utf8')).trim(), 'v1');
    assert.equal((await t.call('GET', apiPaths.function('add'))).body.current_version, 'v1');
    // A cache hit on v2's input answers v2 but leaves the pin alone.
    const hit = await transpile({ code: PY_ADD, language: 'python', config: { retries: 3 } });
    assert.equal(hit.body.version, 'v2');
    assert.equal(hit.body.current, false);
    assert.equal((await t.call('GET', apiPaths.function('add'))).body.current_version, 'v1');

    expectError(await t.call('PUT', apiPaths.current('add'), { json: { version: 'v7' } }), 404, 'not_found');
    expectError(await t.call('PUT', apiPaths.current('nothere'), { json: { version: 'v1' } }), 404, 'not_found');
    expectError(await t.call('PUT', apiPaths.current('add'), { json: { version: '1' } }), 400, 'invalid_request');
    expectError(await t.call('PUT', apiPaths.current('add'), { json: {} }), 400, 'invalid_request');
    expectError(await t.call('PUT', apiPaths.current('add')), 400, 'invalid_request');
  });

  it('DELETE cache drops generations but keeps versions', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    await transpile({ code: pyFunction('solo'), language: 'python' });
    const one = CacheDeleteResponseSchema.parse((await t.call('DELETE', apiPaths.functionCache('add'))).body);
    assert.deepEqual(one, { deleted: 1, key: 'add' });
    assert.ok(existsSync(join(t.ws, '.dana/poet/functions/add/v1/metadata.json')));
    const again = TranspileResponseSchema.parse((await transpile({ code: PY_ADD, language: 'python' })).body);
    assert.equal(again.version, 'v2', 'regenerated after the cache was dropped');
    assert.equal(again.metadata.reason, 'manual');
    const all = CacheDeleteResponseSchema.parse((await t.call('DELETE', apiPaths.cache())).body);
    assert.deepEqual(all, { deleted: 2, key: null });
    assert.deepEqual(await readdir(join(t.ws, '.dana/poet/cache')), []);
    const none = CacheDeleteResponseSchema.parse((await t.call('DELETE', apiPaths.functionCache('nothere'))).body);
    assert.equal(none.deleted, 0);
  });

  it('a second file defining the same name gets 409 with a module-qualified key to use', async () => {
    const a = await transpile({ code: pyFunction('total'), language: 'python', context: { file: 'billing/invoice.py' } });
    assert.equal(a.status, 200, a.text);
    const b = await transpile({ code: pyFunction('total', 1), language: 'python', context: { file: 'reports/summary.py' } });
    expectError(b, 409, 'conflict');
    assert.deepEqual(b.body.error.details, {
      key: 'total',
      existing_source_file: 'billing/invoice.py',
      source_file: 'reports/summary.py',
      suggested_key: 'reports.summary.total',
    });
    const c = await transpile({ code: pyFunction('total', 1), language: 'python', context: { file: 'reports/summary.py' }, key: 'reports.summary.total' });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.key, 'reports.summary.total');
    assert.equal(c.body.function_name, 'total');
    assert.equal(c.body.version, 'v1');
    assert.ok(existsSync(join(t.ws, '.dana/poet/functions/reports.summary.total/v1/metadata.json')));
    const list = FunctionListResponseSchema.parse((await t.call('GET', apiPaths.functions())).body);
    assert.deepEqual(list.map((f) => [f.key, f.name, f.source_file]), [
      ['reports.summary.total', 'total', 'reports/summary.py'],
      ['total', 'total', 'billing/invoice.py'],
    ]);
    // Code without a file continues the history it names and keeps its file.
    const noFile = await transpile({ code: pyFunction('total', 2), language: 'python' });
    assert.equal(noFile.status, 200, noFile.text);
    assert.equal(noFile.body.source_file, 'billing/invoice.py');
    expectError(await transpile({ code: pyFunction('total', 3), language: 'python', context: { file: 'reports/summary.py' } }), 409, 'conflict');
    // A key that already holds another function's history is a conflict too.
    expectError(await transpile({ code: pyFunction('other'), language: 'python', key: 'total' }), 409, 'conflict');
  });

  it('unknown endpoints are 404 with the error body', async () => {
    expectError(await t.call('GET', '/poet/nothing'), 404, 'not_found');
    expectError(await t.call('POST', '/poet/functions'), 404, 'not_found');
  });

  it('a failure inside is a 500 with a request id and no stack', async () => {
    await transpile({ code: PY_ADD, language: 'python' });
    // `current` replaced by a directory: reading it fails with EISDIR.
    const cur = join(t.ws, '.dana/poet/functions/add/current');
    await rm(cur);
    await mkdir(cur);
    await writeFile(join(cur, 'x'), 'x');
    const r = await t.call('GET', apiPaths.function('add'), { headers: { 'x-request-id': 'req-500-test' } });
    expectError(r, 500, 'internal');
    assert.equal(r.headers['x-request-id'], 'req-500-test');
    assert.deepEqual(r.body.error.details, { request_id: 'req-500-test' });
    assert.doesNotMatch(r.text, /at .*\.ts:\d+|EISDIR|node:internal/);
    const logged = t.logs.map((l) => JSON.parse(l)).find((l) => l.req_id === 'req-500-test' && l.err);
    assert.ok(logged, 'the error is logged with its request id');
    assert.match(logged.err.stack, /EISDIR/);
  });
});
