// GroupCommit: items that arrive while commits are in flight go together in the next one; at
// most `concurrency` commits run at once; a failed commit fails exactly its own callers.
import assert from 'node:assert/strict';
import { GroupCommit } from '../../server/storage/group-commit';

/** A commit function whose commits finish when the test says so. */
function controlled() {
  const calls: Array<{ items: number[]; done: () => void; fail: (e: Error) => void }> = [];
  let inFlight = 0;
  let most = 0;
  const commit = (items: number[]) =>
    new Promise<void>((ok, no) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const end = () => inFlight--;
      calls.push({ items, done: () => (end(), ok()), fail: (e) => (end(), no(e)) });
    });
  /** Turns of the event loop until `n` commits have started (or a hundred turns passed). */
  const started = async (n: number) => {
    for (let i = 0; i < 100 && calls.length < n; i++) await new Promise((r) => setImmediate(r));
  };
  const settled = () => new Promise((r) => setImmediate(r));
  return { calls, commit, most: () => most, settled, started };
}

describe('GroupCommit', () => {
  it('groups what arrives during a commit into the next one, one commit at a time by default', async () => {
    const c = controlled();
    const g = new GroupCommit<number>(c.commit);
    const first = g.add([1, 2]);
    await c.settled();
    const rest = [g.add([3]), g.add([4, 5])];
    await c.settled();
    assert.deepEqual(c.calls.map((x) => x.items), [[1, 2]], 'the second waits for the first');
    c.calls[0]!.done();
    await first;
    await c.started(2);
    assert.deepEqual(c.calls.map((x) => x.items), [[1, 2], [3, 4, 5]]);
    c.calls[1]!.done();
    await Promise.all(rest);
    await g.idle();
    assert.equal(c.most(), 1);
  });

  it('overlaps up to `concurrency` commits, and a failure fails only its own callers', async () => {
    const c = controlled();
    const g = new GroupCommit<number>(c.commit, 2);
    const a = g.add([1]);
    await c.settled();
    const b = g.add([2]);
    await c.settled();
    const d = g.add([3]);
    await c.settled();
    assert.deepEqual(c.calls.map((x) => x.items), [[1], [2]], 'two in flight, the third waits');
    c.calls[1]!.fail(new Error('disk full'));
    await assert.rejects(b, /disk full/);
    await c.started(3);
    assert.deepEqual(c.calls[2]!.items, [3]);
    c.calls[0]!.done();
    c.calls[2]!.done();
    await Promise.all([a, d]);
    let idle = false;
    await g.idle().then(() => (idle = true));
    assert.ok(idle);
    assert.equal(c.most(), 2);
  });
});
