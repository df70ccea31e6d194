// What the extension needs only after activation, reached through lazy() so activation neither
// runs nor loads it. The project's own modules (contract, settings, LSP messages, HTTP client)
// are in the main bundle, where esbuild initialises a module that is only require()d on its
// first require. Their third-party packages (vscode-languageclient, its protocol, zod, got) are
// the separate bundle dist/extension-lazy.js, which holds nothing else (scripts/build.mjs,
// LAZY_PACKAGES): one copy of every class of ours, so `instanceof` holds everywhere.
// Literal require() calls, so the bundler sees (and bundles) each module; each runs on first access.
const loaders = {
  languageClient: () => require('vscode-languageclient/node') as typeof import('vscode-languageclient/node'),
  protocol: () => require('../../shared/lsp-protocol') as typeof import('../../shared/lsp-protocol'),
  contract: () => require('../../shared/contract/api') as typeof import('../../shared/contract/api'),
  learningContract: () => require('../../shared/contract/learning') as typeof import('../../shared/contract/learning'),
  settings: () => require('../../shared/settings') as typeof import('../../shared/settings'),
  poetClient: () => require('../client/poetClient') as typeof import('../client/poetClient'),
  clientErrors: () => require('../client/errors') as typeof import('../client/errors'),
};

type LazyModules = { readonly [K in keyof typeof loaders]: ReturnType<(typeof loaders)[K]> };

/** Each part loads on first access and is kept (a bundled require() builds a fresh exports object per call). */
const parts = {} as LazyModules;
for (const [name, load] of Object.entries(loaders)) {
  Object.defineProperty(parts, name, {
    configurable: true,
    enumerable: true,
    get: () => {
      const value: unknown = load();
      Object.defineProperty(parts, name, { value, enumerable: true });
      return value;
    },
  });
}

export function lazy(): LazyModules {
  return parts;
}
