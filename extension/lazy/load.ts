// Loads extension/lazy/modules.ts on first use. In the packaged extension that is the separate
// bundle dist/extension-lazy.js next to dist/extension.js (the build marks it external, so
// activation only parses the small main bundle: see docs/extension.md, "Activation time").
// Run from source (unit tests under tsx) each part is required from its own source file when
// first touched, so a pure module's test does not drag in the parts that need `vscode`.
import { createRequire } from 'node:module';

export type LazyModules = typeof import('./modules');

/** Source paths of the parts, relative to this file; the type makes it list exactly modules.ts's parts. */
const SOURCES: Record<keyof LazyModules, string> = {
  languageClient: 'vscode-languageclient/node',
  protocol: '../../shared/lsp-protocol',
  contract: '../../shared/contract/api',
  learningContract: '../../shared/contract/learning',
  settings: '../../shared/settings',
  poetClient: '../client/poetClient',
  clientErrors: '../client/errors',
};

let loaded: LazyModules | undefined;

export function lazy(): LazyModules {
  if (loaded) return loaded;
  try {
    loaded = require('./extension-lazy.js') as LazyModules;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !__filename.endsWith('.ts')) throw err;
    // createRequire, so the bundler leaves these alone: only the source tree has these paths.
    const req = createRequire(__filename);
    const parts = {} as LazyModules;
    for (const [k, p] of Object.entries(SOURCES)) Object.defineProperty(parts, k, { get: () => req(p), enumerable: true });
    loaded = parts;
  }
  return loaded;
}
