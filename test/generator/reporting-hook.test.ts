// Execution reporting reaches a real HTTP server on 127.0.0.1, and the runtime hook package
// swaps the enhanced version in only when the function's text hash matches its metadata.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ExecutionRequestSchema } from '../../shared/contract/learning';
import { functionTextHash } from '../../shared/source/hash';
import { enhancedScript, functionIn, generate, install, lines, python, tempWorkspace, write } from './helpers';

const PYTHON_PKG = join(__dirname, '..', '..', 'python');

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString('utf8')));
    req.on('end', () => resolve(s));
  });
}

describe('generated Python: execution reporting', function () {
  this.timeout(60_000);
  let server: Server;
  const got: Array<{ auth: string | undefined; body: unknown; path: string | undefined }> = [];
  let url = '';

  before(async () => {
    let n = 0;
    server = createServer((req, res) => {
      // The reporter sends batches (arrays); one record alone when a batch was refused.
      body(req)
        .then((text) => {
          const sent = JSON.parse(text) as unknown;
          const records = Array.isArray(sent) ? sent : [sent];
          for (const r of records) got.push({ auth: req.headers.authorization, body: r, path: req.url });
          res.writeHead(201, { 'content-type': 'application/json' });
          const ids = records.map(() => `exec-${++n}`);
          res.end(JSON.stringify(Array.isArray(sent) ? { execution_ids: ids } : { execution_id: ids[0] }));
        })
        // A body the test server cannot read fails the test's assertions, not the process.
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('posts each call (success and failure) with the contract fields; the last execution id is retrievable', async () => {
    const ws = tempWorkspace();
    const text = 'def halve(x: float) -> float:\n    return x / 2\n';
    write(ws, 'm.py', text);
    install(ws, 'halve', 'v3', await generate({ ws, file: 'm.py', text, language: 'python', config: { domain: 'computation' }, version: 'v3' }));
    const out = lines(
      await python(ws, enhancedScript('halve', 'v3', 'err(e.halve, 8)\nout(e.halve.last_execution_id())\nerr(e.halve, float("nan"))\nout(e.last_execution_id())'), {
        POET_API_URL: url,
        POET_API_KEY: 'k-secret',
      }),
    );
    assert.deepEqual(out, [{ ok: 4.0 }, 'exec-1', { error: 'PerceiveError', message: "[perceive] halve: parameter 'x' = nan: must be a finite number (computation: numeric inputs must be finite and of sane magnitude)", phase: 'perceive' }, 'exec-2']);
    assert.equal(got.length, 2);
    for (const g of got) {
      assert.equal(g.path, '/poet/executions');
      assert.equal(g.auth, 'Bearer k-secret');
      assert.ok(ExecutionRequestSchema.safeParse(g.body).success, JSON.stringify(g.body));
    }
    const [ok, ko] = got.map((g) => g.body as Record<string, unknown>);
    assert.equal(ok!.function_name, 'halve');
    assert.equal(ok!.version, 'v3');
    assert.deepEqual(ok!.inputs, { x: 8 });
    assert.equal(ok!.output, 4);
    assert.equal(ok!.attempts, 1);
    assert.deepEqual((ko!.error as Record<string, unknown>).phase, 'perceive');
    assert.equal((ko!.error as Record<string, unknown>).type, 'PerceiveError');
  });

  it('never changes the result when the service is unreachable', async () => {
    const ws = tempWorkspace();
    const text = 'def halve(x: float) -> float:\n    return x / 2\n';
    write(ws, 'm.py', text);
    install(ws, 'halve', 'v1', await generate({ ws, file: 'm.py', text, language: 'python' }));
    const out = lines(await python(ws, enhancedScript('halve', 'v1', 'err(e.halve, 8)\nout(e.last_execution_id())'), { POET_API_URL: 'http://127.0.0.1:9' }));
    assert.deepEqual(out, [{ ok: 4.0 }, null]);
  });
});

describe('python/poet runtime hook', function () {
  this.timeout(60_000);
  const USER = `from poet import poet

OFFSET = 1


@poet(domain="computation", retries=0)
def shift_divide(a: float, b: float) -> float:
    return a / b + OFFSET
`;

  async function workspaceWith(source: string, generatedFrom: string) {
    const ws = tempWorkspace();
    write(ws, 'app/calc.py', source);
    write(ws, 'app/__init__.py', '');
    const r = await generate({ ws, file: 'app/calc.py', text: generatedFrom, language: 'python' });
    install(ws, 'shift_divide', 'v1', r);
    const fn = functionIn(generatedFrom, 'python');
    write(ws, '.dana/poet/functions/shift_divide/current', 'v1\n');
    write(ws, '.dana/poet/functions/shift_divide/v1/metadata.json', JSON.stringify({ function_name: 'shift_divide', key: 'shift_divide', version: 'v1', language: 'python', source_file: 'app/calc.py', function_hash: functionTextHash(fn.source) }));
    return ws;
  }

  const script = [
    'import json, warnings',
    'warnings.simplefilter("always")',
    'with warnings.catch_warnings(record=True) as w:',
    '    from app import calc',
    'res = {"enhanced": getattr(calc.shift_divide, "__poet_enhanced__", False), "ok": calc.shift_divide(6, 3), "warnings": [str(x.message) for x in w]}',
    'try:',
    '    calc.shift_divide(1, 0)',
    'except Exception as x:',
    '    res["zero"] = type(x).__name__',
    'print(json.dumps(res))',
  ].join('\n');

  it('replaces the function with the enhanced version when the function-text hash matches', async () => {
    const ws = await workspaceWith(USER, USER);
    const [r] = lines(await python(ws, script, {}, [PYTHON_PKG])) as Array<Record<string, unknown>>;
    assert.deepEqual(r, { enhanced: true, ok: 3.0, warnings: [], zero: 'PerceiveZeroDivisionError' });
  });

  it('keeps the original and warns once, naming the enhance command, when the source changed', async () => {
    const edited = USER.replace('a / b + OFFSET', 'a / b + OFFSET * 1');
    const ws = await workspaceWith(edited, USER);
    const [r] = lines(await python(ws, script, {}, [PYTHON_PKG])) as Array<Record<string, unknown>>;
    assert.equal(r!.enhanced, false);
    assert.equal(r!.ok, 3.0);
    assert.equal(r!.zero, 'ZeroDivisionError');
    const warnings = r!.warnings as string[];
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /shift_divide runs unenhanced: its current version v1 was generated from other source/);
    // A command a user of the extension can run (not a path into POET's own repository):
    assert.match(warnings[0]!, /put the cursor inside shift_divide in app\/calc\.py and run "POET: Enhance Function" in VS Code\.$/);
    assert.doesNotMatch(warnings[0]!, /dist\/cli\.js/);
  });

  it('after a rollback, says which version matches the source and how to make it current', async () => {
    const edited = USER.replace('a / b + OFFSET', 'a / b + OFFSET * 1');
    // v1 from the old text is current (set by hand); v2 was generated from the text the file has now.
    const ws = await workspaceWith(edited, USER);
    const fn = functionIn(edited, 'python');
    write(ws, '.dana/poet/functions/shift_divide/v2/metadata.json', JSON.stringify({ function_name: 'shift_divide', key: 'shift_divide', version: 'v2', language: 'python', source_file: 'app/calc.py', function_hash: functionTextHash(fn.source) }));
    const [r] = lines(await python(ws, script, {}, [PYTHON_PKG])) as Array<Record<string, unknown>>;
    assert.equal(r!.enhanced, false, 'the current version (v1) does not match, so the original runs');
    const warnings = r!.warnings as string[];
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /its current version v1 was set by hand, and v2 matches this source: make v2 current with "POET: Set as Current Version" in VS Code/);
  });

  it('computes the same function-text hash as shared/source/hash.ts', async () => {
    const ws = tempWorkspace();
    const samples = ['def f():\n    return 1\n', 'def g(x):\r\n    return x   \r\n\r\n\n', '@poet()\ndef h():\n    pass'];
    const r = await python(ws, `import json\nfrom poet import function_text_hash\nprint(json.dumps([function_text_hash(s) for s in ${JSON.stringify(samples)}]))`, {}, [PYTHON_PKG]);
    assert.deepEqual(lines(r)[0], samples.map(functionTextHash));
  });
});
