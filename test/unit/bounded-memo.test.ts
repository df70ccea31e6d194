import assert from 'node:assert/strict';
import { BoundedMemo } from '../../server/memo';

describe('BoundedMemo', () => {
  it('drops the oldest entries past the entry count', () => {
    const m = new BoundedMemo<number>(2, 100);
    m.set('a', 1, 1);
    m.set('b', 2, 1);
    m.set('c', 3, 1);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], [undefined, 2, 3]);
  });

  it('drops the oldest entries past the total weight, and keeps nothing heavier than the bound', () => {
    const m = new BoundedMemo<string>(10, 10);
    m.set('a', 'A', 4);
    m.set('b', 'B', 4);
    m.set('c', 'C', 4);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], [undefined, 'B', 'C']);
    m.set('huge', 'H', 11);
    assert.equal(m.get('huge'), undefined);
    assert.equal(m.get('c'), 'C');
  });

  it('replacing a key counts its weight once', () => {
    const m = new BoundedMemo<number>(10, 10);
    for (let i = 0; i < 20; i++) m.set('same', i, 6);
    m.set('other', -1, 4);
    assert.deepEqual([m.get('same'), m.get('other')], [19, -1]);
  });
});
