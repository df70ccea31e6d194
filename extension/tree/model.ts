// The Functions tree as plain data: what each node says, its id, its contextValue and what a
// click does. Pure (no `vscode`): the provider turns nodes into TreeItems, the test API
// returns them as they are, and the unit tests check them without an editor.
//
//   [workspace folder]            only in multi-root workspaces
//     function                    icon by status; "v3 · 12 runs · 92% ✓" or "v3"
//       version                   current one marked; "2026-11-26 14:30 · source changed"
//         enhanced.na / metadata.json   open on click
//         ✓ 2026-11-26 14:31:07         recorded executions, newest first (feedback attaches here)
import type { FunctionDetailResponse, FunctionSummary, VersionSummary } from '../../shared/contract/api';
import type { ExecutionSummary, FunctionMetrics, VersionMetrics } from '../../shared/contract/learning';
import { Commands, TreeContext } from '../../shared/ids';
import { plural } from '../../shared/plural';

export interface FolderRef {
  /** `WorkspaceFolder.uri.toString()`: the key services and caches use. */
  uri: string;
  name: string;
  /** Absolute file-system path (`uri.fsPath`). */
  path: string;
}

export type NodeKind = 'folder' | 'function' | 'version' | 'file' | 'execution' | 'message';

export interface TreeNode {
  /** Stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue: string;
  /** A codicon id, and optionally a theme colour id. */
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  folder: FolderRef;
  /** Storage key of the function (for function, version and file nodes). */
  key?: string;
  functionName?: string;
  version?: string;
  /** True on the version that is the function's current one. */
  current?: boolean;
  /** Workspace-relative POSIX path of the source file (function nodes) or of the stored file (file nodes). */
  sourceFile?: string | null;
  filePath?: string;
  /** Execution nodes: the recorded run's id (Give Feedback attaches to it). */
  executionId?: string;
  /** The command a click runs, with its arguments. */
  command?: { command: string; title: string; arguments: unknown[] };
}

const REASONS: Record<string, string> = {
  initial: 'initial',
  source_changed: 'source changed',
  config_changed: 'config changed',
  trained: 'trained',
  manual: 'manual',
};

export function folderNode(folder: FolderRef): TreeNode {
  return {
    id: `folder:${folder.uri}`,
    kind: 'folder',
    label: folder.name,
    contextValue: TreeContext.folder,
    icon: { id: 'root-folder' },
    collapsible: 'expanded',
    folder,
    tooltip: folder.path,
  };
}

export function messageNode(folder: FolderRef, id: string, label: string, command?: TreeNode['command'], icon = 'info'): TreeNode {
  return { id: `msg:${folder.uri}:${id}`, kind: 'message', label, contextValue: TreeContext.message, icon: { id: icon }, collapsible: 'none', folder, ...(command ? { command } : {}) };
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** The version's metrics line, e.g. `12 runs · 92% ✓`; undefined when it has no executions. */
export function metricsSummary(m: VersionMetrics | undefined): string | undefined {
  if (!m || m.executions === 0) return undefined;
  const runs = plural(m.executions, 'run');
  return m.success_rate === null ? runs : `${runs} · ${percent(m.success_rate)} ✓`;
}

/** `v3 · 12 runs · 92% ✓` once the current version has executions, else `v3`. */
export function functionDescription(fn: Pick<FunctionSummary, 'current_version' | 'versions'>, metrics?: FunctionMetrics): string {
  const cur = fn.current_version ?? fn.versions[fn.versions.length - 1];
  if (!cur) return 'not enhanced';
  const m = metricsSummary(metrics?.versions.find((v) => v.version === cur));
  return m ? `${cur} · ${m}` : cur;
}

/** Status icon: success rate when known, else enhanced/not. */
export function functionIcon(fn: Pick<FunctionSummary, 'current_version'>, metrics?: FunctionMetrics): { id: string; color?: string } {
  if (!fn.current_version) return { id: 'circle-outline' };
  const m = metrics?.versions.find((v) => v.version === fn.current_version);
  if (m && m.executions > 0 && m.success_rate !== null) {
    if (m.success_rate >= 0.95) return { id: 'pass-filled', color: 'testing.iconPassed' };
    if (m.success_rate >= 0.8) return { id: 'warning', color: 'list.warningForeground' };
    return { id: 'error', color: 'list.errorForeground' };
  }
  return { id: 'symbol-function' };
}

/** `2026-11-26 14:30` (or with seconds) in the given time zone offset (minutes behind UTC); the input when it is no date. */
export function localDateTime(iso: string, tzOffsetMinutes = 0, seconds = false): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t - tzOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const hm = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}${seconds ? `:${p(d.getUTCSeconds())}` : ''}`;
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${hm}`;
}

/** `2026-11-26 14:30 · source changed` (UTC unless given the offset). */
export function versionDescription(v: Pick<VersionSummary, 'created_at' | 'reason'>, tzOffsetMinutes = 0): string {
  return `${localDateTime(v.created_at, tzOffsetMinutes)} · ${REASONS[v.reason] ?? v.reason}`;
}

export function functionNode(folder: FolderRef, fn: FunctionSummary, metrics?: FunctionMetrics): TreeNode {
  const desc = functionDescription(fn, metrics);
  const lines = [
    `${fn.name}${fn.key !== fn.name ? ` (key ${fn.key})` : ''}`,
    fn.source_file ? `Source: ${fn.source_file}` : undefined,
    `Language: ${fn.language}`,
    fn.domain ? `Domain: ${fn.domain}` : undefined,
    `Current: ${fn.current_version ?? 'none'} of ${plural(fn.versions.length, 'version')}`,
  ].filter(Boolean);
  return {
    id: `fn:${folder.uri}#${fn.key}`,
    kind: 'function',
    label: fn.name,
    description: desc,
    tooltip: lines.join('\n'),
    contextValue: TreeContext.function,
    icon: functionIcon(fn, metrics),
    collapsible: fn.versions.length ? 'collapsed' : 'none',
    folder,
    key: fn.key,
    functionName: fn.name,
    ...(fn.current_version ? { version: fn.current_version } : {}),
    sourceFile: fn.source_file,
  };
}

/** Newest first: the list a person scans starts with what changed last. */
export function versionNodes(folder: FolderRef, fn: FunctionDetailResponse, metrics?: FunctionMetrics, tzOffsetMinutes = 0): TreeNode[] {
  return [...fn.versions].reverse().map((v) => {
    const current = v.version === fn.current_version;
    const m = metricsSummary(metrics?.versions.find((x) => x.version === v.version));
    const base = versionDescription(v, tzOffsetMinutes);
    return {
      id: `ver:${folder.uri}#${fn.key}@${v.version}`,
      kind: 'version' as const,
      label: v.version,
      description: [current ? 'current' : undefined, base, m].filter(Boolean).join(' · '),
      tooltip: [
        `${fn.name} ${v.version}${current ? ' — current' : ''}`,
        `Created ${v.created_at}`,
        `Reason: ${REASONS[v.reason] ?? v.reason}${v.reason_detail ? ` (${v.reason_detail})` : ''}`,
        v.parent_version ? `Parent: ${v.parent_version}` : undefined,
        `Source hash: ${v.source_hash}`,
      ].filter(Boolean).join('\n'),
      contextValue: current ? TreeContext.currentVersion : TreeContext.version,
      icon: current ? { id: 'pass', color: 'charts.green' } : { id: 'history' },
      // Files, then recorded executions.
      collapsible: 'collapsed' as const,
      folder,
      key: fn.key,
      functionName: fn.name,
      version: v.version,
      current,
      sourceFile: fn.source_file,
    };
  });
}

export function fileNodes(folder: FolderRef, fn: Pick<FunctionDetailResponse, 'key' | 'name'>, v: Pick<VersionSummary, 'version' | 'files'>): TreeNode[] {
  return v.files.map((file) => {
    const base = file.split('/').pop() ?? file;
    return {
      id: `file:${folder.uri}#${fn.key}@${v.version}/${file}`,
      kind: 'file' as const,
      label: base,
      tooltip: file,
      contextValue: TreeContext.file,
      icon: { id: base.endsWith('.json') ? 'json' : 'file-code' },
      collapsible: 'none' as const,
      folder,
      key: fn.key,
      functionName: fn.name,
      version: v.version,
      filePath: file,
      command: { command: Commands.openStoredFile, title: 'Open', arguments: [{ folderUri: folder.uri, filePath: file, functionName: fn.name }] },
    };
  });
}

function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Recorded runs of a version, newest first, as the service lists them. */
export function executionNodes(
  folder: FolderRef,
  fn: Pick<FunctionDetailResponse, 'key' | 'name'>,
  version: string,
  executions: readonly ExecutionSummary[],
  tzOffsetMinutes = 0,
): TreeNode[] {
  return executions.map((e) => {
    const ok = e.status === 'success';
    const when = localDateTime(e.started_at, tzOffsetMinutes, true);
    const parts = [fmtMs(e.duration_ms), plural(e.attempts, 'attempt')];
    if (e.feedback_count) parts.push(`${e.feedback_count} feedback`);
    return {
      id: `exec:${folder.uri}#${fn.key}@${version}/${e.execution_id}`,
      kind: 'execution' as const,
      label: `${ok ? '✓' : '✗'} ${when}`,
      description: parts.join(' · '),
      tooltip: [`Execution ${e.execution_id}`, `Inputs: ${e.inputs_preview}`, ok ? `Output: ${e.output_preview ?? '—'}` : `Error: ${e.error ?? 'unknown'}`].join('\n'),
      contextValue: TreeContext.execution,
      icon: ok ? { id: 'pass', color: 'testing.iconPassed' } : { id: 'error', color: 'testing.iconFailed' },
      collapsible: 'none' as const,
      folder,
      key: fn.key,
      functionName: fn.name,
      version,
      executionId: e.execution_id,
    };
  });
}

/** Functions sorted by name, then key (two files may define the same name under different keys). */
export function functionNodes(folder: FolderRef, fns: FunctionSummary[], metrics: ReadonlyMap<string, FunctionMetrics> = new Map()): TreeNode[] {
  return [...fns]
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
    .map((fn) => functionNode(folder, fn, metrics.get(fn.key)));
}

/**
 * A snapshot node for the test API: the node's data (so it can be passed back to a command,
 * as a tree menu does) plus its children.
 */
export type TreeSnapshot = Omit<TreeNode, 'command'> & { children: TreeSnapshot[] };

export function snapshotOf(n: TreeNode, children: TreeSnapshot[]): TreeSnapshot {
  const { command: _command, ...data } = n;
  return { ...data, children };
}
