// The file store's one caching scheme, on real files: a value is remembered under the stats of
// the files it was read from, a changed or replaced file is a miss, and a file changed just now
// is not remembered (its mtime tick could hide a second write).
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatMemo } from '../../server/storage/stat-memo';

describe('StatMemo', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'poet-statmemo-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `text` with an mtime a minute ago, so it counts as settled. */
  const settled = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    const past = new Date(Date.now() - 60_000);
    utimesSync(p, past, past);
    return p;
  };

  it('hits while the files keep their stats, misses once one is edited in place or replaced', () => {
    const memo = new StatMemo<string>(10);
    const a = settled('a', 'v1');
    memo.set('k', [lstatSync(a)], 'v1');
    assert.equal(memo.get('k', [lstatSync(a)]), 'v1');
    settled('a', 'v2'); // same size, same inode
    const edited = lstatSync(a);
    const past = new Date(Date.now() - 30_000);
    utimesSync(a, past, past);
    assert.equal(memo.get('k', [lstatSync(a)]), undefined, 'an edit in place is a miss');
    memo.set('k', [lstatSync(a)], 'v2');
    const b = settled('b', 'v3');
    renameSync(b, a);
    assert.equal(memo.get('k', [lstatSync(a)]), undefined, 'a file renamed into place is a miss');
    assert.notEqual(edited.ino, lstatSync(a).ino);
  });

  it('treats a missing file as part of the stamp, and does not remember a file changed just now', () => {
    const memo = new StatMemo<string | null>(10);
    const a = settled('a', 'x');
    memo.set('k', [lstatSync(a), undefined], null);
    assert.equal(memo.get('k', [lstatSync(a), undefined]), null, 'null is a remembered value');
    const c = settled('c', 'v1');
    assert.equal(memo.get('k', [lstatSync(a), lstatSync(c)]), undefined);
    writeFileSync(c, 'v2');
    memo.set('k', [lstatSync(a), lstatSync(c)], 'v2');
    assert.equal(memo.get('k', [lstatSync(a), lstatSync(c)]), undefined, 'just written: read again next time');
  });

  it('is bounded by entries and bytes', () => {
    const memo = new StatMemo<string>(2, 100);
    const st = [lstatSync(settled('a', 'x'))];
    memo.set('1', st, 'a', 10);
    memo.set('2', st, 'b', 10);
    memo.set('3', st, 'c', 10);
    assert.deepEqual(['1', '2', '3'].map((k) => memo.get(k, st)), [undefined, 'b', 'c']);
    memo.set('4', st, 'd', 95);
    assert.deepEqual(['2', '3', '4'].map((k) => memo.get(k, st)), [undefined, undefined, 'd']);
  });
});
