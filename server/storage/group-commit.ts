// Group commit: writes that arrive while a commit is in flight wait and go together in the
// next one, so one durable flush (an fsync round, a database commit) covers every batch and
// request that arrived meanwhile. With one writer the latency is one commit; under load,
// commits grow instead of queueing. Both stores append executions through one of these; the
// PostgreSQL store lets a few commits overlap (one inserts while another waits for its flush),
// the file store one at a time (its lines must reach each file in id order).
export class GroupCommit<T> {
  private pending: T[] = [];
  private waiters: Array<{ ok: () => void; fail: (e: unknown) => void }> = [];
  private running = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    /** Makes `items` durable; a throw fails every caller whose items were in it. */
    private readonly commit: (items: T[]) => Promise<void>,
    /** Commits in flight at once. */
    private readonly concurrency = 1,
  ) {}

  /** Resolves once `items` are committed. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((ok, fail) => {
      for (const i of items) this.pending.push(i);
      this.waiters.push({ ok, fail });
      this.schedule();
    });
  }

  /** Resolves when nothing is pending or in flight. */
  idle(): Promise<void> {
    if (!this.running && !this.pending.length) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.concurrency) return;
    this.scheduled = true;
    // Let the requests that arrived in this turn of the event loop join the commit too.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (!this.pending.length || this.running >= this.concurrency) return;
    const items = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.running++;
    this.commit(items).then(
      () => {
        for (const w of waiters) w.ok();
      },
      (e: unknown) => {
        for (const w of waiters) w.fail(e);
      },
    ).finally(() => {
      this.running--;
      if (this.pending.length) this.schedule();
      else if (!this.running) for (const r of this.idleWaiters.splice(0)) r();
    });
  }
}
