// The language server's watcher of a folder's .dana/poet/, on real directories: it sees files in
// directories created together (mkdir -p, what VS Code's own watcher misses on Linux), notices
// .dana/poet created after it started, and survives it being deleted and recreated (git clean).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchPoetDir, type PoetDirEvent } from '../../server/lsp/poet-dir-watch';

/** A watch of `<temp>/.dana/poet` whose events can be awaited, as paths relative to it ('' for itself). */
function watched(ws: string) {
  const root = path.join(ws, '.dana', 'poet');
  const seen: Array<{ rel: string; kind: PoetDirEvent['kind'] }> = [];
  let wake: (() => void) | undefined;
  const w = watchPoetDir(root, (e) => {
    seen.push({ rel: path.relative(root, e.file).split(path.sep).join('/'), kind: e.kind });
    wake?.();
  }, 50);
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => (wake = r));
  };
  const has = (rel: string, kind?: PoetDirEvent['kind']) => seen.some((e) => e.rel === rel && (!kind || e.kind === kind));
  return { w, seen, until, has, root };
}

describe('watchPoetDir (the one .dana/poet/ watcher)', function () {
  this.timeout(20_000);
  const temp = () => realpathSync(mkdtempSync(path.join(os.tmpdir(), 'poet-watch-')));

  it('reports files in directories created together with their parents, and what was changed and deleted', async () => {
    const ws = temp();
    mkdirSync(path.join(ws, '.dana/poet'), { recursive: true });
    const t = watched(ws);
    try {
      mkdirSync(path.join(t.root, 'functions/f/v1'), { recursive: true });
      writeFileSync(path.join(t.root, 'functions/f/v1/metadata.json'), '{}');
      await t.until(() => t.has('functions/f/v1/metadata.json', 'created'));
      writeFileSync(path.join(t.root, 'functions/f/v1/metadata.json'), '{"a":1}');
      await t.until(() => t.has('functions/f/v1/metadata.json', 'changed'));
      rmSync(path.join(t.root, 'functions/f/v1/metadata.json'));
      await t.until(() => t.has('functions/f/v1/metadata.json', 'deleted'));
    } finally {
      t.w.close();
    }
  });

  it('notices .dana/poet created after the watch started', async () => {
    const ws = temp();
    const t = watched(ws);
    try {
      mkdirSync(path.join(t.root, 'functions'), { recursive: true });
      await t.until(() => t.has('', 'created')); // the poll attached
      writeFileSync(path.join(t.root, 'functions/x'), '{}');
      await t.until(() => t.has('functions/x'));
    } finally {
      t.w.close();
    }
  });

  it('keeps watching after .dana is deleted and recreated', async () => {
    const ws = temp();
    mkdirSync(path.join(ws, '.dana/poet/functions'), { recursive: true });
    const t = watched(ws);
    try {
      rmSync(path.join(ws, '.dana'), { recursive: true });
      await t.until(() => t.has('', 'deleted'));
      mkdirSync(path.join(t.root, 'functions'), { recursive: true });
      await t.until(() => t.has('', 'created')); // re-attached
      writeFileSync(path.join(t.root, 'functions/y'), '{}');
      await t.until(() => t.has('functions/y'));
    } finally {
      t.w.close();
    }
  });
});
