// One POET HTTP service per workspace folder, in this process. Started on initialize (and
// when folders are added), closed on shutdown; every change is reported to the client as one
// poet/status snapshot. A folder whose service cannot start is an `error` in it; the language
// features keep working without it.
import type { Logger } from 'pino';
import type { ServiceReadyParams, ServiceState, ServiceStatusSnapshot } from '../../shared/lsp-protocol';
import { startService, type ServiceHandle } from '../service/start';
import { learningService } from '../learning/routes';
import type { LearningService } from '../learning/service';
import type { PoetStore } from '../storage/store';
import type { Folder } from './workspaces';

export interface ServiceEvents {
  /** The snapshot changed (a service is starting, listening, failed or closed). */
  changed(snapshot: ServiceStatusSnapshot): void;
  log(message: string): void;
}

type Entry =
  | { state: 'starting'; folder: Folder; started: Promise<void> }
  | { state: 'ready'; folder: Folder; handle: ServiceHandle; info: ServiceReadyParams }
  | { state: 'error'; folder: Folder; message: string };

/** Why a service did not start, in words a person can act on. */
export function startFailureMessage(err: unknown, folder: Folder, port: number): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') return `Port ${port} on 127.0.0.1 is in use; set "poet.service.port" to 0 (a free port) or to another port, then restart the service.`;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return `POET may not ${e.syscall === 'listen' ? `listen on port ${port}` : `write into ${folder.fsPath}/.dana/poet`} (${e.code}). Check the folder's permissions or the port setting.`;
  }
  return `The POET service for ${folder.fsPath} did not start: ${e?.message ?? String(err)}`;
}

export class ServiceManager {
  private readonly entries = new Map<string, Entry>();
  private firstPortUsed = false;

  constructor(
    private readonly opts: { token: string; port: number; logger: Logger },
    private readonly events: ServiceEvents,
  ) {}

  /** Starts the folder's service; resolves when it listens or failed (never rejects). */
  start(folder: Folder): Promise<void> {
    const existing = this.entries.get(folder.uri);
    if (existing?.state === 'starting') return existing.started;
    if (existing?.state === 'ready') return Promise.resolve();
    // A fixed port can only serve one folder; the others take free ports.
    const port = this.firstPortUsed ? 0 : this.opts.port;
    this.firstPortUsed = true;
    const started = startService({ workspace: folder.fsPath, host: '127.0.0.1', port, token: this.opts.token, logger: this.opts.logger.child({ folder: folder.name }), announce: true }).then(
      (handle) => {
        if (this.entries.get(folder.uri)?.state !== 'starting') {
          void handle.close(); // the folder was removed (or we shut down) meanwhile
          return;
        }
        const info: ServiceReadyParams = { url: handle.url, port: handle.port, workspace: folder.fsPath, folderUri: folder.uri };
        this.entries.set(folder.uri, { state: 'ready', folder, handle, info });
        this.events.log(`POET service for ${folder.fsPath} listening on ${handle.url}`);
        this.events.changed(this.snapshot());
      },
      (err: unknown) => {
        const message = startFailureMessage(err, folder, port);
        if (this.entries.get(folder.uri)?.state === 'starting') this.entries.set(folder.uri, { state: 'error', folder, message });
        this.events.log(message);
        this.events.changed(this.snapshot());
      },
    );
    this.entries.set(folder.uri, { state: 'starting', folder, started });
    this.events.changed(this.snapshot());
    return started;
  }

  async stop(folderUri: string): Promise<void> {
    const e = this.entries.get(folderUri);
    this.entries.delete(folderUri);
    if (e) this.events.changed(this.snapshot());
    if (e?.state === 'ready') await e.handle.close();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((uri) => this.stop(uri)));
  }

  /** The store of the folder's running service (the one its HTTP routes answer from), for the CodeLens and hover. */
  store(workspace: string): PoetStore | undefined {
    for (const e of this.entries.values()) if (e.state === 'ready' && e.folder.fsPath === workspace) return e.handle.deps.store;
    return undefined;
  }

  /** The learning service of the folder's running service (the one its HTTP routes use), for the lens's metrics. */
  learning(workspace: string): LearningService | undefined {
    for (const e of this.entries.values()) if (e.state === 'ready' && e.folder.fsPath === workspace) return learningService(e.handle.deps);
    return undefined;
  }

  snapshot(): ServiceStatusSnapshot {
    const all = [...this.entries.values()];
    const services = all.flatMap((e) => (e.state === 'ready' ? [e.info] : []));
    const errors = all.flatMap((e) => (e.state === 'error' ? [{ workspace: e.folder.fsPath, folderUri: e.folder.uri, message: e.message }] : []));
    const state: ServiceState = all.length === 0 ? 'stopped' : all.some((e) => e.state === 'starting') ? 'starting' : errors.length ? 'error' : 'ready';
    const message = errors.length
      ? errors.map((e) => e.message).join(' ')
      : all.length === 0
        ? 'No workspace folder is open; POET starts a service for each folder that is added.'
        : undefined;
    return { state, ...(message ? { message } : {}), services, errors };
  }
}
