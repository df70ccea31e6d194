// What the extension needs only after activation, reached through lazy() so activation neither
// runs nor loads it. The project's own modules (contract, settings, LSP messages, HTTP client)
// are in the main bundle, where esbuild initialises a module that is only require()d on its
// first require. Their third-party packages (vscode-languageclient, its protocol, zod, got) are
// the separate bundle dist/extension-lazy.js, which holds nothing else (scripts/build.mjs,
// LAZY_PACKAGES): one copy of every class of ours, so `instanceof` holds everywhere.
type LazyModules = {
  languageClient: typeof import('vscode-languageclient/node');
  protocol: typeof import('../../shared/lsp-protocol');
  contract: typeof import('../../shared/contract/api');
  learningContract: typeof import('../../shared/contract/learning');
  settings: typeof import('../../shared/settings');
  poetClient: typeof import('../client/poetClient');
  clientErrors: typeof import('../client/errors');
};

// Literal require() calls, so the bundler sees (and bundles) each module; each runs on first access.
const parts: LazyModules = {
  get languageClient() {
    return require('vscode-languageclient/node') as LazyModules['languageClient'];
  },
  get protocol() {
    return require('../../shared/lsp-protocol') as LazyModules['protocol'];
  },
  get contract() {
    return require('../../shared/contract/api') as LazyModules['contract'];
  },
  get learningContract() {
    return require('../../shared/contract/learning') as LazyModules['learningContract'];
  },
  get settings() {
    return require('../../shared/settings') as LazyModules['settings'];
  },
  get poetClient() {
    return require('../client/poetClient') as LazyModules['poetClient'];
  },
  get clientErrors() {
    return require('../client/errors') as LazyModules['clientErrors'];
  },
};

export function lazy(): LazyModules {
  return parts;
}
