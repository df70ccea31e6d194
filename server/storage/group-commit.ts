// Group commit: writes that arrive while a commit is in flight wait and go together in the
// next one, so one durable flush (an fsync round, a database commit) covers every batch and
// request that arrived meanwhile. With one writer the latency is one commit; under load,
// commits grow instead of queueing. Both stores append executions through one of these.
export class GroupCommit<T> {
  private pending: T[] = [];
  private waiters: Array<{ ok: () => void; fail: (e: unknown) => void }> = [];
  private running: Promise<void> | null = null;

  constructor(
    /** Makes `items` durable; a throw fails every caller whose items were in it. */
    private readonly commit: (items: T[]) => Promise<void>,
  ) {}

  /** Resolves once `items` are committed. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((ok, fail) => {
      for (const i of items) this.pending.push(i);
      this.waiters.push({ ok, fail });
      this.running ??= this.drain();
    });
  }

  /** Resolves when nothing is pending or in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the requests that arrived in this turn of the event loop join the first commit too.
    await new Promise((r) => setImmediate(r));
    while (this.pending.length) {
      const items = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.commit(items);
        for (const w of waiters) w.ok();
      } catch (e) {
        for (const w of waiters) w.fail(e);
      }
    }
    this.running = null;
  }
}
