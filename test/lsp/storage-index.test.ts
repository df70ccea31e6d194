// StorageIndex's use of the folder's watcher (test/lsp/poet-dir-watch.test.ts tests the watcher
// itself): one batch per burst, paths relative to .dana/poet, lock files left out.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StorageIndex } from '../../server/lsp/storage-index';
import { tempWorkspace } from './harness';

/** A StorageIndex whose change batches can be awaited. */
function watched(ws: string) {
  const batches: string[][] = [];
  let wake: (() => void) | undefined;
  const index = new StorageIndex((_w, changed) => {
    batches.push([...changed]);
    wake?.();
  }, 50);
  index.watch(ws);
  const until = async (pred: (all: string[]) => boolean): Promise<void> => {
    while (!pred(batches.flat())) await new Promise<void>((r) => (wake = r));
  };
  return { index, batches, until };
}

describe('StorageIndex watcher', function () {
  this.timeout(20_000);

  it('reports changes with their .dana/poet-relative paths, ignoring lock files', async () => {
    const ws = tempWorkspace();
    mkdirSync(path.join(ws, '.dana/poet/functions/f'), { recursive: true });
    const w = watched(ws);
    try {
      mkdirSync(path.join(ws, '.dana/poet/.locks'));
      writeFileSync(path.join(ws, '.dana/poet/.locks/f.lock'), '1');
      writeFileSync(path.join(ws, '.dana/poet/functions/f/current'), 'v1');
      await w.until((all) => all.includes('functions/f/current'));
      assert.ok(!w.batches.flat().some((p) => p.startsWith('.locks')));
    } finally {
      w.index.dispose();
    }
  });
});
