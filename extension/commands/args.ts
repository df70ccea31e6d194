// What a command was invoked on, from whatever VS Code passed: nothing (palette / keybinding:
// the active editor's cursor), a tree node (sidebar menus), the CodeLens arguments
// `[fileUri, functionName]`, a Uri (editor title or explorer), or `{folderUri, filePath}`.
// Pure, so every invocation path is unit-tested without an editor.
import type { FunctionDetailResponse, VersionSummary } from '../../shared/contract/api';
import { versionDescription } from '../tree/model';

export type CommandTarget =
  /** The function under the cursor of the active editor. */
  | { kind: 'cursor' }
  /** A function in a source file, by name (CodeLens), or every function (Uri with no name). */
  | { kind: 'source'; fileUri: string; functionName?: string }
  /** A stored function or version (tree items). */
  | { kind: 'stored'; folderUri: string; key: string; functionName: string; version?: string; sourceFile?: string | null }
  /** A stored file (tree file items). */
  | { kind: 'file'; folderUri: string; filePath: string; functionName?: string };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** A vscode.Uri without importing vscode: it has scheme/path and a toString that gives the URI. */
function uriString(v: unknown): string | undefined {
  if (str(v) && /^[a-z][a-z0-9+.-]*:/i.test(v)) return v;
  if (isObj(v) && str(v.scheme) && typeof v.path === 'string' && typeof v.toString === 'function') {
    const s = String(v.toString());
    if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return s;
  }
  return undefined;
}

export function resolveTarget(args: readonly unknown[]): CommandTarget {
  const [a, b] = args;
  if (a === undefined || a === null) return { kind: 'cursor' };

  // Tree nodes (extension/tree/model.ts TreeNode) carry folder + key.
  if (isObj(a) && isObj(a.folder) && str((a.folder as Record<string, unknown>).uri) && str(a.key)) {
    const folderUri = (a.folder as Record<string, unknown>).uri as string;
    return {
      kind: 'stored',
      folderUri,
      key: a.key,
      functionName: str(a.functionName) ? a.functionName : a.key.split('.').pop()!,
      ...(str(a.version) ? { version: a.version } : {}),
      ...(a.sourceFile === null || str(a.sourceFile) ? { sourceFile: a.sourceFile as string | null } : {}),
    };
  }
  if (isObj(a) && str(a.folderUri) && str(a.filePath)) {
    return { kind: 'file', folderUri: a.folderUri, filePath: a.filePath, ...(str(a.functionName) ? { functionName: a.functionName } : {}) };
  }
  if (isObj(a) && str(a.folderUri) && str(a.key)) {
    return { kind: 'stored', folderUri: a.folderUri, key: a.key, functionName: str(a.functionName) ? a.functionName : a.key, ...(str(a.version) ? { version: a.version } : {}) };
  }

  const uri = uriString(a);
  if (uri) return { kind: 'source', fileUri: uri, ...(str(b) ? { functionName: b } : {}) };
  throw new Error(`POET cannot tell what to act on from the command's argument (${describe(a)}). Run it from the editor, the POET view or the CodeLens.`);
}

function describe(v: unknown): string {
  if (isObj(v)) return `an object with ${Object.keys(v).slice(0, 5).join(', ') || 'no keys'}`;
  return typeof v;
}

/** The version before `version`: its recorded parent, else the one listed before it. */
export function previousVersion(fn: Pick<FunctionDetailResponse, 'versions'>, version: string): VersionSummary | undefined {
  const i = fn.versions.findIndex((v) => v.version === version);
  if (i < 0) return undefined;
  const parent = fn.versions[i]!.parent_version;
  if (parent) {
    const p = fn.versions.find((v) => v.version === parent);
    if (p) return p;
  }
  return i > 0 ? fn.versions[i - 1] : undefined;
}

/** The enhanced code file of a version (`…/enhanced.na` or `…/enhanced.py`). */
export function enhancedFile(v: Pick<VersionSummary, 'files'>): string | undefined {
  return v.files.find((f) => /(^|\/)enhanced\.(na|py)$/.test(f)) ?? v.files.find((f) => !f.endsWith('.json'));
}

/** The version a command on a function means: the one given, else the current one, else the newest. */
export function pickVersion(fn: Pick<FunctionDetailResponse, 'versions' | 'current_version'>, version?: string): VersionSummary | undefined {
  if (version) return fn.versions.find((v) => v.version === version);
  return fn.versions.find((v) => v.version === fn.current_version) ?? fn.versions[fn.versions.length - 1];
}

/** Converts a workspace-relative POSIX path to segments, refusing anything that leaves the folder. */
export function safeRelativeSegments(rel: string): string[] {
  const segs = rel.split('/').filter((s) => s !== '' && s !== '.');
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || segs.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) {
    throw new Error(`POET refuses the path "${rel}": stored paths must stay inside the workspace folder.`);
  }
  return segs;
}

/** The Set as Current Version picker: newest first, dated and explained as the POET view shows them. */
export function versionPickItems(
  fn: Pick<FunctionDetailResponse, 'versions' | 'current_version'>,
  tzOffsetMinutes = 0,
): Array<{ label: string; description?: string; detail: string }> {
  return [...fn.versions].reverse().map((v) => {
    const base = versionDescription(v, tzOffsetMinutes);
    const words = base.slice(base.lastIndexOf(' · ') + 3);
    // "config changed: timeout" rather than "config changed (config changed: timeout)".
    const detail = !v.reason_detail ? base : v.reason_detail.startsWith(words) ? `${base.slice(0, base.length - words.length)}${v.reason_detail}` : `${base} (${v.reason_detail})`;
    return { label: v.version, ...(v.version === fn.current_version ? { description: 'current' } : {}), detail };
  });
}

/**
 * What Enhance says when the cache holds this source and config as `version`, but another
 * version is current: pinned back to an older one, or a newer one (trained, other config).
 */
export function cacheHitNotCurrent(fn: Pick<FunctionDetailResponse, 'versions' | 'current_version'>, version: string): string {
  const order = (v: string | null) => fn.versions.findIndex((x) => x.version === v);
  const cur = fn.versions.find((v) => v.version === fn.current_version);
  if (!cur) return `${version} matches this source and config; no version is current.`;
  if (order(cur.version) < order(version)) {
    return `${version} matches this source and config, but ${cur.version} is current (pinned with "Set as Current Version").`;
  }
  const why = cur.reason === 'trained' ? 'trained' : cur.reason === 'config_changed' ? 'another config' : (REASON_WORDS[cur.reason] ?? cur.reason);
  return `${version} matches this source and config; the current version is the newer ${cur.version} (${why}).`;
}

const REASON_WORDS: Record<string, string> = { initial: 'initial', source_changed: 'source changed', manual: 'regenerated' };
