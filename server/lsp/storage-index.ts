// A read-only view of a workspace folder's `.dana/poet/functions/`: which functions are
// enhanced, their current version and its metadata. The service is the only writer; this
// reads what is on disk (also what another tool or a `git checkout` put there), caches it
// per folder, and forgets the cache when the folder's watcher (poet-dir-watch.ts) reports a change.
import path from 'node:path';
import type { FunctionSummary, VersionMetadata } from '../../shared/contract/api';
import { matchStored } from '../../shared/stored-match';
import { FileStore } from '../storage/file-store';
import type { PoetStore } from '../storage/store';
import { watchPoetDir } from './poet-dir-watch';

/** An enhanced function as its folder's `.dana/poet/` holds it: the current version and its metadata. */
export interface EnhancedOnDisk {
  key: string;
  functionName: string;
  /** The version `current` points at. */
  version: string;
  /** Every version on disk, oldest first. */
  versions: string[];
  /** Workspace-relative POSIX path of the source file, when known. */
  sourceFile: string | null;
  /** Metadata of the current version; undefined when it is missing or unreadable. */
  metadata: VersionMetadata | undefined;
}

export function poetRoot(workspace: string): string {
  return path.join(workspace, '.dana', 'poet');
}

/** The two reads of a store the CodeLens and hover need. */
export type StoreReads = Pick<PoetStore, 'listFunctions' | 'readMetadata'>;

/** Every enhanced function of a workspace folder (read-only calls), with the current version's metadata. */
export async function readStoredFunctions(store: StoreReads): Promise<EnhancedOnDisk[]> {
  let rows: FunctionSummary[];
  try {
    rows = await store.listFunctions();
  } catch {
    return [];
  }
  const out = await Promise.all(
    rows.map(async (row): Promise<EnhancedOnDisk | undefined> => {
      if (!row.current_version) return undefined;
      const metadata = await store.readMetadata(row.key, row.current_version).catch(() => undefined);
      return { key: row.key, functionName: row.name, version: row.current_version, versions: row.versions, sourceFile: row.source_file, metadata };
    }),
  );
  return out.filter((f): f is EnhancedOnDisk => f !== undefined);
}

/** The enhanced function for a function named `name` in `sourceFile`, by the one rule in shared/stored-match.ts. */
export function matchStoredFunction(stored: readonly EnhancedOnDisk[], name: string, sourceFile: string | undefined): EnhancedOnDisk | undefined {
  return matchStored(stored, (s) => ({ key: s.key, name: s.functionName, sourceFile: s.sourceFile }), name, sourceFile);
}

interface WatchEntry {
  watch: { close(): void };
  debounce?: NodeJS.Timeout;
}

/**
 * The newest version of `stored` whose function text hash is `hash` (what the source has now),
 * or undefined. The current version is checked first by the caller; this reads the others'
 * metadata, newest first, and stops at the first match.
 */
export async function readMatchingVersion(store: StoreReads, stored: EnhancedOnDisk, hash: string): Promise<string | undefined> {
  for (const v of [...stored.versions].reverse()) {
    if (v === stored.version) continue;
    const meta = await store.readMetadata(stored.key, v).catch(() => undefined);
    if (meta?.function_hash === hash) return v;
  }
  return undefined;
}

/** Per-folder cache of readStoredFunctions, dropped by the folder's watcher. */
export class StorageIndex {
  private readonly cache = new Map<string, Promise<EnhancedOnDisk[]>>();
  private readonly matches = new Map<string, Map<string, Promise<string | undefined>>>();
  private readonly watchers = new Map<string, WatchEntry>();
  /** Read-only file stores of folders without a service of this process (a remote one is configured). */
  private readonly ownStores = new Map<string, FileStore>();

  constructor(
    /** Called once per burst of changes, with the `.dana/poet/`-relative paths that changed ('' when unknown). */
    private readonly onChange: (workspace: string, changed: ReadonlySet<string>) => void,
    private readonly debounceMs = 200,
    /** The store of the folder's running service, when it has one: what it answers from. */
    private readonly serviceStore: (workspace: string) => StoreReads | undefined = () => undefined,
  ) {}

  private storeOf(workspace: string): StoreReads {
    const service = this.serviceStore(workspace);
    if (service) return service;
    let own = this.ownStores.get(workspace);
    if (!own) this.ownStores.set(workspace, (own = new FileStore(workspace)));
    return own;
  }

  functions(workspace: string): Promise<EnhancedOnDisk[]> {
    let p = this.cache.get(workspace);
    if (!p) {
      p = readStoredFunctions(this.storeOf(workspace));
      this.cache.set(workspace, p);
    }
    return p;
  }

  /** readMatchingVersion, cached until the folder's `.dana/poet/` changes. */
  matchingVersion(workspace: string, stored: EnhancedOnDisk, hash: string): Promise<string | undefined> {
    let perFolder = this.matches.get(workspace);
    if (!perFolder) this.matches.set(workspace, (perFolder = new Map()));
    const k = `${stored.key}\0${stored.version}\0${hash}`;
    let p = perFolder.get(k);
    if (!p) {
      p = readMatchingVersion(this.storeOf(workspace), stored, hash);
      perFolder.set(k, p);
    }
    return p;
  }

  invalidate(workspace: string): void {
    this.cache.delete(workspace);
    this.matches.delete(workspace);
  }

  /** Watches `.dana/poet/` of the folder, calling `onChange` once per burst of changes. */
  watch(workspace: string): void {
    if (this.watchers.has(workspace)) return;
    const root = poetRoot(workspace);
    let changed = new Set<string>();
    const entry: WatchEntry = {
      watch: watchPoetDir(root, (e) => {
        const rel = path.relative(root, e.file).split(path.sep).join('/');
        // lock files come and go with every request; they change nothing anyone shows
        if (rel === '.locks' || rel.startsWith('.locks/')) return;
        changed.add(rel);
        this.invalidate(workspace);
        clearTimeout(entry.debounce);
        entry.debounce = setTimeout(() => {
          const batch = changed;
          changed = new Set();
          this.onChange(workspace, batch);
        }, this.debounceMs);
        entry.debounce.unref();
      }),
    };
    this.watchers.set(workspace, entry);
  }

  unwatch(workspace: string): void {
    const e = this.watchers.get(workspace);
    if (!e) return;
    e.watch.close();
    clearTimeout(e.debounce);
    this.watchers.delete(workspace);
    this.ownStores.delete(workspace);
    this.invalidate(workspace);
  }

  dispose(): void {
    for (const ws of [...this.watchers.keys()]) this.unwatch(ws);
  }
}
