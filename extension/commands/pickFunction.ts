// "Which function?" for commands run from the palette without an enhanced function under the
// cursor (Train Now, Show Metrics, Give Feedback, Compare, Set as Current…): a quick pick of the
// enhanced functions of every open folder, instead of an error that sends the user to find the
// right file first.
import * as vscode from 'vscode';
import type { FunctionSummary } from '../../shared/contract/api';
import type { PoetContext } from '../context';
import type { FolderClient } from '../folder-clients';
import { UserError } from '../user-error';
import type { StoredTarget } from './targets';

interface Item extends vscode.QuickPickItem {
  h: FolderClient;
  fn: FunctionSummary;
}

/** One line of the picker: `mean` · `v3 · numeric/stats.na` (· folder, in a multi-root workspace). */
export function functionPickItem(fn: Pick<FunctionSummary, 'name' | 'key' | 'current_version' | 'source_file'>, folderName?: string): vscode.QuickPickItem {
  const parts = [fn.current_version ?? 'no current version', fn.source_file ?? undefined, fn.key !== fn.name ? `key ${fn.key}` : undefined, folderName];
  return { label: `$(symbol-function) ${fn.name}`, description: parts.filter(Boolean).join(' · ') };
}

/** Asks which enhanced function `command` should act on; undefined when the user cancels. */
export async function pickStoredFunction(services: PoetContext, command: string, why: string | undefined): Promise<StoredTarget | undefined> {
  const folders = services.folders();
  const multi = folders.length > 1;
  const items: Item[] = [];
  for (const folder of folders) {
    const h = await services.handle(folder);
    for (const fn of await h.client.listFunctions()) {
      if (fn.current_version || fn.versions.length) items.push({ ...functionPickItem(fn, multi ? folder.name : undefined), h, fn });
    }
  }
  if (!items.length) {
    throw new UserError('No function has been enhanced in this workspace yet. Put the cursor inside a function marked @poet(...) and run "POET: Enhance Function".');
  }
  items.sort((a, b) => a.fn.name.localeCompare(b.fn.name) || a.fn.key.localeCompare(b.fn.key));
  const picked = await vscode.window.showQuickPick(items, {
    title: `POET: ${command}`,
    placeHolder: why ? `${why} Which enhanced function?` : 'Which enhanced function?',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return { h: picked.h, key: picked.fn.key, name: picked.fn.name, sourceFile: picked.fn.source_file };
}
