// The one watcher of a workspace folder's `.dana/poet/`: the language server's, which tells the
// client (poet/storageChanged) so the extension's tree and metrics panel follow it. Node's
// recursive fs.watch, not VS Code's FileSystemWatcher forwarded over LSP: on Linux that watcher
// (@parcel/watcher's inotify backend, parcel-bundler/watcher#97) watches a new directory but not
// the subdirectories created with it (`mkdir -p`), so a `.dana/poet/` the service creates after
// the window opened would stay unseen all session; Node's watcher reads each new directory. And
// the initial walk and the inotify watches stay out of the extension host, which every extension
// shares. Until `.dana/poet/` exists, and after it is deleted or replaced (git clean, rm -rf), it
// checks every 2 s for the folder to be back.
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export type PoetDirEventKind = 'created' | 'changed' | 'deleted';

/** `file` is absolute; `.dana/poet/` itself when it appeared ('created') or something unknown changed. */
export interface PoetDirEvent {
  file: string;
  kind: PoetDirEventKind;
}

function inode(dir: string): number | undefined {
  try {
    return statSync(dir).ino;
  } catch {
    return undefined;
  }
}

/** Calls `onEvent` for every file event under `root` (a folder's `.dana/poet/`) until closed. */
export function watchPoetDir(root: string, onEvent: (e: PoetDirEvent) => void, pollMs = 2000): { close(): void } {
  let watcher: FSWatcher | undefined;
  let ino: number | undefined;
  let poll: NodeJS.Timeout | undefined;
  let check: NodeJS.Timeout | undefined;
  /** An event about `.dana/poet/` itself: it was deleted, maybe already made again (with the same inode). */
  let rootEvent = false;
  let closed = false;

  const detach = (): void => {
    watcher?.close();
    watcher = undefined;
  };
  const attach = (): boolean => {
    const now = inode(root);
    if (now === undefined) return false;
    try {
      watcher = watch(root, { recursive: true }, (event, name) => {
        const file = name ? path.join(root, String(name)) : root;
        if (!name) rootEvent = true;
        // fs.watch says 'rename' for both ends of a file's life; whether it is there tells which.
        const kind: PoetDirEventKind = event === 'change' ? 'changed' : inode(file) === undefined ? 'deleted' : 'created';
        onEvent({ file, kind });
        // inotify watches the directory itself: once it is deleted or replaced the watch is dead.
        clearTimeout(check);
        check = setTimeout(() => {
          if (watcher && (rootEvent || inode(root) !== ino)) {
            rootEvent = false;
            detach();
            if (!attach()) startPolling();
            onEvent({ file: root, kind: watcher ? 'created' : 'deleted' });
          }
        }, 100);
        check.unref();
      });
      ino = now;
      watcher.on('error', () => {
        detach();
        onEvent({ file: root, kind: 'changed' });
        startPolling();
      });
      return true;
    } catch {
      return false;
    }
  };
  const startPolling = (): void => {
    if (poll || closed) return;
    poll = setInterval(() => {
      if (!attach()) return;
      clearInterval(poll);
      poll = undefined;
      onEvent({ file: root, kind: 'created' });
    }, pollMs);
    poll.unref();
  };

  if (!attach()) startPolling();
  return {
    close(): void {
      closed = true;
      clearInterval(poll);
      clearTimeout(check);
      detach();
    },
  };
}
