// poet/functionAt and poet/documentFunctions against the real dist/server.js over IPC: the
// answers the extension acts on instead of parsing documents itself.
import assert from 'node:assert/strict';
import path from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { DocumentFunctionsRequest, FunctionAtRequest, type DocumentFunction } from '../../shared/lsp-protocol';
import { ensureBuilt, fileUri, tempWorkspace, TestClient } from './harness';

const PY = `import functools

@poet(domain="financial_services", retries=3)
def price(amount: float) -> float:
    def inner(x):
        return x * 2
    return inner(amount)


class Account:
    def withdraw(self, n):
        return n

def helper():
    return "🙂🙂"; label = 1
`;

const DANA = `def plain(x: int) -> int:
    return x + 1

@poet(domain="ml_monitoring", timeout=5)
def drift(values: list) -> float:
    return 0.5
`;

describe('poet/functionAt and poet/documentFunctions (dist/server.js over IPC)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: TestClient;
  let py: string;
  let dana: string;
  const at = (uri: string, line: number, character: number) =>
    client.request<DocumentFunction | null>(FunctionAtRequest.method, { textDocument: { uri }, position: { line, character } });
  const functions = (params: Record<string, unknown>) => client.request<DocumentFunction[]>(DocumentFunctionsRequest.method, params);

  before(async () => {
    ensureBuilt();
    ws = tempWorkspace();
    // Language features only: these requests need no HTTP service.
    client = new TestClient({ folders: [ws], initializationOptions: { startService: false } });
    await client.initialize();
    py = client.open(path.join(ws, 'pricing.py'), PY);
    dana = client.open(path.join(ws, 'drift.na'), DANA);
  });
  after(() => client.kill());

  it('answers the innermost function around a position, with its ranges and @poet arguments', async () => {
    const outer = await at(py, 6, 4); // `return inner(amount)`
    assert.equal(outer?.name, 'price');
    assert.equal(outer?.topLevel, true);
    assert.deepEqual(outer?.poet, { domain: 'financial_services', retries: 3 });
    // The range starts at the decorator; the name range is the name itself.
    assert.deepEqual(outer?.range.start, { line: 2, character: 0 });
    assert.deepEqual(outer?.nameRange, { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } });

    const inner = await at(py, 5, 10); // inside `inner`
    assert.equal(inner?.name, 'inner');
    assert.equal(inner?.qualifiedName, 'price.inner');
    assert.equal(inner?.topLevel, false);
    assert.equal(inner?.poet, null);
  });

  it('answers null outside every function (imports, blank lines between them)', async () => {
    assert.equal(await at(py, 0, 3), null);
    assert.equal(await at(py, 8, 0), null);
  });

  it('counts positions in UTF-16 code units, as VS Code does', async () => {
    // Line 14 holds two astral characters (two code units each): its end is 2 units further
    // than its count of characters, and still inside the function.
    const end = '    return "🙂🙂"; label = 1'.length;
    const fn = await at(py, 14, end);
    assert.equal(fn?.name, 'helper');
    assert.deepEqual(fn?.range.end, { line: 14, character: end });
  });

  it('follows edits: the answer is for the document version the client sent last', async () => {
    const uri = client.open(path.join(ws, 'edited.py'), 'x = 1\n');
    assert.equal(await at(uri, 0, 2), null);
    client.change(uri, 'def now_a_function():\n    return 1\n');
    assert.equal((await at(uri, 1, 5))?.name, 'now_a_function');
  });

  it('lists a document\'s functions in source order, and finds one by plain or qualified name', async () => {
    const all = await functions({ textDocument: { uri: py } });
    assert.deepEqual(all.map((f) => f.qualifiedName), ['price', 'price.inner', 'Account.withdraw', 'helper']);
    assert.deepEqual(all.map((f) => f.topLevel), [true, false, false, true]);
    assert.deepEqual((await functions({ textDocument: { uri: py }, name: 'Account.withdraw' })).map((f) => f.name), ['withdraw']);
    assert.deepEqual((await functions({ textDocument: { uri: py }, name: 'missing' })), []);
    const d = await functions({ textDocument: { uri: dana } });
    assert.deepEqual(d.map((f) => [f.name, f.poet]), [['plain', null], ['drift', { domain: 'ml_monitoring', timeout: 5 }]]);
  });

  it('parses the text sent with a document the client does not synchronise (a stored version shown read-only)', async () => {
    const uri = 'poet-store:/folder/key/v1/enhanced.py';
    const sent = await functions({ textDocument: { uri }, text: 'def _helper():\n    pass\n\ndef wrapped(a):\n    return a\n', language: 'python' });
    assert.deepEqual(sent.map((f) => [f.name, f.nameRange.start.line]), [['_helper', 0], ['wrapped', 3]]);
    const fn = await client.request<DocumentFunction | null>(FunctionAtRequest.method, { textDocument: { uri }, text: 'def a():\n    return 1\n', language: 'python', position: { line: 1, character: 4 } });
    assert.equal(fn?.name, 'a');
  });

  it('refuses a document it does not hold when no text comes with it, naming the document', async () => {
    const uri = fileUri(path.join(ws, 'never-opened.py'));
    await assert.rejects(at(uri, 0, 0), (err: unknown) => {
      assert.ok(err instanceof ResponseError);
      assert.equal(err.code, -32602); // InvalidParams
      assert.match(err.message, /does not hold .*never-opened\.py/);
      return true;
    });
  });
});
