// The POET commands (everything but the learning ones): enhance, open, compare, pin,
// reveal, and the service commands.
import * as vscode from 'vscode';
import type { TranspileResponse, VersionSummary } from '../../shared/contract/api';
import { Commands, REMOTE_API_KEY_SECRET } from '../../shared/ids';
import type { PoetContext } from '../context';
import type { FolderClient } from '../folder-clients';
import { UserError } from '../user-error';
import { toRange } from '../editor/functions';
import { storeUri, storeUriOf } from '../editor/storeDocuments';
import { showDiff, showStored } from '../editor/showStored';
import { serviceEnvLine, shellKind } from './envLine';
import { cacheHitNotCurrent, enhancedFile, pickVersion, previousVersion, resolveTarget, safeRelativeSegments, versionPickItems } from './args';
import { detailOf, folderFor, sourceDocument, sourceFunction, storedFunction } from './resolve';
import type { StoredTarget } from './targets';
import type { CommandTable } from './table';
import type { DocumentFunction } from '../../shared/lsp-protocol';
import { lazy } from '../lazy/load';
import { isStoredPath } from '../../shared/workspace-paths';
import { plural } from '../../shared/plural';

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

/** A stored file as a read-only document (extension/editor/storeDocuments.ts), local or remote. */
function fileUri(h: FolderClient, key: string, version: string, relPath: string): vscode.Uri {
  return storeUriOf(h.folder.uri, key, version, relPath);
}

function enhancedUri(s: StoredTarget, v: VersionSummary): vscode.Uri {
  const f = enhancedFile(v);
  if (!f) throw new UserError(`${s.name} ${v.version} has no enhanced code file.`);
  return fileUri(s.h, s.key, v.version, f);
}

async function requireVersion(s: StoredTarget): Promise<{ detail: Awaited<ReturnType<typeof detailOf>>; v: VersionSummary }> {
  const detail = await detailOf(s);
  const v = pickVersion(detail, s.version);
  if (!v) throw new UserError(s.version ? `${s.name} has no version ${s.version} any more. Refresh the POET view.` : `${s.name} has no versions yet. Enhance it first.`);
  return { detail, v };
}

export function coreCommands(services: PoetContext, state: CoreState): CommandTable {
  async function enhanceOne(h: FolderClient, doc: vscode.TextDocument, relPath: string, fn: DocumentFunction, signal: AbortSignal): Promise<TranspileResponse> {
    const res = await h.client.transpile(
      {
        code: doc.getText(),
        language: doc.fileName.endsWith('.py') ? 'python' : 'dana',
        function_name: fn.name,
        config: lazy().settings.settingsConfigLayer(services.settings(), fn.poet ?? {}),
        context: { file: relPath },
      },
      { signal },
    );
    state.lastEnhanceResult = res;
    services.log.info(`Enhanced ${res.key} (${relPath}): ${res.version}${res.created ? ' (new)' : res.cached ? ' (cached)' : ''}`);
    for (const w of res.warnings ?? []) services.log.warn(`${res.key} (${relPath}): ${w.message}`);
    return res;
  }

  /** Shows the enhanced function beside the source, keeping the focus in the source. */
  async function openResult(h: FolderClient, res: TranspileResponse): Promise<void> {
    await showStored(services.functions, fileUri(h, res.key, res.version, res.poet_implementation.file), { functionName: res.function_name });
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
      const target = { folderUri: h.folder.uri, key: res.key, functionName: res.function_name, version: res.version };
      if (!res.current) {
        // A cache hit on a version that is not current (an older one was pinned, or a newer one
        // was trained or made with another config). "Up to date" here left the user in a loop.
        const detail = await h.client.getFunction(res.key);
        const make = `Make ${res.version} Current`;
        void services
          .info(`POET: ${res.function_name} — ${cacheHitNotCurrent(detail, res.version)}`, make)
          .then((c) => (c ? vscode.commands.executeCommand(Commands.setCurrentVersion, target) : undefined));
        return res;
      }
      const what = res.created ? `created ${res.version}` : `${res.version} is up to date (same source and config)`;
      const actions = res.metadata.parent_version ? ['Compare with Previous Version'] : [];
      // A warning (an unknown domain: enhanced with the general rules) is said with the result.
      const note = res.warnings?.length ? ` ${res.warnings.map((w) => w.message).join(' ')}` : '';
      const shown = note ? vscode.window.showWarningMessage(`POET: ${res.function_name} — ${what}.${note}`, ...actions) : services.info(`POET: ${res.function_name} — ${what}.`, ...actions);
      void shown.then((c) => {
        if (c) void vscode.commands.executeCommand(Commands.compareWithPrevious, target);
      });
      return res;
    },

    [Commands.enhanceFile]: async (...args) => {
      services.assertTrusted();
      const { doc } = await sourceDocument(args.length ? [args[0]] : []);
      const { folder, relPath } = folderFor(services, doc);
      const all = await services.functions.all(doc);
      let fns = all.filter((f) => f.poet);
      if (fns.length === 0) fns = all.filter((f) => f.topLevel);
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
      const summary = `POET: enhanced ${results.length} of ${plural(fns.length, 'function')} in ${relPath} (${plural(created, 'new version')}).`;
      if (failures.length) {
        services.log.warn(`${summary}\n  ${failures.join('\n  ')}`);
        void vscode.window.showWarningMessage(`${summary} Failed: ${failures.join(' | ')}`, 'Show Log').then((c) => (c ? services.log.show(true) : undefined));
      } else {
        void services.info(summary);
      }
      return results;
    },

    [Commands.openEnhanced]: async (...args) => {
      const s = await storedFunction(services, args, 'Open Enhanced Code');
      if (!s) return undefined;
      const { v } = await requireVersion(s);
      const uri = enhancedUri(s, v);
      await showStored(services.functions, uri, { functionName: s.name, focus: true });
      return uri.toString();
    },

    [Commands.compareWithPrevious]: async (...args) => {
      const s = await storedFunction(services, args, 'Compare with Previous Version');
      if (!s) return undefined;
      const { detail, v } = await requireVersion(s);
      const prev = previousVersion(detail, v.version);
      if (!prev) {
        void services.info(`${s.name} ${v.version} is its first version; there is nothing to compare it with.`);
        return undefined;
      }
      const left = enhancedUri(s, prev);
      const right = enhancedUri(s, v);
      await showDiff(left, right, `${s.name}: ${prev.version} ↔ ${v.version}`, { focus: true });
      return { left: left.toString(), right: right.toString() };
    },

    [Commands.compareWithOriginal]: async (...args) => {
      const s = await storedFunction(services, args, 'Compare with Original');
      if (!s) return undefined;
      const { detail, v } = await requireVersion(s);
      const right = enhancedUri(s, v);
      const ext = detail.language === 'python' ? '.py' : '.na';
      const left = storeUri(s.h.folder.uri, s.key, v.version, 'original', ext);
      await showDiff(left, right, `${s.name}: original ↔ ${v.version}`, { focus: true });
      return { left: left.toString(), right: right.toString() };
    },

    [Commands.setCurrentVersion]: async (...args) => {
      const s = await storedFunction(services, args, 'Set as Current Version');
      if (!s) return undefined;
      let version = s.version;
      if (!version) {
        const detail = await detailOf(s);
        const pick = await vscode.window.showQuickPick(versionPickItems(detail, new Date().getTimezoneOffset()), {
          title: `Set the current version of ${s.name}`,
          placeHolder: 'Pick the version to use',
        });
        if (!pick) return undefined;
        version = pick.label;
      }
      const r = await s.h.client.setCurrent(s.key, version);
      services.refresh();
      void services.info(
        r.previous_version && r.previous_version !== r.current_version
          ? `POET: ${s.name} now uses ${r.current_version} (was ${r.previous_version}).`
          : `POET: ${s.name} uses ${r.current_version}.`,
      );
      return r;
    },

    [Commands.revealSource]: async (...args) => {
      const s = await storedFunction(services, args, 'Reveal Source');
      if (!s) return undefined;
      let sourceFile = s.sourceFile;
      if (sourceFile === undefined) sourceFile = (await detailOf(s)).source_file;
      if (!sourceFile) throw new UserError(`POET does not know which file ${s.name} came from.`);
      const uri = vscode.Uri.joinPath(vscode.Uri.parse(s.h.folder.uri), ...safeRelativeSegments(sourceFile));
      const doc = await vscode.workspace.openTextDocument(uri);
      const fn = await services.functions.named(doc, s.name);
      const range = fn ? toRange(fn.nameRange) : new vscode.Range(0, 0, 0, 0);
      await vscode.window.showTextDocument(doc, { selection: range, preview: false });
      if (!fn) void vscode.window.showWarningMessage(`${s.name} is no longer in ${sourceFile}.`);
      return uri.toString();
    },

    [Commands.openStoredFile]: async (...args) => {
      const t = resolveTarget(args);
      if (t.kind !== 'file') throw new UserError('Open Stored File needs a file of the POET view.');
      const folder = services.folderByUri(t.folderUri);
      if (!folder) throw new UserError('That workspace folder is no longer open.');
      // .dana/poet/functions/KEY/vN/FILE
      const [key, version] = t.filePath.split('/').slice(-3);
      if (!key || !version || !isStoredPath(t.filePath)) throw new UserError(`${t.filePath} is not a file of a stored version.`);
      const uri = storeUriOf(folder.uri, key, version, t.filePath);
      await showStored(services.functions, uri, { focus: true, ...(t.filePath.endsWith('.json') ? {} : { functionName: t.functionName }) });
      return uri.toString();
    },

    [Commands.showLog]: () => services.log.show(true),

    [Commands.restartService]: async () => {
      await services.backend.restart();
      services.refresh();
      await services.backend.whenReady();
      const ports = services.backend.allServices().map((s) => s.port);
      const where = services.isRemote() ? `commands use the remote service at ${services.settings().serviceUrl}` : ports.length ? `listening on port ${ports.join(', ')}` : 'no folder open';
      const copyAgain = 'Copy Service URL and Token';
      // A restart gives the bundled service a new token: code that reports runs needs it.
      const hint = services.isRemote() || !ports.length ? '' : ' Its token changed: copy it again for code that reports runs.';
      void services
        .info(`POET: service restarted (${where}).${hint}`, ...(hint ? [copyAgain] : []))
        .then((c) => (c ? vscode.commands.executeCommand(Commands.copyServiceUrl) : undefined));
      return { ports };
    },

    [Commands.refresh]: () => services.refresh(),

    [Commands.copyServiceUrl]: async () => {
      const settings = services.settings();
      const shell = shellKind(vscode.env.shell);
      let url: string;
      let key: string | undefined;
      if (settings.serviceUrl) {
        url = settings.serviceUrl;
        key = await services.context.secrets.get(REMOTE_API_KEY_SECRET);
      } else {
        await services.backend.ensureStarted();
        await services.backend.whenReady();
        const all = services.backend.allServices();
        if (!all.length) throw new UserError('No POET service is running: open a folder first.');
        let svc = all[0]!;
        if (all.length > 1) {
          const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.url, description: s.workspace, s })), { title: 'Copy the URL and token of which service?' });
          if (!pick) return undefined;
          svc = pick.s;
        }
        url = svc.url;
        key = services.backend.serviceToken;
      }
      const line = serviceEnvLine(url, key, shell);
      await copy(`${line}\n`);
      // The notification names the variables, never the token (screens get shared).
      const shown = key ? line.replace(key, '…') : line;
      const keyNote = settings.serviceUrl
        ? key ? '' : ' No API key is set for the remote service ("POET: Set Remote Service API Key").'
        : ' The token changes when the service restarts.';
      void services.info(`POET: copied ${shown} — paste it into the terminal that runs your code, and enhanced functions report their runs to POET.${keyNote}`);
      return line;
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
      void services.info(key.trim() ? 'POET: remote service API key saved.' : 'POET: remote service API key removed.');
    },
  };
}
