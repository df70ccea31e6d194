/* global __filename */
// Measures what activation costs: require('dist/extension.js') plus activate(), with a minimal
// in-memory `vscode` module (no editor, no backend start: activation starts nothing). Each run
// is a fresh Node process, so module loading is counted cold. Prints the median and min of the
// wall time, and the CPU time (user + system), which a busy machine distorts much less.
//   node extension/tools/activation-time.cjs [runs=15]
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const bundle = process.env.POET_EXTENSION_BUNDLE || path.join(root, 'dist', 'extension.js');

if (process.argv[2] === '--child') {
  const Module = require('node:module');
  const noop = () => undefined;
  const disposable = { dispose: noop };
  const event = () => disposable;
  class EventEmitter { constructor() { this.event = event; } fire() {} dispose() {} }
  const channel = new Proxy({}, { get: (_t, k) => (k === 'logLevel' ? 2 : noop) });
  const item = new Proxy({}, { get: (_t, k) => (k === 'show' || k === 'hide' || k === 'dispose' ? noop : undefined), set: () => true });
  const shim = {
    EventEmitter,
    Disposable: class { static from() { return disposable; } },
    StatusBarAlignment: { Left: 1, Right: 2 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ThemeIcon: class {}, ThemeColor: class {}, MarkdownString: class { appendMarkdown() { return this; } },
    RelativePattern: class {}, Range: class {}, Position: class {}, ProgressLocation: { Notification: 15 },
    Uri: { parse: (s) => ({ toString: () => s }), joinPath: noop, from: noop, file: noop },
    window: {
      createOutputChannel: () => channel, createStatusBarItem: () => item, createTreeView: () => ({ ...disposable, onDidChangeVisibility: event }),
      onDidChangeTextEditorSelection: event, onDidChangeActiveTextEditor: event, activeTextEditor: undefined,
      showErrorMessage: () => Promise.resolve(), showWarningMessage: () => Promise.resolve(), showInformationMessage: () => Promise.resolve(),
    },
    workspace: {
      isTrusted: true, workspaceFolders: [], textDocuments: [],
      getConfiguration: () => ({ get: () => undefined }), onDidChangeConfiguration: event, onDidChangeTextDocument: event,
      onDidOpenTextDocument: event, onDidChangeWorkspaceFolders: event, onDidGrantWorkspaceTrust: event,
      registerTextDocumentContentProvider: () => disposable, createFileSystemWatcher: () => ({ ...disposable, onDidCreate: event, onDidChange: event, onDidDelete: event }),
    },
    commands: { registerCommand: () => disposable, executeCommand: () => Promise.resolve() },
    env: {},
  };
  const load = Module._load;
  Module._load = function (request, ...rest) { return request === 'vscode' ? shim : load.call(this, request, ...rest); };
  const context = { subscriptions: [], asAbsolutePath: (p) => path.join(root, p), secrets: {}, extensionUri: {} };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const ext = require(bundle);
  const t1 = process.hrtime.bigint();
  ext.activate(context);
  const t2 = process.hrtime.bigint();
  const c = process.cpuUsage(c0);
  // Which files activation loaded: the lazy bundle must not be among them.
  const loaded = Object.keys(require.cache).filter((f) => f.startsWith(path.dirname(bundle)));
  process.stdout.write(JSON.stringify({ require: Number(t1 - t0) / 1e6, activate: Number(t2 - t1) / 1e6, cpu: (c.user + c.system) / 1000, loaded }));
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 15);
const rows = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, [__filename, '--child'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  rows.push(JSON.parse(r.stdout));
}
const stat = (k) => {
  const xs = rows.map((r) => (k === 'total' ? r.require + r.activate : r[k])).sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], min: xs[0], max: xs[xs.length - 1] };
};
const fs = require('node:fs');
console.log(`dist/extension.js: ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB, ${runs} cold runs (Node ${process.version})`);
console.log(`load average ${require('node:os').loadavg().map((x) => x.toFixed(1)).join(' ')} on ${require('node:os').cpus().length} CPUs`);
for (const k of ['require', 'activate', 'total', 'cpu']) {
  const s = stat(k);
  console.log(`${(k === 'cpu' ? 'cpu time' : k).padEnd(9)} median ${s.median.toFixed(1)} ms   min ${s.min.toFixed(1)} ms   max ${s.max.toFixed(1)} ms`);
}
const total = stat('total').median;
const cpu = stat('cpu').median;
console.log(`${total < 50 ? 'OK' : 'OVER'}: wall ${total.toFixed(1)} ms, CPU ${cpu.toFixed(1)} ms (target < 50 ms)`);
