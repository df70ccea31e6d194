// Where things live under `.dana/poet/`, and the checks that keep every path inside it.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FunctionKeySchema, VersionSchema } from '../../shared/contract/api';
import { PoetError } from '../../shared/contract/errors';

export interface PoetPaths {
  /** Absolute workspace root. */
  workspace: string;
  /** `<workspace>/.dana/poet` */
  root: string;
  functions: string;
  cache: string;
  /** Records a person opens: `executions/{id}/context.json, result.json`. */
  executions: string;
  /** Every execution, append-only: `execution-log/{key}/{version}/{first id}.jsonl`. */
  executionLog: string;
  feedback: string;
  magic: string;
  /** Immutable, content-named runtime files that enhanced code imports. */
  runtime: string;
  /** Cross-process lock files (not part of the design's layout, hidden). */
  locks: string;
}

export function poetPaths(workspace: string): PoetPaths {
  const ws = resolve(workspace);
  const root = resolve(ws, '.dana', 'poet');
  return {
    workspace: ws,
    root,
    functions: resolve(root, 'functions'),
    cache: resolve(root, 'cache'),
    executions: resolve(root, 'executions'),
    executionLog: resolve(root, 'execution-log'),
    feedback: resolve(root, 'feedback'),
    magic: resolve(root, 'magic'),
    runtime: resolve(root, 'runtime'),
    locks: resolve(root, '.locks'),
  };
}

/**
 * Joins `segments` onto `base` and returns the absolute path, or throws 400 when the
 * result is not strictly inside `base`. Every path built from request data goes through here.
 */
export function resolveInside(base: string, ...segments: string[]): string {
  for (const s of segments) {
    if (s.includes('\0')) throw new PoetError('invalid_request', 'Path segment contains a NUL character.');
  }
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new PoetError('invalid_request', `Path "${segments.join('/')}" escapes ${base}.`, [
      { field: 'path', message: 'must stay inside the POET storage directory' },
    ]);
  }
  return target;
}

/** Validates a function key (identifier or dotted identifiers) from a request; 400 otherwise. */
export function checkKey(key: unknown, field = 'name'): string {
  const r = FunctionKeySchema.safeParse(key);
  if (!r.success) {
    throw new PoetError('invalid_request', `Invalid function name ${JSON.stringify(key)}: ${r.error.issues[0]?.message ?? 'invalid'}.`, [
      { field, message: r.error.issues.map((i) => i.message).join('; ') },
    ]);
  }
  return r.data;
}

export function checkVersion(version: unknown, field = 'version'): string {
  const r = VersionSchema.safeParse(version);
  if (!r.success) {
    throw new PoetError('invalid_request', `Invalid version ${JSON.stringify(version)}: must look like "v1", "v2", ….`, [
      { field, message: 'must look like "v1", "v2", …' },
    ]);
  }
  return r.data;
}

export function versionNumber(v: string): number {
  return Number(v.slice(1));
}

/** Workspace-relative POSIX form of an absolute path inside the workspace. */
export function toWorkspaceRelative(paths: PoetPaths, abs: string): string {
  return relative(paths.workspace, abs).split(sep).join('/');
}

/** `.dana/poet/functions/{key}/{version}/{name}`, workspace-relative: where a version's file lives (or is synced to). */
export function versionFilePath(key: string, version: string, name: string): string {
  return ['.dana', 'poet', 'functions', checkKey(key), checkVersion(version), name].join('/');
}
