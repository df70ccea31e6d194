// Activation: build the PoetContext (extension/context.ts), register every command and the
// stored-version documents, return the test API. Activation itself starts nothing: the
// backend starts on the first command, when the POET view shows, or when a Dana file (or a
// Python file that mentions @poet) is open, and only in a trusted workspace. deactivate()
// stops the backend; if VS Code dies first, the child notices through the language client's
// process-id watch and exits by itself.
import * as vscode from 'vscode';
import { PoetContext } from './context';
import { StoreDocuments, STORE_SCHEME } from './editor/storeDocuments';
import { coreCommands, type CoreState } from './commands/core';
import { lazyTable, registerCommands } from './commands/table';
import { runCommands } from './commands/run';
import { learningCommands } from './learning/commands';
import { createApi, type PoetApi } from './api';
import { Commands } from '../shared/ids';
import { runTestsIfRequested } from './testing/hook';

let current: PoetContext | undefined;

export function activate(context: vscode.ExtensionContext): PoetApi {
  const t0 = performance.now();
  const ctx = (current = new PoetContext(context));
  context.subscriptions.push(ctx, vscode.workspace.registerTextDocumentContentProvider(STORE_SCHEME, new StoreDocuments(ctx)));

  const state: CoreState = { lastEnhanceResult: undefined };
  registerCommands(context, ctx, {
    ...coreCommands(ctx, state),
    ...runCommands(ctx),
    // The learning part's webview and flows load on first use.
    ...lazyTable([Commands.giveFeedback, Commands.trainNow, Commands.showMetrics], () => learningCommands(ctx)),
  });

  let activationMs = 0;
  const api = createApi(ctx, state, () => activationMs);
  activationMs = performance.now() - t0;
  ctx.log.info(`POET activated in ${activationMs.toFixed(1)} ms`);
  void runTestsIfRequested(api);
  return api;
}

export function deactivate(): Promise<void> | undefined {
  const ctx = current;
  current = undefined;
  return ctx?.backend.stop();
}
