// One table of command id → handler; every registration goes to context.subscriptions.
// Other parts (the learning commands) add entries by spreading their own table into it.
import * as vscode from 'vscode';
import type { PoetContext } from '../context';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandTable = Partial<Record<string, CommandHandler>>;

/**
 * Registers every entry. A handler's failure is shown once, as a notification with the
 * buttons that help, and logged. It is not rethrown: VS Code would show a second, less useful
 * notification. Callers that need the outcome read the API's `lastError`.
 */
export function registerCommands(context: vscode.ExtensionContext, services: PoetContext, table: CommandTable): void {
  for (const [id, handler] of Object.entries(table)) {
    if (!handler) continue;
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          services.showError(err);
          return undefined;
        }
      }),
    );
  }
}

/**
 * Handlers for `ids` that load their module on first use: the table is built by `load()` the
 * first time one of them runs. Keeps big modules (zod schemas, webviews) out of activation.
 */
export function lazyTable(ids: readonly string[], load: () => CommandTable): CommandTable {
  let table: CommandTable | undefined;
  const entries = ids.map((id) => [
    id,
    (...args: unknown[]) => {
      table ??= load();
      const handler = table[id];
      if (!handler) throw new Error(`The command ${id} is not available in this build of POET.`);
      return handler(...args);
    },
  ]);
  return Object.fromEntries(entries) as CommandTable;
}
