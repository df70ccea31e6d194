// Bundles the three entry points with esbuild. CommonJS for all of them:
// Express and the language-client packages are CommonJS, and VS Code loads
// extensions with require().
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  // express/lib/view.js has a dynamic require for view engines, which POET never uses.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

const entries = [
  // The extension in two files: what activation runs, and what it loads on first use
  // (extension/lazy/load.ts requires ./extension-lazy.js at run time), so activation stays cheap.
  {
    entryPoints: { extension: 'extension/extension.ts', 'extension-lazy': 'extension/lazy/modules.ts' },
    external: ['vscode', './extension-lazy.js'],
  },
  // parse-worker.js runs in a worker thread of the service (server/service/parser.ts).
  { entryPoints: { server: 'server/main.ts', cli: 'server/cli/main.ts', 'parse-worker': 'server/service/parse-worker.ts' } },
  // The metrics webview's script (chart.js inside): a browser bundle, loaded under a strict CSP.
  { entryPoints: { 'webview/metrics': 'extension/learning/webview/metrics.ts' }, platform: 'browser', format: 'iife', target: 'es2022' },
];

const contexts = await Promise.all(
  entries.map((e) => esbuild.context({ ...common, ...e, outdir: 'dist' })),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
