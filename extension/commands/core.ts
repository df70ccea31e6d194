// The POET commands (everything but the learning ones): enhance, open, compare, pin,
// reveal, and the service commands.
import * as vscode from 'vscode';
import type { TranspileResponse, VersionSummary } from '../../shared/contract/api';
import { Commands, REMOTE_API_KEY_SECRET, TOKEN_HINT } from '../../shared/ids';
import { settingsConfigLayer } from '../config/settings';
import { UserError, type PoetServices, type ServiceHandle } from '../services';
import { locate, parsedDocument, toRange } from '../editor/functions';
import { storeUri } from '../editor/storeDocuments';
import { enhancedFile, pickVersion, previousVersion, resolveTarget, safeRelativeSegments } from './args';
import { detailOf, folderFor, sourceDocument, sourceFunction, storedFunction, type StoredFunction } from './resolve';
import type { CommandTable } from './table';
import type { FunctionModel } from '../../shared/source/model';
import { lazy } from '../lazy/load';

/**
 * Writes to the clipboard, failing clearly instead of waiting forever: in a browser (code-server,
 * vscode.dev) the write can stay pending until the page is allowed to use the clipboard.
 */
async function copy(text: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UserError('The clipboard did not accept the text within 5 s. If VS Code runs in a browser, allow this page to use the clipboard and try again.')), 5000);
  });
  try {
    await Promise.race([vscode.env.clipboard.writeText(text), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CoreState {
  lastEnhanceResult: TranspileResponse | undefined;
}

/** A stored file as a document URI: the file itself locally, a poet-store document when remote. */
function fileUri(h: ServiceHandle, key: string, version: string, relPath: string): vscode.Uri {
  if (!h.remote) return vscode.Uri.joinPath(vscode.Uri.parse(h.folder.uri), ...safeRelativeSegments(relPath));
  const base = relPath.split('/').pop() ?? '';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.')) : '';
  return storeUri(h.folder.uri, key, version, base.endsWith('.json') ? 'metadata' : 'enhanced', ext);
}

function enhancedUri(s: StoredFunction, v: VersionSummary): vscode.Uri {
  const f = enhancedFile(v);
  if (!f) throw new UserError(`${s.name} ${v.version} has no enhanced code file.`);
  return fileUri(s.h, s.key, v.version, f);
}

async function requireVersion(s: StoredFunction): Promise<{ detail: Awaited<ReturnType<typeof detailOf>>; v: VersionSummary }> {
  const detail = await detailOf(s);
  const v = pickVersion(detail, s.version);
  if (!v) throw new UserError(s.version ? `${s.name} has no version ${s.version} any more. Refresh the POET view.` : `${s.name} has no versions yet. Enhance it first.`);
  return { detail, v };
}

export function coreCommands(services: PoetServices, state: CoreState): CommandTable {
  async function enhanceOne(h: ServiceHandle, doc: vscode.TextDocument, relPath: string, fn: FunctionModel, signal: AbortSignal): Promise<TranspileResponse> {
    const kwargs = locate().poetDecorator(fn)?.kwargs ?? {};
    const res = await h.client.transpile(
      {
        code: doc.getText(),
        language: doc.fileName.endsWith('.py') ? 'python' : 'dana',
        function_name: fn.name,
        config: settingsConfigLayer(services.settings(), kwargs),
        context: { file: relPath },
      },
      { signal },
    );
    state.lastEnhanceResult = res;
    services.log.info(`Enhanced ${res.key} (${relPath}): ${res.version}${res.created ? ' (new)' : res.cached ? ' (cached)' : ''}`);
    return res;
  }

  async function openResult(h: ServiceHandle, res: TranspileResponse): Promise<void> {
    const uri = fileUri(h, res.key, res.version, res.poet_implementation.file);
    await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  }

  return {
    [Commands.enhanceFunction]: async (...args) => {
      // Trust first: in Restricted Mode the answer is the same wherever the cursor is.
      services.assertTrusted();
      const t = resolveTarget(args);
      // A tree item ("Enhance again"): enhance from its source file.
      if (t.kind === 'stored') {
        if (!t.sourceFile) throw new UserError(`POET does not know the source file of ${t.functionName}; open it and enhance from the editor.`);
        const folder = services.folderByUri(t.folderUri);
        if (!folder) throw new UserError('That workspace folder is no longer open.');
        const uri = vscode.Uri.joinPath(vscode.Uri.parse(folder.uri), ...safeRelativeSegments(t.sourceFile));
        return vscode.commands.executeCommand(Commands.enhanceFunction, uri.toString(), t.functionName);
      }
      const src = await sourceFunction(services, args);
      const h = await services.handle(src.folder);
      const res = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `POET: Enhancing ${src.fn.name}…`, cancellable: true },
        async (_p, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return enhanceOne(h, src.doc, src.relPath, src.fn, ac.signal);
        },
      );
      services.refresh();
      await openResult(h, res);
      const what = res.created ? `created ${res.version}` : `${res.version} is up to date (same source and config)`;
      const actions = res.metadata.parent_version ? ['Compare with Previous Version'] : [];
      void vscode.window.showInformationMessage(`POET: ${res.function_name} — ${what}.`, ...actions).then((c) => {
        if (c) void vscode.commands.executeCommand(Commands.compareWithPrevious, { folderUri: h.folder.uri, key: res.key, functionName: res.function_name, version: res.version });
      });
      return res;
    },

    [Commands.enhanceFile]: async (...args) => {
      services.assertTrusted();
      const { doc } = await sourceDocument(args.length ? [args[0]] : []);
      const { folder, relPath } = folderFor(services, doc);
      const parsed = parsedDocument(doc);
      const all = parsed?.functions ?? [];
      const L = locate();
      let fns = all.filter((f) => L.poetDecorator(f));
      if (fns.length === 0) fns = all.filter((f) => f.parents.length === 0);
      if (fns.length === 0) throw new UserError(`There are no functions in ${vscode.workspace.asRelativePath(doc.uri)}.`);
      const h = await services.handle(folder);
      const results: TranspileResponse[] = [];
      const failures: string[] = [];
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'POET: Enhancing', cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          for (const [i, fn] of fns.entries()) {
            if (token.isCancellationRequested) break;
            progress.report({ message: `${fn.name} (${i + 1}/${fns.length})`, increment: 100 / fns.length });
            try {
              results.push(await enhanceOne(h, doc, relPath, fn, ac.signal));
            } catch (err) {
              const { describeError } = lazy().clientErrors;
              failures.push(`${fn.name}: ${describeError(err, { remote: h.remote }).message}`);
            }
          }
        },
      );
      services.refresh();
      const created = results.filter((r) => r.created).length;
      const summary = `POET: enhanced ${results.length} of ${fns.length} function${fns.length === 1 ? '' : 's'} in ${relPath} (${created} new version${created === 1 ? '' : 's'}).`;
      if (failures.length) {
        services.log.warn(`${summary}\n  ${failures.join('\n  ')}`);
        void vscode.window.showWarningMessage(`${summary} Failed: ${failures.join(' | ')}`, 'Show Log').then((c) => (c ? services.log.show(true) : undefined));
      } else {
        void vscode.window.showInformationMessage(summary);
      }
      return results;
    },

    [Commands.openEnhanced]: async (...args) => {
      const s = await storedFunction(services, args);
      const { v } = await requireVersion(s);
      const uri = enhancedUri(s, v);
      await vscode.window.showTextDocument(uri, { preview: true });
      return uri.toString();
    },

    [Commands.compareWithPrevious]: async (...args) => {
      const s = await storedFunction(services, args);
      const { detail, v } = await requireVersion(s);
      const prev = previousVersion(detail, v.version);
      if (!prev) {
        void vscode.window.showInformationMessage(`${s.name} ${v.version} is its first version; there is nothing to compare it with.`);
        return undefined;
      }
      const left = enhancedUri(s, prev);
      const right = enhancedUri(s, v);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${s.name}: ${prev.version} ↔ ${v.version}`);
      return { left: left.toString(), right: right.toString() };
    },

    [Commands.compareWithOriginal]: async (...args) => {
      const s = await storedFunction(services, args);
      const { detail, v } = await requireVersion(s);
      const right = enhancedUri(s, v);
      const ext = detail.language === 'python' ? '.py' : '.na';
      const left = storeUri(s.h.folder.uri, s.key, v.version, 'original', ext);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${s.name}: original ↔ ${v.version}`);
      return { left: left.toString(), right: right.toString() };
    },

    [Commands.setCurrentVersion]: async (...args) => {
      const s = await storedFunction(services, args);
      let version = s.version;
      if (!version) {
        const detail = await detailOf(s);
        const pick = await vscode.window.showQuickPick(
          [...detail.versions].reverse().map((v) => ({
            label: v.version,
            description: v.version === detail.current_version ? 'current' : undefined,
            detail: `${v.created_at} · ${v.reason.replace('_', ' ')}`,
          })),
          { title: `Set the current version of ${s.name}`, placeHolder: 'Pick the version to use' },
        );
        if (!pick) return undefined;
        version = pick.label;
      }
      const r = await s.h.client.setCurrent(s.key, version);
      services.refresh();
      void vscode.window.showInformationMessage(
        r.previous_version && r.previous_version !== r.current_version
          ? `POET: ${s.name} now uses ${r.current_version} (was ${r.previous_version}).`
          : `POET: ${s.name} uses ${r.current_version}.`,
      );
      return r;
    },

    [Commands.revealSource]: async (...args) => {
      const s = await storedFunction(services, args);
      let sourceFile = s.sourceFile;
      if (sourceFile === undefined) sourceFile = (await detailOf(s)).source_file;
      if (!sourceFile) throw new UserError(`POET does not know which file ${s.name} came from.`);
      const uri = vscode.Uri.joinPath(vscode.Uri.parse(s.h.folder.uri), ...safeRelativeSegments(sourceFile));
      const doc = await vscode.workspace.openTextDocument(uri);
      const parsed = parsedDocument(doc);
      const fn = parsed ? locate().findFunction(parsed, s.name) : undefined;
      const range = fn ? toRange(fn) : new vscode.Range(0, 0, 0, 0);
      await vscode.window.showTextDocument(doc, { selection: range, preview: false });
      if (!fn) void vscode.window.showWarningMessage(`${s.name} is no longer in ${sourceFile}.`);
      return uri.toString();
    },

    [Commands.openStoredFile]: async (...args) => {
      const t = resolveTarget(args);
      if (t.kind !== 'file') throw new UserError('Open Stored File needs a file of the POET view.');
      const folder = services.folderByUri(t.folderUri);
      if (!folder) throw new UserError('That workspace folder is no longer open.');
      const h = await services.handle(folder);
      const [, , key, version] = t.filePath.split('/').slice(-5);
      const uri = h.remote && key && version ? fileUri(h, key, version, t.filePath) : vscode.Uri.joinPath(vscode.Uri.parse(folder.uri), ...safeRelativeSegments(t.filePath));
      await vscode.window.showTextDocument(uri, { preview: true });
      return uri.toString();
    },

    [Commands.showLog]: () => services.log.show(true),

    [Commands.restartService]: async () => {
      await services.backend.restart();
      services.refresh();
    },

    [Commands.refresh]: () => services.refresh(),

    [Commands.copyServiceUrl]: async () => {
      const settings = services.settings();
      if (settings.serviceUrl) {
        await copy(`POET_URL=${settings.serviceUrl}\n`);
        void vscode.window.showInformationMessage('POET: copied the remote service URL. Its API key stays in VS Code\'s secret storage.');
        return;
      }
      await services.backend.ensureStarted();
      await services.backend.whenReady();
      const all = services.backend.allServices();
      if (!all.length) throw new UserError('No POET service is running: open a folder first.');
      let svc = all[0]!;
      if (all.length > 1) {
        const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.url, description: s.workspace, s })), { title: 'Copy the URL and token of which service?' });
        if (!pick) return;
        svc = pick.s;
      }
      await copy(`POET_URL=${svc.url}\nPOET_API_KEY=${services.backend.serviceToken}\n`);
      void vscode.window.showInformationMessage(`POET: copied the service URL and token (${TOKEN_HINT}).`);
    },

    [Commands.setRemoteApiKey]: async () => {
      const key = await vscode.window.showInputBox({
        title: 'POET: Remote Service API Key',
        prompt: 'The bearer token of the POET service set in "poet.service.url". Stored in VS Code\'s secret storage. Leave empty to remove it.',
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key.trim()) await services.context.secrets.store(REMOTE_API_KEY_SECRET, key.trim());
      else await services.context.secrets.delete(REMOTE_API_KEY_SECRET);
      services.refresh();
      void vscode.window.showInformationMessage(key.trim() ? 'POET: remote service API key saved.' : 'POET: remote service API key removed.');
    },
  };
}
