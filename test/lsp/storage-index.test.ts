// The .dana/poet watcher behind the CodeLens refresh, on real directories: it must notice the
// folder appearing after start, and survive the folder being deleted and recreated (git clean).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('notices .dana/poet created after the watch started', async () => {
    const ws = tempWorkspace();
    const w = watched(ws);
    try {
      mkdirSync(path.join(ws, '.dana/poet/functions'), { recursive: true });
      await w.until((all) => all.length > 0); // the poll attached
      writeFileSync(path.join(ws, '.dana/poet/functions/x'), '{}');
      await w.until((all) => all.includes('functions/x'));
    } finally {
      w.index.dispose();
    }
  });

  it('keeps watching after .dana is deleted and recreated', async () => {
    const ws = tempWorkspace();
    mkdirSync(path.join(ws, '.dana/poet/functions'), { recursive: true });
    const w = watched(ws);
    try {
      rmSync(path.join(ws, '.dana'), { recursive: true });
      await w.until((all) => all.length > 0);
      mkdirSync(path.join(ws, '.dana/poet/functions'), { recursive: true });
      const before = w.batches.length;
      await w.until(() => w.batches.length > before); // re-attached
      writeFileSync(path.join(ws, '.dana/poet/functions/y'), '{}');
      await w.until((all) => all.includes('functions/y'));
    } finally {
      w.index.dispose();
    }
  });
});
