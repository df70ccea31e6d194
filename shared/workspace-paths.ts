// Workspace-relative paths, as `.dana/poet/` metadata records `source_file`: POSIX separators,
// relative to the workspace folder, never outside it. The extension, the language server, the
// service and the CLI all compute them here, so a function's file is spelled one way.
import path from 'node:path';

/**
 * `file` (absolute, or relative to `workspace`) as a workspace-relative POSIX path; undefined
 * when it is the folder itself or outside it. `p` is the platform's path rules (win32 compares
 * drive letters and names case-insensitively); tests pass the other platform's.
 */
export function workspaceRelative(workspace: string, file: string, p: path.PlatformPath = path): string | undefined {
  const rel = p.relative(workspace, p.resolve(workspace, file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return undefined;
  return rel.split(p.sep).join('/');
}

/** True for files under `.dana/poet/` (generated code and metadata, never a source to enhance). */
export function isStoredPath(relPath: string): boolean {
  return /^\.dana\/poet(\/|$)/.test(relPath.replace(/\\/g, '/'));
}
