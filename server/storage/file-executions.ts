// Executions in the file store. Every record is one line appended to its function and version's
// log (`execution-log/{key}/{version}/{first id}.jsonl`, one file per writing process, rolled at
// 64 MiB), committed in groups: the lines of every batch and request that arrived meanwhile are
// written and fsynced together, one fsync round per commit. Beside the logs, each version has a
// running aggregate (aggregate.ts) that metrics read instead of the records, checkpointed to
// `aggregate.json` with the log offsets it covers, so a restart or another process reads only the
// lines written since. The records a person opens (those feedback refers to) also get the
// layout `executions/{id}/context.json, result.json`.
//
// Several processes may serve one workspace: each appends to its own files, folds its own lines
// as it writes them, and reads the other processes' new lines before answering (catch-up).
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { KEY_RE, VERSION_RE } from '../../shared/contract/api';
import { ExecutionContextFileSchema, ExecutionResultFileSchema, RecordIdSchema, type ExecutionRecord } from '../../shared/contract/learning';
import { VersionAggregate, type AggregateJson } from './records/aggregate';
import { fromLine, toLine } from './records/execution-line';
import { keyHash, parseExecutionId } from './records/ids';
import { fsyncDir, fsyncFd, INSTANCE_ID, writeFileAtomic } from './atomic';
import { GroupCommit } from './group-commit';
import { withFileLock } from './lock';
import { idOf, LogFile } from './log-file';
import { checkKey, checkVersion, resolveInside } from './paths';
import type { ExecutionStore, ReadLimit, StoredExecution } from './store';
import type { WorkspaceFiles } from './workspace-files';

/** Memory for the aggregates held; the least recently used reload from their checkpoints. */
export const AGGREGATES_BYTES = 8 * 1024 * 1024;
const ROLL_BYTES = 64 * 1024 * 1024;
const CHECKPOINT_MS = 5_000;
/** Log files kept open for appending, and for reading; the least recently used are closed (and reopened on need). */
const OPEN_FILES = 64;
const READ_FILES = 32;
/** Bytes of log read between two yields to the event loop while catching up. */
const CATCH_UP_SLICE = 4 * 1024 * 1024;
const LEGACY_MARKER = '.legacy-imported';

const yieldLoop = () => new Promise((r) => setImmediate(r));

const CheckpointSchema = z.object({
  format: z.literal(1),
  covered: z.record(z.string(), z.number().int().min(0)),
  aggregate: z.looseObject({ format: z.literal(1) }),
});

/** This process's file for one version: where it appends. */
interface Segment {
  kv: string;
  name: string;
  path: string;
  fd: number | null;
  /** The file's inode: a file removed or replaced under the service is not appended to. */
  ino: number;
  size: number;
}

/** A version's aggregate in memory, and how far into each log file it has read. */
interface Loaded {
  agg: VersionAggregate;
  covered: Map<string, number>;
  changes: number;
  saved: number;
}

const kvOf = (key: string, version: string) => `${key}\0${version}`;

export class FileExecutions implements ExecutionStore {
  private readonly commits = new GroupCommit<StoredExecution>((items) => this.commit(items));
  private readonly segments = new Map<string, Segment>();
  /** Log files this process appends to and folds as it writes (a file that failed a write is not). */
  private readonly own = new Set<string>();
  /** Least recently used first. */
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly catching = new Map<string, Promise<void>>();
  private readonly keysByHash = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private legacy: Promise<void> | undefined;
  /** Checked folders per key and version (a zod parse and two containment checks each otherwise). */
  private readonly dirs = new Map<string, string>();
  /** Log file names per version folder, as last listed; listed again when a lookup misses. */
  private readonly names = new Map<string, string[]>();
  /** Log files open for lookups, least recently used first. */
  private readonly readers = new Map<string, LogFile>();

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly lock: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
    private readonly logger?: Logger,
  ) {}

  private dir(key: string, version?: string): string {
    const k = version === undefined ? key : kvOf(key, version);
    let d = this.dirs.get(k);
    if (d === undefined) {
      const base = resolveInside(this.files.paths.executionLog, checkKey(key));
      d = version === undefined ? base : resolveInside(base, checkVersion(version));
      if (this.dirs.size >= 4096) this.dirs.clear();
      this.dirs.set(k, d);
    }
    return d;
  }

  // ------------------------------------------------------------ writing

  append(items: StoredExecution[]): Promise<void> {
    return items.length ? this.commits.add(items) : Promise.resolve();
  }

  /** One commit: each version's lines in one write, then one fsync round for every file touched. */
  private async commit(items: StoredExecution[]): Promise<void> {
    const groups = new Map<string, StoredExecution[]>();
    for (const it of items) {
      const kv = kvOf(it.key, it.version);
      let g = groups.get(kv);
      if (!g) groups.set(kv, (g = []));
      g.push(it);
    }
    const syncs: Array<Promise<void>> = [];
    let failure: unknown;
    for (const group of groups.values()) {
      const first = group[0]!;
      try {
        const seg = await this.segmentFor(first.key, first.version, first.record.context.execution_id, syncs);
        this.write(seg, Buffer.from(group.map((g) => g.line).join('\n') + '\n', 'utf8'));
        this.fold(seg, group);
        syncs.push(fsyncFd(seg.fd!));
      } catch (e) {
        failure ??= e;
      }
    }
    // Keep the aggregates of versions being written in memory, so metrics never wait for a scan.
    for (const group of groups.values()) {
      const kv = kvOf(group[0]!.key, group[0]!.version);
      if (!this.loaded.has(kv) && !this.loading.has(kv)) {
        void this.load(group[0]!.key, group[0]!.version).catch((err: unknown) => this.logger?.warn({ err }, 'reading an execution aggregate failed'));
      }
    }
    const synced = await Promise.allSettled(syncs);
    const bad = synced.find((r) => r.status === 'rejected');
    if (failure ?? bad) throw failure ?? (bad as PromiseRejectedResult).reason;
    this.closeIdleFiles();
    this.evict();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.checkpoint().catch((err: unknown) => this.logger?.warn({ err }, 'writing an execution aggregate checkpoint failed'));
    }, CHECKPOINT_MS).unref();
  }

  /** This process's open log file for the version, created (and its folder entry fsynced in this round) when needed. */
  private async segmentFor(key: string, version: string, firstId: string, syncs: Array<Promise<void>>): Promise<Segment> {
    const kv = kvOf(key, version);
    let seg = this.segments.get(kv);
    if (seg) {
      // Each commit checks the path again (a folder replaced by a link is refused, 409) and that
      // the file is still the one open: appending to a file someone removed would lose the lines.
      const st = lstatSync(this.files.checkLinks(seg.path), { throwIfNoEntry: false });
      if (seg.size >= ROLL_BYTES || !st || st.ino !== seg.ino) {
        if (seg.fd !== null) closeSync(seg.fd);
        this.segments.delete(kv);
        if (st?.ino !== seg.ino) this.own.delete(seg.path);
        seg = undefined;
      }
    }
    if (!seg) {
      const dir = this.dir(key, version);
      await this.files.mkdir(dir);
      const name = `${firstId}.jsonl`;
      const path = this.files.checkLinks(join(dir, name));
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | constants.O_NOFOLLOW, 0o644);
      seg = { kv, name, path, fd, ino: fstatSync(fd).ino, size: 0 };
      this.own.add(path);
      this.write(seg, Buffer.from(JSON.stringify({ poet_execution_log: 1, function_name: key, version, writer: INSTANCE_ID }) + '\n'));
      const l = this.loaded.get(kv);
      if (l) l.covered.set(name, seg.size);
      syncs.push(fsyncDir(dir));
    } else if (seg.fd === null) {
      seg.fd = openSync(seg.path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    }
    // Most recently used last.
    this.segments.delete(kv);
    this.segments.set(kv, seg);
    return seg;
  }

  private write(seg: Segment, data: Buffer): void {
    let off = 0;
    try {
      while (off < data.length) off += writeSync(seg.fd!, data, off, data.length - off);
    } catch (e) {
      // The file may end in a partial line now: never append after it. Readers skip it; the
      // next commit starts a new file, and this one is read like another process's.
      try {
        closeSync(seg.fd!);
      } catch {
        /* already failing */
      }
      this.segments.delete(seg.kv);
      this.own.delete(seg.path);
      throw e;
    }
    seg.size += data.length;
  }

  /** Folds lines just written into the version's aggregate, when it is in memory (else a load reads them). */
  private fold(seg: Segment, group: StoredExecution[]): void {
    const l = this.loaded.get(seg.kv);
    if (!l) return;
    for (const g of group) l.agg.add(g.record);
    l.covered.set(seg.name, seg.size);
    l.changes++;
  }

  private closeIdleFiles(): void {
    let open = 0;
    for (const s of this.segments.values()) if (s.fd !== null) open++;
    for (const s of this.segments.values()) {
      if (open <= OPEN_FILES) break;
      if (s.fd !== null) {
        closeSync(s.fd);
        s.fd = null;
        open--;
      }
    }
  }

  // ------------------------------------------------------------ aggregates

  async aggregates(key: string): Promise<Map<string, VersionAggregate>> {
    await this.importLegacy();
    const out = new Map<string, VersionAggregate>();
    for (const version of this.versionsOf(key)) {
      const l = await this.load(key, version);
      await this.catchUp(key, version, l, false);
      out.set(version, l.agg);
    }
    this.evict(out.size);
    return out;
  }

  private versionsOf(key: string): string[] {
    try {
      return readdirSync(this.files.checkLinks(this.dir(key)), { withFileTypes: true })
        .filter((e) => e.isDirectory() && VERSION_RE.test(e.name))
        .map((e) => e.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  private load(key: string, version: string): Promise<Loaded> {
    const kv = kvOf(key, version);
    const hit = this.loaded.get(kv);
    if (hit) {
      this.loaded.delete(kv);
      this.loaded.set(kv, hit);
      return Promise.resolve(hit);
    }
    let p = this.loading.get(kv);
    if (!p) {
      p = this.read(key, version).finally(() => this.loading.delete(kv));
      this.loading.set(kv, p);
    }
    return p;
  }

  /** The checkpoint, then every line written after it, this process's own included. */
  private async read(key: string, version: string): Promise<Loaded> {
    const dir = this.dir(key, version);
    const cp = this.files.parseJsonFile(join(dir, 'aggregate.json'), CheckpointSchema);
    const l: Loaded = {
      agg: cp ? VersionAggregate.fromJSON(cp.aggregate as unknown as AggregateJson) : new VersionAggregate(),
      covered: new Map(Object.entries(cp?.covered ?? {})),
      changes: 0,
      saved: 0,
    };
    await this.catchUp(key, version, l, true);
    // What this process appended while the above yielded: read in the same turn that makes the
    // aggregate visible to commits, which fold their lines themselves from then on.
    for (const name of this.logNames(dir)) if (this.own.has(join(dir, name))) this.readLog(key, version, join(dir, name), name, l, Infinity);
    this.loaded.set(kvOf(key, version), l);
    return l;
  }

  /** Reads the lines `l` has not covered: of other processes' files, and of this one's when loading. */
  private catchUp(key: string, version: string, l: Loaded, withOwn: boolean): Promise<void> {
    const kv = kvOf(key, version);
    const prev = this.catching.get(kv) ?? Promise.resolve();
    const next = prev.then(async () => {
      const dir = this.dir(key, version);
      for (const name of this.logNames(dir)) {
        const path = join(dir, name);
        if (!withOwn && this.own.has(path)) continue;
        while (this.readLog(key, version, path, name, l, CATCH_UP_SLICE)) await yieldLoop();
      }
    });
    const tail = next.catch(() => undefined);
    this.catching.set(kv, tail);
    void tail.then(() => this.catching.get(kv) === tail && this.catching.delete(kv));
    return next;
  }

  /** Folds up to about `maxBytes` of the file's lines after what `l` covers; true when more remain. */
  private readLog(key: string, version: string, path: string, name: string, l: Loaded, maxBytes: number): boolean {
    const from = l.covered.get(name) ?? 0;
    const f = LogFile.open(path);
    if (!f) return false;
    try {
      if (f.size <= from) return false;
      const stop = f.forward(
        from,
        (line, next) => {
          if (idOf(line) !== undefined) {
            try {
              l.agg.add(fromLine(line, key, version));
            } catch (e) {
              this.logger?.warn({ file: this.files.relative(path), err: (e as Error).message }, 'unreadable execution line skipped');
            }
          }
          l.covered.set(name, next);
        },
        maxBytes,
      );
      l.changes++;
      return stop < f.size;
    } finally {
      f.close();
    }
  }

  private logNames(dir: string): string[] {
    try {
      return readdirSync(this.files.checkLinks(dir)).filter((n) => n.endsWith('.jsonl') && !n.startsWith('.')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  /** Writes every aggregate that changed since its last checkpoint. */
  private async checkpoint(): Promise<void> {
    for (const [kv, l] of [...this.loaded]) if (l.changes !== l.saved) await this.save(kv, l);
  }

  private async save(kv: string, l: Loaded): Promise<void> {
    const [key, version] = kv.split('\0') as [string, string];
    const changes = l.changes;
    const body = JSON.stringify({ format: 1, covered: Object.fromEntries(l.covered), aggregate: l.agg.toJSON() });
    await writeFileAtomic(this.files.checkLinks(join(this.dir(key, version), 'aggregate.json')), body + '\n');
    l.saved = changes;
  }

  /** Keeps the aggregates within AGGREGATES_BYTES, dropping the least recently used (`keep` newest stay). */
  private evict(keep = 1): void {
    let bytes = this.aggregateBytes();
    for (const [kv, l] of this.loaded) {
      if (bytes <= AGGREGATES_BYTES || this.loaded.size <= keep) break;
      this.loaded.delete(kv);
      bytes -= l.agg.bytes + 64 * l.covered.size;
      if (l.changes !== l.saved) void this.save(kv, l).catch((err: unknown) => this.logger?.warn({ err }, 'writing an execution aggregate checkpoint failed'));
    }
  }

  private aggregateBytes(): number {
    let bytes = 0;
    for (const l of this.loaded.values()) bytes += l.agg.bytes + 64 * l.covered.size;
    return bytes;
  }

  memory() {
    return { aggregates: this.loaded.size, aggregate_bytes: this.aggregateBytes(), aggregate_budget: AGGREGATES_BYTES };
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.commits.idle();
    await this.checkpoint().catch((err: unknown) => this.logger?.warn({ err }, 'writing an execution aggregate checkpoint failed'));
    for (const s of this.segments.values()) if (s.fd !== null) closeSync(s.fd);
    this.segments.clear();
    for (const f of this.readers.values()) f.close();
    this.readers.clear();
  }

  // ------------------------------------------------------------ reading records

  async get(id: string): Promise<ExecutionRecord | undefined> {
    if (!RecordIdSchema.safeParse(id).success) return undefined;
    const opened = this.readFolder(id);
    if (opened) return opened;
    const p = parseExecutionId(id);
    if (!p) return undefined;
    const key = this.keyOf(p.keyHash);
    if (!key) return undefined;
    const dir = this.dir(key, p.version);
    // In the file the writing process had open when it made the id: the last it started before.
    for (const fresh of [false, true]) {
      let name: string | undefined;
      for (const n of this.cachedNames(dir, fresh)) {
        const first = n.slice(0, -'.jsonl'.length);
        if (first <= id && parseExecutionId(first)?.instance === p.instance) name = n;
      }
      if (!name) continue;
      const line = this.reader(join(dir, name), fresh)?.find(id);
      if (line !== undefined) return fromLine(line, key, p.version);
    }
    return undefined;
  }

  private cachedNames(dir: string, fresh: boolean): string[] {
    let names = fresh ? undefined : this.names.get(dir);
    if (!names) {
      names = this.logNames(dir);
      if (this.names.size >= 4096) this.names.clear();
      this.names.set(dir, names);
    }
    return names;
  }

  /** An open log file for lookups; `fresh` reopens it, to see lines appended since. */
  private reader(path: string, fresh: boolean): LogFile | undefined {
    let f = this.readers.get(path);
    if (f && fresh) {
      f.close();
      this.readers.delete(path);
      f = undefined;
    }
    if (!f) {
      f = LogFile.open(this.files.checkLinks(path));
      if (!f) return undefined;
      for (const [p, old] of this.readers) {
        if (this.readers.size < READ_FILES) break;
        old.close();
        this.readers.delete(p);
      }
    } else {
      this.readers.delete(path);
    }
    this.readers.set(path, f);
    return f;
  }

  /** `executions/{id}/`: a record feedback refers to, or one an older POET wrote that way. */
  private readFolder(id: string): ExecutionRecord | undefined {
    const dir = resolveInside(this.files.paths.executions, id);
    // Most records have no folder: one lstat says so (a link there is refused below, not followed).
    if (!lstatSync(dir, { throwIfNoEntry: false })) return undefined;
    this.files.checkLinks(dir);
    const context = this.files.parseJsonFile(join(dir, 'context.json'), ExecutionContextFileSchema, true);
    if (!context) return undefined;
    const result = this.files.parseJsonFile(join(dir, 'result.json'), ExecutionResultFileSchema, true);
    return result ? { context, result } : undefined;
  }

  /** The function whose key hashes to `hash`, among those with a log. */
  private keyOf(hash: string): string | undefined {
    let key = this.keysByHash.get(hash);
    if (key !== undefined) return key;
    let names: string[];
    try {
      names = readdirSync(this.files.checkLinks(this.files.paths.executionLog));
    } catch {
      return undefined;
    }
    this.keysByHash.clear();
    for (const n of names) if (KEY_RE.test(n)) this.keysByHash.set(keyHash(n), n);
    key = this.keysByHash.get(hash);
    return key;
  }

  async recent(key: string, version: string | undefined, limit: ReadLimit): Promise<ExecutionRecord[]> {
    await this.importLegacy();
    // Every log file of the versions, read backwards and merged by id (ids sort by recording time).
    const heads: Array<{ version: string; file: LogFile; lines: Generator<string>; line: string | undefined; id: string }> = [];
    const out: ExecutionRecord[] = [];
    try {
      for (const v of version ? [version] : this.versionsOf(key)) {
        const dir = this.dir(key, v);
        for (const name of this.logNames(dir)) {
          const file = LogFile.open(join(dir, name));
          if (!file) continue;
          const h = { version: v, file, lines: file.backward(), line: undefined as string | undefined, id: '' };
          heads.push(h);
          advance(h);
        }
      }
      let bytes = 0;
      while (out.length < limit.records && bytes < limit.bytes) {
        let best: (typeof heads)[number] | undefined;
        for (const h of heads) if (h.line !== undefined && (!best || h.id > best.id)) best = h;
        if (!best) break;
        try {
          out.push(fromLine(best.line!, key, best.version));
          bytes += best.line!.length;
        } catch (e) {
          this.logger?.warn({ key, err: (e as Error).message }, 'unreadable execution line skipped');
        }
        advance(best);
        if (out.length % 1000 === 0) await yieldLoop();
      }
    } finally {
      for (const h of heads) h.file.close();
    }
    return out;
  }

  /** Writes `executions/{id}/` for a record feedback is about to refer to (once). */
  async keep(record: ExecutionRecord): Promise<void> {
    const dir = resolveInside(this.files.paths.executions, record.context.execution_id);
    if (this.readFolder(record.context.execution_id)) return;
    await this.files.writeFolder(dir, [
      { name: 'context.json', data: JSON.stringify(record.context, null, 2) + '\n' },
      { name: 'result.json', data: JSON.stringify(record.result, null, 2) + '\n' },
    ]).catch((e: NodeJS.ErrnoException) => {
      // Another request or process kept it first.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
  }

  // ------------------------------------------------------------ records of older versions of POET

  /**
   * Records written as `executions/{id}/` folders before the log existed join the log once, so
   * metrics, listings and Train see them (their folders stay, and GET reads them there). Under a
   * lock, and idempotent (one whole file per version, named by its first id), so a crash or a
   * second process cannot duplicate them.
   */
  private importLegacy(): Promise<void> {
    this.legacy ??= (async () => {
      const marker = join(this.files.paths.executionLog, LEGACY_MARKER);
      if (this.files.readText(marker) !== undefined) return;
      const folders = (await fs.readdir(this.files.checkLinks(this.files.paths.executions), { withFileTypes: true }).catch(() => []))
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !parseExecutionId(e.name))
        .map((e) => e.name)
        .sort();
      if (!folders.length) return;
      await this.files.mkdir(this.files.paths.locks);
      await withFileLock(resolveInside(this.files.paths.locks, 'execution-log.lock'), async () => {
        if (this.files.readText(marker) !== undefined) return;
        const byVersion = new Map<string, ExecutionRecord[]>();
        for (const id of folders) {
          const r = this.readFolder(id);
          if (!r || !KEY_RE.test(r.context.function_name) || !VERSION_RE.test(r.context.version)) continue;
          const kv = kvOf(r.context.function_name, r.context.version);
          let list = byVersion.get(kv);
          if (!list) byVersion.set(kv, (list = []));
          list.push(r);
        }
        for (const [kv, records] of byVersion) {
          const [key, version] = kv.split('\0') as [string, string];
          const dir = this.dir(key, version);
          const header = JSON.stringify({ poet_execution_log: 1, function_name: key, version, writer: 'imported' });
          await writeFileAtomic(this.files.checkLinks(join(dir, `${records[0]!.context.execution_id}.jsonl`)), [header, ...records.map(toLine)].join('\n') + '\n');
        }
        await writeFileAtomic(marker, `${folders.length} record folders imported ${new Date().toISOString()}\n`);
        this.logger?.info({ records: folders.length }, 'records of an earlier POET joined the execution log');
      });
    })();
    return this.legacy;
  }
}

function advance(h: { lines: Generator<string>; line: string | undefined; id: string }): void {
  for (;;) {
    const n = h.lines.next();
    if (n.done) {
      h.line = undefined;
      return;
    }
    const id = idOf(n.value);
    if (id !== undefined) {
      h.line = n.value;
      h.id = id;
      return;
    }
  }
}
