// Everything the extension needs only after activation: the language client, zod with the
// shared contract and settings, and the HTTP client. The build bundles this
// file on its own (dist/extension-lazy.js), so activation neither parses nor runs it; `lazy()`
// (extension/lazy/load.ts) loads it on first use. Nothing here imports the extension's other
// modules, so no class exists in both bundles (an `instanceof` across them would fail).
export * as languageClient from 'vscode-languageclient/node';
export * as protocol from '../../shared/lsp-protocol';
export * as contract from '../../shared/contract/api';
export * as learningContract from '../../shared/contract/learning';
export * as settings from '../../shared/settings';
export * as poetClient from '../client/poetClient';
export * as clientErrors from '../client/errors';
