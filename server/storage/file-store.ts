// The file store: versions, the `current` pointer, the source-hash cache, executions and
// feedback under the workspace's `.dana/poet/` (the default store). Every name that reaches a
// path is validated and the resolved path checked for containment first, and no symbolic link
// inside `.dana/poet/` is followed (links.ts).
//
// A version is written completely (files fsynced in a temporary folder, renamed into
// place) before `index.json` and `current` are updated, so after a crash `current` always
// names a complete version. The version folders are the truth; `index.json` is a summary
// rebuilt from them on every write, so `GET /poet/functions` reads one small file per function.
import { constants, existsSync, lstatSync, promises as fs, readdirSync, renameSync, rmSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { KEY_RE as KEY_NAME_RE, VersionMetadataSchema, VERSION_RE, type FunctionSummary, type VersionMetadata } from '../../shared/contract/api';
import { PoetError } from '../../shared/contract/errors';
import { fsyncDir, fsyncFile, removeTempLeftovers, stageFile, tempName, writeFileAtomic, writeJsonAtomic } from './atomic';
import { FileExecutions } from './file-executions';
import { FileFeedback } from './file-feedback';
import { BoundedMemo } from '../memo';
import { withFileLock } from './lock';
import { checkKey, checkVersion, resolveInside, versionNumber, type PoetPaths } from './paths';
import { CacheEntrySchema, FunctionIndexSchema, type CacheEntry, type FunctionIndex } from './schemas';
import type { PoetStore, RuntimeSource, VersionFile } from './store';
import { StatMemo } from './stat-memo';
import { WorkspaceFiles } from './workspace-files';

/** Checked folder paths and `current` pointers of this many keys are kept (a few hundred bytes each). */
const KEYS_MEMO_SIZE = 4096;
/** Function list rows kept (about 300 bytes each): more than any workspace measured (5,120). */
const SUMMARIES_MEMO_SIZE = 16384;

/**
 * Parsed cache entries kept in memory, at most 512 and 16 MiB of entry files: each holds a
 * generated file (about 30 kB for a 30-line function, more for big ones), and the service runs
 * with a capped heap (runtime-profile.json).
 */
const CACHE_MEMO_ENTRIES = 512;
const CACHE_MEMO_BYTES = 16 * 1024 * 1024;

export class FileStore implements PoetStore {
  readonly kind = 'file' as const;
  readonly paths: PoetPaths;
  readonly local: WorkspaceFiles;
  readonly location: string;
  readonly executions: FileExecutions;
  readonly feedback: FileFeedback;

  constructor(
    workspace: string,
    private readonly logger?: Logger,
  ) {
    this.local = new WorkspaceFiles(workspace, logger);
    this.paths = this.local.paths;
    this.location = this.paths.workspace;
    this.executions = new FileExecutions(this.local, (key, fn) => this.withFunctionLock(key, fn), logger);
    this.feedback = new FileFeedback(this.local, (key, fn) => this.withFunctionLock(key, fn), logger);
  }

  // ------------------------------------------------------------ paths

  functionDir(key: string): string {
    return this.dirsOf(key).fn;
  }
  versionDir(key: string, version: string): string {
    return resolveInside(this.functionDir(key), checkVersion(version));
  }
  cacheDir(key: string): string {
    return this.dirsOf(key).cache;
  }

  /**
   * The checked folders of a key, memoised: every cache hit needs them, and the key check (a
   * zod parse) plus two containment checks were a tenth of a hit's CPU time. Bounded, since
   * keys come from requests.
   */
  private readonly dirs = new BoundedMemo<{ fn: string; cache: string }>(KEYS_MEMO_SIZE, Number.POSITIVE_INFINITY);
  private dirsOf(key: string): { fn: string; cache: string } {
    let d = this.dirs.get(key);
    if (!d) {
      const k = checkKey(key);
      d = { fn: resolveInside(this.paths.functions, k), cache: resolveInside(this.paths.cache, k) };
      this.dirs.set(key, d, 1);
    }
    return d;
  }
  /** Workspace-relative POSIX path of an absolute path. */
  relative(abs: string): string {
    return this.local.relative(abs);
  }

  // ------------------------------------------------------------ lifecycle

  private layout?: Promise<void>;

  /**
   * Creates the design's layout, once, when the first version is published: opening a folder in
   * VS Code (which starts a service for it) must not write anything into it.
   */
  ensureLayout(): Promise<void> {
    this.layout ??= (async () => {
      for (const d of [this.paths.functions, this.paths.cache, this.paths.executions, this.paths.feedback, this.paths.magic, this.paths.locks]) {
        await this.mkdir(d);
      }
    })();
    return this.layout;
  }

  async health(): Promise<{ ok: true } | { ok: false; message: string }> {
    // Before the first version, .dana/poet/ does not exist yet: then the workspace must be writable.
    const target = existsSync(this.paths.root) ? this.paths.root : this.paths.workspace;
    try {
      await fs.access(target, constants.W_OK);
      return { ok: true };
    } catch (e) {
      return { ok: false, message: `${target} is not writable: ${(e as Error).message}` };
    }
  }

  /** Writes what the executions hold in memory only (their aggregates' checkpoints). */
  async close(): Promise<void> {
    await this.executions.close();
  }

  /** Removes temporary files of dead writers; safe while this process serves requests. */
  async cleanup(): Promise<void> {
    await this.removeLeftovers();
  }

  async removeLeftovers(): Promise<string[]> {
    this.checkLinks(this.paths.root);
    // Only functions/{key}/v{n} is a version folder: a key may itself be named like one (`v1`).
    const functions = this.paths.functions;
    const removed = await removeTempLeftovers(this.paths.root, (dir) => dirname(dirname(dir)) === functions && VERSION_RE.test(basename(dir)));
    if (removed.length) this.logger?.info({ removed: removed.length }, 'removed temporary files left by an interrupted write');
    return removed;
  }

  /** Serialises work on one function, in this process and across processes on the workspace. */
  withFunctionLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockPath = resolveInside(this.paths.locks, `${checkKey(key)}.lock`);
    this.checkLinks(lockPath);
    return withFileLock(lockPath, fn);
  }

  // ------------------------------------------------------------ files

  /** Throws 409 `symlink_refused` when `path` or a folder above it inside the workspace is a link. */
  checkLinks(path: string): string {
    return this.local.checkLinks(path);
  }

  async mkdir(dir: string): Promise<void> {
    await this.local.mkdir(dir);
  }

  readText(absPath: string, checked = false): string | undefined {
    return this.local.readText(absPath, checked);
  }

  async readJsonFile<T>(absPath: string, schema?: z.ZodType<T>, checked = false): Promise<T | undefined> {
    return this.local.parseJsonFile(absPath, schema, checked);
  }

  /** `learning/settings.json`, `domains/NAME.json`, … under `.dana/poet/`. */
  async readDocument<T>(path: string, schema?: z.ZodType<T>): Promise<T | undefined> {
    return this.local.parseJsonFile(resolveInside(this.paths.root, ...path.split('/')), schema);
  }

  async writeDocument(path: string, value: unknown): Promise<void> {
    await this.local.writeJson(resolveInside(this.paths.root, ...path.split('/')), value);
  }

  /** The workspace's domains/ is the truth here. */
  async syncDomains(): Promise<void> {}

  /** Puts back the runtime files a version imports when someone deleted `.dana/poet/runtime`. */
  async restoreRuntime(files: RuntimeSource[]): Promise<void> {
    const first = files[0];
    if (!first || existsSync(resolve(this.paths.root, first.path))) return;
    await Promise.all(files.map((r) => this.ensureRuntimeFile(r)));
  }

  // ------------------------------------------------------------ versions

  /** Version names present on disk, oldest first. */
  async listVersions(key: string): Promise<string[]> {
    let names: string[];
    try {
      names = readdirSync(this.checkLinks(this.functionDir(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names.filter((n) => VERSION_RE.test(n)).sort((a, b) => versionNumber(a) - versionNumber(b));
  }

  async readIndex(key: string): Promise<FunctionIndex | undefined> {
    return this.readJsonFile(join(this.functionDir(key), 'index.json'), FunctionIndexSchema);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.readIndex(key)) !== undefined || (await this.listVersions(key)).length > 0;
  }

  /** The current version, or null when none is set (or the pointer is not a version). See readCurrentSync. */
  async readCurrent(key: string): Promise<string | null> {
    return this.readCurrentSync(key);
  }

  /** Points `current` at `version`, which must exist (404 otherwise). Call under the function lock. */
  async writeCurrent(key: string, version: string): Promise<void> {
    if (!(await this.readMetadata(key, version))) {
      throw new PoetError('not_found', `Function "${key}" has no version ${version}.`, { key, version, versions: await this.listVersions(key) });
    }
    await writeFileAtomic(this.checkLinks(join(this.functionDir(key), 'current')), version + '\n');
    await this.touchIndex(key);
  }

  /** Whether version `version` of `key` is in place (one lstat; versions never change once there). */
  async hasVersion(key: string, version: string): Promise<boolean> {
    return this.hasVersionSync(key, version);
  }

  hasVersionSync(key: string, version: string): boolean {
    return this.lstat(join(this.versionDir(key, version), 'metadata.json'))?.isFile() === true;
  }

  async readMetadata(key: string, version: string): Promise<VersionMetadata | undefined> {
    return this.readJsonFile(join(this.versionDir(key, version), 'metadata.json'), VersionMetadataSchema);
  }

  /** metadata + enhanced code + train code of one version, or undefined when it does not exist. */
  async readVersion(key: string, version: string): Promise<{ metadata: VersionMetadata; enhanced_code: string; train_code: string | null } | undefined> {
    const dir = this.versionDir(key, version);
    const metadata = await this.readMetadata(key, version);
    if (!metadata) return undefined;
    const names = await fs.readdir(dir);
    const enhanced = names.find((n) => /^enhanced\.(na|py)$/.test(n));
    const train = names.find((n) => /^train\.(na|py)$/.test(n));
    const enhanced_code = (enhanced && this.readText(join(dir, enhanced), true)) || '';
    const train_code = (train && this.readText(join(dir, train), true)) ?? null;
    return { metadata, enhanced_code, train_code };
  }

  /**
   * Publishes version `version`: its folder (the generated files and metadata.json), then
   * index.json, `current` (when `makeCurrent`) and the cache entry. Call under the function lock.
   *
   * Crash safety with few fsync rounds (each costs a device flush, ~5 ms on a VM disk):
   * 1. every file is staged (version files in a temporary folder, the pointer files as
   *    temporaries beside their targets) and all are fsynced together with that folder;
   * 2. the folder is renamed to vN and the function folder fsynced, so vN is durable;
   * 3. only then are index.json, current and the cache entry renamed into place and their
   *    folders fsynced. `current` can therefore never name a version that is not complete.
   */
  async publishVersion(
    key: string,
    version: string,
    files: VersionFile[],
    metadata: VersionMetadata,
    opts: { makeCurrent: boolean; cache?: CacheEntry; runtime?: RuntimeSource[] },
  ): Promise<void> {
    const fnDir = this.functionDir(key);
    const final = this.versionDir(key, version);
    await this.ensureLayout();
    // The runtime the version imports is durable before the version exists.
    for (const r of opts.runtime ?? []) await this.ensureRuntimeFile(r);
    await this.mkdir(fnDir);
    const cacheTarget = opts.cache ? this.cacheFile(key, opts.cache.source_hash) : undefined;
    if (cacheTarget) await this.mkdir(dirname(cacheTarget));
    for (const target of [join(fnDir, 'index.json'), join(fnDir, 'current'), ...(cacheTarget ? [cacheTarget] : [])]) this.checkLinks(target);

    const tmp = tempName(final);
    const staged: Array<[tmp: string, target: string]> = [];
    const index = await this.nextIndex(key, metadata, version);
    const pointers: Array<[string, string]> = [[join(fnDir, 'index.json'), JSON.stringify(index, null, 2) + '\n']];
    if (opts.makeCurrent) pointers.push([join(fnDir, 'current'), version + '\n']);
    if (cacheTarget) pointers.push([cacheTarget, JSON.stringify(opts.cache) + '\n']);
    const versionFiles = [...files, { name: 'metadata.json', data: JSON.stringify(metadata, null, 2) + '\n' }];
    for (const f of versionFiles) if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(f.name)) throw new Error(`bad version file name ${f.name}`);
    try {
      // New inodes are the slow part on some disks (see atomic.ts): create them concurrently,
      // the temporary folder with the pointer files, then the version files inside it.
      // allSettled, so that no creation is still running when a failure is cleaned up.
      const created = await Promise.allSettled([
        fs.mkdir(tmp),
        ...pointers.map(async ([target, data], i) => (staged[i] = [await stageFile(target, data), target])),
      ]);
      const failed = created.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const written = versionFiles.map((f) => join(tmp, f.name));
      await Promise.all(versionFiles.map((f, i) => fs.writeFile(written[i]!, f.data, { flag: 'wx' })));

      await Promise.all([...written.map(fsyncFile), ...staged.map(([t]) => fsyncFile(t)), fsyncDir(tmp)]);
      renameSync(tmp, final);
      await fsyncDir(fnDir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      for (const [t] of staged.filter(Boolean)) rmSync(t, { force: true });
      throw e;
    }
    for (const [t, target] of staged) renameSync(t, target);
    await Promise.all([fsyncDir(fnDir), ...(cacheTarget ? [fsyncDir(dirname(cacheTarget))] : [])]);
  }

  /**
   * `.dana/poet/runtime/LANG/NAME`: written once; its name carries a hash of its text, so a file
   * of that name with other bytes (edited by hand, or torn) is replaced, never left to be used.
   */
  async ensureRuntimeFile(runtime: RuntimeSource): Promise<void> {
    const target = resolveInside(this.paths.root, ...runtime.path.split('/'));
    if (!target.startsWith(this.paths.runtime + sep)) throw new Error(`runtime file ${runtime.path} is not under runtime/`);
    if (this.readText(target) !== runtime.text) await writeFileAtomic(this.checkLinks(target), runtime.text);
  }

  /** index.json after adding `version`: the version folders on disk are the truth. */
  private async nextIndex(key: string, latest: VersionMetadata, version: string): Promise<FunctionIndex> {
    const prev = await this.readIndex(key);
    const onDisk = await this.listVersions(key);
    const versions = onDisk.includes(version) ? onDisk : [...onDisk, version].sort((a, b) => versionNumber(a) - versionNumber(b));
    return {
      name: latest.function_name,
      key,
      language: latest.language,
      source_file: latest.source_file,
      domain: latest.domain,
      created_at: prev?.created_at ?? latest.created_at,
      updated_at: new Date().toISOString(),
      versions,
    };
  }

  private async touchIndex(key: string): Promise<void> {
    const prev = await this.readIndex(key);
    if (!prev) return;
    await writeJsonAtomic(this.checkLinks(join(this.functionDir(key), 'index.json')), { ...prev, versions: await this.listVersions(key), updated_at: new Date().toISOString() });
  }

  /**
   * Every function with at least one version, sorted by key.
   *
   * Summaries are remembered per function under the stats of the function folder (which
   * changes whenever index.json or current is renamed into place, by this process, another
   * POET process or a tool such as git) and of `current` (which a person may edit in place):
   * two stats per function instead of two reads and a schema check (stat-memo.ts).
   */
  async listFunctions(): Promise<FunctionSummary[]> {
    let keys: string[];
    try {
      keys = (await fs.readdir(this.checkLinks(this.paths.functions))).filter((k) => KEY_NAME_RE.test(k) && k.length <= 200);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    keys.sort();
    const stale: string[] = [];
    const stamps = new Map<string, Array<Stats | undefined>>();
    for (const key of keys) {
      // Synchronous on purpose: a stat of a cached inode takes microseconds, far less than a
      // thread-pool round trip. `current` is stat'ed too: a person may edit it in place.
      const dir = join(this.paths.functions, key);
      const d = this.lstat(dir);
      if (!d?.isDirectory()) continue;
      const stats = [d, this.lstat(join(dir, 'current'))];
      stamps.set(key, stats);
      if (this.summaries.get(key, stats) === undefined) stale.push(key);
    }
    // Cold entries are read synchronously in slices, yielding between slices: thousands of
    // tiny reads through the thread pool cost seconds on a busy machine, this costs ~20 µs each.
    const fresh = new Map<string, FunctionSummary | null>();
    for (let i = 0; i < stale.length; i++) {
      const key = stale[i]!;
      const summary = this.readSummarySync(key);
      fresh.set(key, summary);
      this.summaries.set(key, stamps.get(key)!, summary);
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    const out: FunctionSummary[] = [];
    for (const key of keys) {
      if (!stamps.has(key)) continue;
      const s = fresh.has(key) ? fresh.get(key) : this.summaries.get(key, stamps.get(key)!);
      if (s) out.push(s);
    }
    return out;
  }

  /** null: a function folder without a readable summary (remembered too, so it costs a stat). */
  private readonly summaries = new StatMemo<FunctionSummary | null>(SUMMARIES_MEMO_SIZE);

  /** The list row of one function from index.json and current; null when unreadable or empty. */
  private readSummarySync(key: string): FunctionSummary | null {
    const dir = join(this.paths.functions, key);
    let index: Partial<FunctionIndex>;
    let current: string | null;
    try {
      const text = this.readText(join(dir, 'index.json'), true);
      if (text === undefined) return null;
      index = JSON.parse(text) as Partial<FunctionIndex>;
    } catch (e) {
      if (e instanceof PoetError) throw e;
      this.logger?.warn({ key, err: (e as Error).message }, 'unreadable index.json ignored');
      return null;
    }
    const r = FunctionIndexSchema.safeParse(index);
    if (!r.success || r.data.versions.length === 0) return null;
    try {
      current = this.readCurrentSync(key);
    } catch (e) {
      if (e instanceof PoetError) throw e;
      current = null; // one unreadable pointer must not fail the whole list
    }
    const i = r.data;
    return { name: i.name, key, current_version: current, versions: i.versions, language: i.language, source_file: i.source_file, domain: i.domain, updated_at: i.updated_at };
  }

  // ------------------------------------------------------------ cache

  private cacheFile(key: string, sourceHash: string): string {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(sourceHash)?.[1];
    if (!hex) throw new PoetError('invalid_request', `Invalid source hash ${JSON.stringify(sourceHash)}.`);
    return resolveInside(this.cacheDir(key), `${hex}.json`);
  }

  /**
   * The cache entry for this hash, if it is readable, matches, and its version folder still
   * exists. Anything else is a miss (corrupt entries are logged, never thrown).
   *
   * This is the hot path of every repeated transpile. Parsed entries are remembered under
   * the file's stats (stat-memo.ts), and the checks use synchronous stats (a few microseconds
   * each, no thread-pool round trip).
   */
  async readCache(key: string, sourceHash: string): Promise<CacheEntry | undefined> {
    const file = this.cacheFile(key, sourceHash);
    const st = this.lstat(file);
    if (!st) return undefined;
    let entry = this.cacheMemo.get(file, [st]);
    if (!entry) {
      entry = await this.readJsonFile(file, CacheEntrySchema);
      if (!entry) return undefined;
      if (entry.source_hash !== sourceHash || entry.key !== key) {
        this.logger?.warn({ file: this.relative(file) }, 'cache entry does not match its name; treated as a miss');
        return undefined;
      }
      this.cacheMemo.set(file, [st], entry, st.size);
    }
    if (!this.lstat(join(this.versionDir(key, entry.version), 'metadata.json'))) return undefined;
    return entry;
  }

  private readonly cacheMemo = new StatMemo<CacheEntry>(CACHE_MEMO_ENTRIES, CACHE_MEMO_BYTES);

  /**
   * The stat of an entry without following it (undefined when missing); a link is refused.
   * The hot path's check: the folders above were checked when the memoised content was read.
   */
  private lstat(path: string): Stats | undefined {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) this.checkLinks(path);
    return st;
  }

  /**
   * `current`: synchronous (a thread-pool read costs more than the read), and remembered under
   * the file's stats (stat-memo.ts), so a cache hit costs one stat rather than open, read and
   * close. Null when missing or not a version (logged); other read errors (e.g. `current` is a
   * folder) are thrown.
   */
  readCurrentSync(key: string): string | null {
    const file = join(this.functionDir(key), 'current');
    const st = this.lstat(file);
    if (!st) return null;
    const known = this.currentMemo.get(key, [st]);
    if (known !== undefined) return known;
    const text = this.readText(file);
    if (text === undefined) return null;
    const v = text.trim();
    const version = VERSION_RE.test(v) ? v : null;
    if (!version) this.logger?.warn({ key, current: text.slice(0, 40) }, 'current pointer is not a version; ignored');
    this.currentMemo.set(key, [st], version);
    return version;
  }

  private readonly currentMemo = new StatMemo<string | null>(KEYS_MEMO_SIZE);

  /**
   * Drops the cache of one function, or of all; returns how many entries went. Versions stay.
   * Takes each function's lock, so it never removes a cache folder under a publish in flight.
   */
  async deleteCache(key?: string): Promise<number> {
    const keys = key !== undefined ? [checkKey(key)] : (await fs.readdir(this.checkLinks(this.paths.cache)).catch(() => [] as string[])).filter((n) => KEY_NAME_RE.test(n));
    let deleted = 0;
    for (const k of keys) {
      deleted += await this.withFunctionLock(k, async () => {
        const d = this.checkLinks(this.cacheDir(k));
        const files = (await fs.readdir(d).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
        await fs.rm(d, { recursive: true, force: true });
        return files.length;
      });
    }
    if (keys.length) await fsyncDir(this.paths.cache);
    return deleted;
  }

  /** The function's summary fields, for detail responses; undefined when unknown. */
  async describe(key: string): Promise<{ index: FunctionIndex; current: string | null } | undefined> {
    const index = await this.readIndex(key);
    if (!index) return undefined;
    return { index, current: await this.readCurrent(key) };
  }
}
