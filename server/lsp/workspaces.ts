// Workspace folders as the server sees them: URI ↔ file-system path, and which folder a
// document belongs to. Each folder has its own `.dana/poet/` and its own HTTP service.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Folder {
  /** The URI string exactly as the client sent it. */
  uri: string;
  name: string;
  /** Absolute file-system path. */
  fsPath: string;
}

/** File-system path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

export function folderFromUri(uri: string, name?: string): Folder | undefined {
  const fsPath = uriToPath(uri);
  if (!fsPath) return undefined;
  return { uri, name: name ?? path.basename(fsPath), fsPath: path.resolve(fsPath) };
}

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
const norm = (p: string): string => (caseInsensitive ? p.toLowerCase() : p);

/** The innermost folder containing `fsPath` (folders may nest in multi-root workspaces). */
export function folderOf(folders: readonly Folder[], fsPath: string): Folder | undefined {
  let best: Folder | undefined;
  for (const f of folders) {
    const rel = path.relative(norm(f.fsPath), norm(fsPath));
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (!best || f.fsPath.length > best.fsPath.length) best = f;
  }
  return best;
}

