// Bundles the three entry points with esbuild. CommonJS for all of them:
// Express and the language-client packages are CommonJS, and VS Code loads
// extensions with require().
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const root = new URL('..', import.meta.url).pathname;
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

/**
 * The extension's third-party packages that activation does not need, and the name each has in
 * dist/extension-lazy.js. That bundle holds them and nothing else; in dist/extension.js an import
 * of one becomes a read of that bundle, made when the importing module first runs (the modules
 * that import them are reached through lazy(), extension/lazy/load.ts).
 */
const LAZY_PACKAGES = {
  'vscode-languageclient/node': 'languageClient',
  'vscode-languageserver-protocol': 'protocol',
  zod: 'zod',
  got: 'got',
};
const lazyFilter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);

/** dist/extension-lazy.js: `export * as <name> from '<package>'` for each package. */
const lazyBundleEntry = {
  name: 'lazy-bundle-entry',
  setup(build) {
    build.onResolve({ filter: /^poet:lazy-packages$/ }, (a) => ({ path: a.path, namespace: 'poet-lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'poet-lazy' }, () => ({
      contents: Object.entries(LAZY_PACKAGES).map(([pkg, name]) => `export * as ${name} from '${pkg}';`).join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** In dist/extension.js: each lazy package is the matching export of ./extension-lazy.js. */
const lazyPackagesExternal = {
  name: 'lazy-packages-external',
  setup(build) {
    build.onResolve({ filter: lazyFilter }, (a) => ({ path: a.path, namespace: 'poet-lazy-package' }));
    build.onLoad({ filter: /.*/, namespace: 'poet-lazy-package' }, (a) => ({
      // Flagged as an ES module, so a default import (got) gets the package's own default export.
      contents: `module.exports = { ...require('./extension-lazy.js').${LAZY_PACKAGES[a.path]}, __esModule: true };`,
      loader: 'js',
    }));
  },
};

const entries = [
  // The extension in two files: what activation runs, and the third-party packages it needs
  // only later (read through lazy() on first use), so activation stays cheap.
  { entryPoints: { extension: 'extension/extension.ts' }, external: ['vscode', './extension-lazy.js'], plugins: [lazyPackagesExternal] },
  { entryPoints: { 'extension-lazy': 'poet:lazy-packages' }, external: ['vscode'], plugins: [lazyBundleEntry] },
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
