// dist/server.js as VS Code runs it: forked over IPC with --clientProcessId, driven by a real
// LSP client (vscode-languageserver-protocol), with real temp workspaces and the real HTTP
// service on 127.0.0.1. No mocks; every wait is on a condition, never on a sleep.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { CodeAction, CodeLens, CompletionItem, DocumentSymbol, Hover, InitializeResult } from 'vscode-languageserver-protocol/node';
import pino from 'pino';
import { startService } from '../../server/service/start';
import { ensureBuilt, fileUri, getJson, isAlive, postJson, tempWorkspace, TestClient, TOKEN } from './harness';

const PRICING = `@poet(domain="financial_services", retries=3, timeout=10)
def compute_discount(price: float, rate: float) -> float:
    return price * (1 - rate / 100)

def helper(x: int) -> int:
    return x + 1
`;
const BAD = `@poet(domian="financial_services", retries="three", timeout=-1)
def misconfigured(x: int) -> int:
    return x * 2
`;

/** Re-checks every 50 ms until true (the test's own timeout bounds it). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

describe('language server process (dist/server.js over IPC)', function () {
  this.timeout(60_000);
  const clients: TestClient[] = [];
  const start = (opts: ConstructorParameters<typeof TestClient>[0]): TestClient => {
    const c = new TestClient(opts);
    clients.push(c);
    return c;
  };
  before(() => ensureBuilt());
  afterEach(() => {
    for (const c of clients.splice(0)) c.kill();
  });

  describe('one workspace folder', () => {
    let ws: string;
    let client: TestClient;
    let init: InitializeResult;
    before(async () => {
      ws = tempWorkspace();
      writeFileSync(path.join(ws, 'pricing.na'), PRICING);
      client = new TestClient({ folders: [ws] });
      init = await client.initialize();
      await client.waitReady();
    });
    after(() => client.kill());

    it('announces the folder service in poet/status, and /health answers on 127.0.0.1', async () => {
      assert.ok(init.capabilities.codeLensProvider && init.capabilities.hoverProvider && init.capabilities.documentSymbolProvider);
      const [ready] = client.ready;
      assert.equal(ready!.workspace, ws);
      assert.equal(ready!.folderUri, fileUri(ws));
      assert.ok(ready!.port > 0);
      assert.equal(ready!.url, `http://127.0.0.1:${ready!.port}`);
      const health = await getJson(ready!.url, '/health');
      assert.equal(health.status, 200);
      assert.deepEqual({ status: (health.body as { status: string }).status, workspace: (health.body as { workspace: string }).workspace }, { status: 'ok', workspace: ws });
      // the token from POET_API_KEY protects /poet/*
      assert.equal((await fetch(`${ready!.url}/poet/functions`)).status, 401);
      assert.equal((await getJson(ready!.url, '/poet/functions')).status, 200);
      const state = await client.status();
      assert.equal(state.state, 'ready');
      assert.deepEqual(state.services, [ready]);
      assert.ok(client.statuses.some((s) => s.state === 'starting'), 'the snapshot while it started');
    });

    it('reports bad @poet arguments at the argument, with suggestions and a quick fix', async () => {
      const uri = client.open(path.join(ws, 'bad.na'), BAD);
      const { diagnostics } = await client.diagnosticsFor(uri);
      const got = diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]);
      assert.deepEqual(got, [
        ['poet.unknown-key', 0, 6, 12],
        ['poet.invalid-type', 0, 43, 50],
        ['poet.out-of-range', 0, 60, 62],
      ]);
      assert.match(String(diagnostics[0]!.message), /Unknown key "domian".*Did you mean "domain"\?/);
      assert.ok(diagnostics.every((d) => d.source === 'poet' && d.severity === 1));

      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostics[0]!.range,
        context: { diagnostics: [diagnostics[0]] },
      });
      assert.equal(actions.length, 1);
      assert.equal(actions[0]!.title, 'Change to domain');
      assert.deepEqual(actions[0]!.edit!.changes![uri], [{ range: diagnostics[0]!.range, newText: 'domain' }]);

      // Fixing the text clears them (after the debounce).
      const v = client.change(uri, BAD.replace('domian', 'domain').replace('"three"', '3').replace('-1', '5'));
      assert.deepEqual((await client.diagnosticsFor(uri, v)).diagnostics, []);
    });

    it('reports Dana syntax errors', async () => {
      const uri = client.open(path.join(ws, 'broken.na'), 'def f(x):\n    return x +\n\ndef g(:\n    pass\n');
      const { diagnostics } = await client.diagnosticsFor(uri);
      assert.ok(diagnostics.length >= 1);
      assert.ok(diagnostics.every((d) => d.source === 'dana' && d.code === 'dana.syntax-error'));
    });

    it('puts CodeLenses per poet.codeLens: decorated (default), all, off', async () => {
      const uri = client.open(path.join(ws, 'pricing.na'), PRICING);
      const lenses = async (): Promise<CodeLens[]> => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      let l = await lenses();
      assert.deepEqual(l.map((x) => [x.range.start.line, x.command?.title, x.command?.command]), [[0, 'POET: Enhance', 'poet.enhanceFunction']]);
      assert.deepEqual(l[0]!.command!.arguments, [uri, 'compute_discount']);

      await client.changeSettings({ codeLens: 'all' });
      l = await lenses();
      assert.deepEqual(l.map((x) => x.range.start.line), [0, 4]);
      await client.changeSettings({ codeLens: 'off' });
      assert.deepEqual(await lenses(), []);
      await client.changeSettings({});
      assert.equal((await lenses()).length, 1);
    });

    it('hovers @poet with the effective config', async () => {
      const uri = client.open(path.join(ws, 'pricing.na'), PRICING);
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
      const md = (h!.contents as { value: string }).value;
      assert.match(md, /Not enhanced yet/);
      assert.match(md, /\| retries \| `3` \| decorator \|/);
      assert.match(md, /\| fallback \| `"raise"` \| default \|/);
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } }), null);
    });

    it('completes @poet keys and domain names', async () => {
      const text = '@poet(domain="fin", )\ndef f(x):\n    return x\n';
      const uri = client.open(path.join(ws, 'typing.na'), text);
      const keys = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 20 } });
      const labels = keys.map((k) => k.label);
      assert.ok(labels.includes('retries') && labels.includes('timeout') && !labels.includes('domain'), labels.join(', '));
      assert.equal(keys.find((k) => k.label === 'retries')!.detail, 'integer 0–10');
      const domains = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 17 } });
      assert.ok(domains.some((d) => d.label === 'financial_services'), domains.map((d) => d.label).join(', '));
    });

    it('gives Dana files an outline', async () => {
      const uri = client.open(path.join(ws, 'outline.na'), 'struct P:\n    x: int\n\n    def norm() -> float:\n        return 1.0\n\ndef outer(a: int) -> int:\n    def inner(b: int) -> int:\n        return b\n    return inner(a)\n');
      const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(syms.map((s) => [s.name, s.children?.map((c) => c.name)]), [['P', ['x', 'norm']], ['outer', ['inner']]]);
    });

    it('never writes the token into its log', () => {
      assert.ok(!client.stderr.includes(TOKEN));
      assert.ok(!client.logs.some((l) => l.includes(TOKEN)));
    });
  });

  it('shows the stored version, metrics and feedback in the lens, refreshing when .dana/poet changes', async function () {
    const ws = tempWorkspace();
    writeFileSync(path.join(ws, 'pricing.na'), PRICING);
    const client = start({ folders: [ws] });
    await client.initialize();
    const [ready] = await client.waitReady();
    const uri = client.open(path.join(ws, 'pricing.na'), PRICING);
    const title = async (): Promise<string | undefined> =>
      (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }))[0]?.command?.title;
    assert.equal(await title(), 'POET: Enhance');

    const t = await postJson(ready!.url, '/poet/transpile', { code: PRICING, function_name: 'compute_discount', language: 'dana', context: { file: 'pricing.na' } });
    if (t.status !== 200) throw new Error(`transpile failed: ${t.status} ${JSON.stringify(t.body)}`);
    const { key, version } = t.body as { key: string; version: string };
    // the watcher sees the new version: storageChanged + a lens refresh request
    await client.until(() => client.storageChanges.includes(ws) && client.lensRefreshes > 0, 'storageChanged after transpile');
    assert.equal(await title(), `POET ${version}`);

    const run = (ok: boolean) => ({
      function_name: key,
      version,
      inputs: { price: 10, rate: 5 },
      ...(ok ? { output: 9.5 } : { error: { type: 'ValueError', message: 'boom', phase: 'operate' } }),
      duration_ms: 3,
      attempts: 1,
      started_at: new Date().toISOString(),
    });
    const ids: string[] = [];
    for (const ok of [true, true, true, false]) {
      const r = await postJson(ready!.url, '/poet/executions', run(ok));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push((r.body as { execution_id: string }).execution_id);
    }
    const fb = await postJson(ready!.url, '/poet/feedback', { execution_id: ids[3], feedback: 'down' });
    assert.equal(fb.status, 201, JSON.stringify(fb.body));
    // Every write is followed by a (debounced) storageChanged; after the last one the lens is final.
    const want = `POET ${version} · 75% ✓ · 👎 1`;
    let last = await title();
    while (last !== want) {
      const seen = client.storageChanges.length;
      await client.until(() => client.storageChanges.length > seen, `a storage change (lens so far: ${last})`);
      last = await title();
    }
    assert.equal(last, want);
  });

  it('after Set as Current Version rolls back, the lens offers the version that matches the source, and clears once it is current', async () => {
    const ws = tempWorkspace();
    const edited = PRICING.replace('return price * (1 - rate / 100)', 'return price * (1 - rate / 100.0)');
    writeFileSync(path.join(ws, 'pricing.na'), edited);
    const client = start({ folders: [ws] });
    await client.initialize();
    const [ready] = await client.waitReady();
    const transpile = async (code: string) => {
      const t = await postJson(ready!.url, '/poet/transpile', { code, function_name: 'compute_discount', language: 'dana', context: { file: 'pricing.na' } });
      assert.equal(t.status, 200, JSON.stringify(t.body));
      return t.body as { key: string; version: string };
    };
    const { key } = await transpile(PRICING);
    assert.equal((await transpile(edited)).version, 'v2');
    const pin = await fetch(`${ready!.url}/poet/functions/${key}/current`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: 'v1' }) });
    assert.equal(pin.status, 200);

    const uri = client.open(path.join(ws, 'pricing.na'), edited);
    const lens = async () => (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }))[0]?.command;
    const settle = async (want: string) => {
      let last = (await lens())?.title;
      while (last !== want) {
        const seen = client.storageChanges.length;
        await client.until(() => client.storageChanges.length > seen, `a storage change (lens so far: ${last})`);
        last = (await lens())?.title;
      }
      return (await lens())!;
    };
    const offer = await settle('POET v1 pinned · v2 matches this source — Make current');
    assert.equal(offer.command, 'poet.setCurrentVersion');
    assert.deepEqual(offer.arguments, [{ folderUri: fileUri(ws), key, functionName: 'compute_discount', version: 'v2' }]);

    // Enhancing the same text again would only find v2 in the cache and leave v1 current:
    const again = await postJson(ready!.url, '/poet/transpile', { code: edited, function_name: 'compute_discount', language: 'dana', context: { file: 'pricing.na' } });
    assert.deepEqual([(again.body as { version: string }).version, (again.body as { current: boolean }).current], ['v2', false]);
    // what the lens offers instead clears it.
    const make = await fetch(`${ready!.url}/poet/functions/${key}/current`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: 'v2' }) });
    assert.equal(make.status, 200);
    assert.equal((await settle('POET v2')).command, 'poet.openEnhancedCode');
  });

  it('re-checks open documents when a user-defined domain appears under .dana/poet/domains', async () => {
    const ws = tempWorkspace();
    const client = start({ folders: [ws] });
    await client.initialize();
    await client.waitReady();
    const uri = client.open(path.join(ws, 'mine.na'), '@poet(domain="acme_rules", retries=1)\ndef f(x):\n    return x\n');
    const first = await client.diagnosticsFor(uri);
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity]), [['poet.unknown-domain', 2]]);
    assert.match(String(first.diagnostics[0]!.message), /To define "acme_rules", write \.dana\/poet\/domains\/acme_rules\.json/);
    mkdirSync(path.join(ws, '.dana/poet/domains'), { recursive: true });
    writeFileSync(path.join(ws, '.dana/poet/domains/acme_rules.json'), JSON.stringify({ description: 'ACME house rules' }));
    // no edit of the document: only the watcher can make the server publish again
    await client.until(() => client.diagnostics.get(uri)!.diagnostics.length === 0, 'diagnostics without the unknown domain');
  });

  it('without its own service (remote mode) still sees what another process writes into .dana/poet', async () => {
    const ws = tempWorkspace();
    writeFileSync(path.join(ws, 'pricing.na'), PRICING);
    const client = start({ folders: [ws], initializationOptions: { startService: false } });
    await client.initialize();
    const state = await client.status();
    assert.equal(state.state, 'stopped');
    const uri = client.open(path.join(ws, 'pricing.na'), PRICING);
    const title = async (): Promise<string | undefined> =>
      (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }))[0]?.command?.title;
    assert.equal(await title(), 'POET: Enhance');
    // another tool: a service in this test process, on the same folder (it creates .dana/poet/)
    const other = await startService({ workspace: ws, host: '127.0.0.1', port: 0, token: TOKEN, logger: pino({ level: 'silent' }) });
    try {
      const t = await postJson(other.url, '/poet/transpile', { code: PRICING, function_name: 'compute_discount', language: 'dana', context: { file: 'pricing.na' } });
      assert.equal(t.status, 200, JSON.stringify(t.body));
      const want = `POET ${(t.body as { version: string }).version}`;
      let last = await title();
      while (last !== want) {
        const seen = client.storageChanges.length;
        await client.until(() => client.storageChanges.length > seen, `a storage change (lens so far: ${last})`);
        last = await title();
      }
      assert.equal(client.ready.length, 0, 'no service of its own');
    } finally {
      await other.close();
    }
  });

  it('runs one service per workspace folder, and starts one for an added folder', async () => {
    const a = tempWorkspace('poet-lsp-a-');
    const b = tempWorkspace('poet-lsp-b-');
    const c = tempWorkspace('poet-lsp-c-');
    const client = start({ folders: [a, b] });
    await client.initialize();
    const ready = await client.waitReady(2);
    assert.deepEqual(ready.map((r) => r.workspace).sort(), [a, b].sort());
    assert.notEqual(ready[0]!.port, ready[1]!.port);
    for (const r of ready) assert.equal(((await getJson(r.url, '/health')).body as { workspace: string }).workspace, r.workspace);

    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(c), name: 'c' }], removed: [{ uri: fileUri(a), name: path.basename(a) }] },
    });
    await client.waitReady(3);
    const state = await client.status();
    assert.deepEqual(state.services.map((s) => s.workspace).sort(), [b, c].sort());
    const removed = ready.find((r) => r.workspace === a)!;
    await eventually(async () => fetch(`${removed.url}/health`).then(() => false, () => true)); // the removed folder's service closes
  });

  it('reports a service that cannot start, and keeps the language features working', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const ws = tempWorkspace();
      const client = start({ folders: [ws], initializationOptions: { port } });
      await client.initialize();
      await client.until(() => client.statuses.some((s) => s.state === 'error'), 'poet/status error');
      const err = client.statuses.find((s) => s.state === 'error')!;
      assert.match(err.message!, new RegExp(`Port ${port} .*in use`));
      assert.equal(err.errors[0]!.workspace, ws);
      const state = await client.status();
      assert.equal(state.state, 'error');
      assert.equal(client.ready.length, 0);
      const uri = client.open(path.join(ws, 'bad.na'), BAD);
      assert.equal((await client.diagnosticsFor(uri)).diagnostics.length, 3);
    } finally {
      blocker.close();
    }
  });

  it('takes its port from POET_PORT', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = start({ folders: [tempWorkspace()], env: { POET_PORT: String(port) } });
    await client.initialize();
    const [ready] = await client.waitReady();
    assert.equal(ready!.port, port);
  });

  it('exits with 0 on shutdown + exit and closes its HTTP service', async () => {
    const client = start({ folders: [tempWorkspace()] });
    await client.initialize();
    const [ready] = await client.waitReady();
    const pid = client.child.pid!;
    assert.equal(await client.stop(), 0);
    assert.equal(isAlive(pid), false);
    await assert.rejects(fetch(`${ready!.url}/health`));
  });

  it('exits when the editor process (--clientProcessId) dies', async () => {
    // A stand-in for the extension host: a process the server watches but does not talk to.
    const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const parentExited = new Promise((r) => parent.once('exit', r));
    const client = start({ folders: [tempWorkspace()], clientProcessId: parent.pid! });
    await client.initialize();
    await client.waitReady();
    parent.kill('SIGKILL');
    await parentExited;
    const { code } = await client.exited; // the watchdog polls every 3 s
    assert.equal(code, 1, 'exit without a shutdown request is code 1');
    assert.equal(isAlive(client.child.pid!), false);
  });

  it('exits when the IPC channel to the editor closes', async () => {
    const client = start({ folders: [tempWorkspace()] });
    await client.initialize();
    await client.waitReady();
    client.child.disconnect();
    await client.exited;
    assert.equal(isAlive(client.child.pid!), false);
  });

  it('closes its services and exits with 0 on SIGTERM', async () => {
    const client = start({ folders: [tempWorkspace()] });
    await client.initialize();
    const [ready] = await client.waitReady();
    client.child.kill('SIGTERM');
    assert.deepEqual(await client.exited, { code: 0, signal: null });
    await assert.rejects(fetch(`${ready!.url}/health`));
  });

  it('with no folder open, says so in poet/status and starts a service when one is added', async () => {
    const client = start({ folders: [] });
    await client.initialize();
    const state = await client.status();
    assert.equal(state.state, 'stopped');
    assert.match(state.message!, /No workspace folder is open/);
    const ws = tempWorkspace();
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: fileUri(ws), name: 'w' }], removed: [] } });
    const [ready] = await client.waitReady(1);
    assert.equal(ready!.workspace, ws);
  });

  it('serves an empty function list for a fresh folder', async () => {
    const ws = tempWorkspace();
    mkdirSync(path.join(ws, 'src'));
    const client = start({ folders: [ws] });
    await client.initialize();
    const [ready] = await client.waitReady();
    const fns = await getJson(ready!.url, '/poet/functions');
    assert.deepEqual(fns.body, []);
  });
});
