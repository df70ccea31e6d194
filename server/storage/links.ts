// Symbolic links inside `.dana/poet/` are never followed, for reading or writing. A repository
// can ship a `.dana/` folder, and a link in it (`.dana/poet/functions/NAME -> ~/.config/...`)
// would make the service write versions, cache entries or records wherever it points, for
// anyone who opens the repository. So every path below the workspace is checked component by
// component before use, and files are opened with O_NOFOLLOW where the platform has it.
// Links above the workspace (a workspace that is itself reached through a link) are the
// user's own choice and stay allowed.
import { closeSync, constants, lstatSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { PoetError } from '../../shared/contract/errors';

function refusal(workspace: string, link: string): PoetError {
  const rel = relative(workspace, link).split(sep).join('/');
  let target: string | null = null;
  try {
    target = readlinkSync(link);
  } catch {
    // gone again, or unreadable: the name is what matters
  }
  return new PoetError(
    'symlink_refused',
    `${rel} is a symbolic link${target !== null ? ` to ${target}` : ''}. POET does not read or write through links inside .dana/poet/: a link there (for example in a cloned repository) could make it write outside the workspace. Replace the link with a real folder or file, or remove it.`,
    { link: rel, target },
  );
}

/**
 * Throws 409 `symlink_refused` when `path`, or any folder between the workspace and it, is a
 * symbolic link. Components that do not exist yet are fine: they will be created as real ones.
 */
export function refuseLinks(workspace: string, path: string): void {
  const rel = relative(workspace, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return;
  let p = workspace;
  for (const part of rel.split(sep)) {
    p = join(p, part);
    let st;
    try {
      st = lstatSync(p, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return; // the read or write that follows reports it
      throw e;
    }
    if (!st) return;
    if (st.isSymbolicLink()) throw refusal(workspace, p);
  }
}

// Windows has no O_NOFOLLOW (and creating links there needs special rights): lstat instead.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A file's text, without following a link at its own name (ELOOP becomes `symlink_refused`).
 * The folders above it must have been checked with refuseLinks.
 */
export function readFileNoFollow(workspace: string, path: string): string {
  if (!NOFOLLOW && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw refusal(workspace, path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw refusal(workspace, path);
    throw e;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
