// A small memo bounded both by entries and by the total size of what it keeps, oldest out
// first. Sizes are the caller's estimate (the text's length): a parsed 32 KB Python file keeps
// about 800 KB alive, so a count alone would let a few hundred big texts hold hundreds of MB.
export class BoundedMemo<V> {
  private readonly items = new Map<string, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
  ) {}

  get(key: string): V | undefined {
    return this.items.get(key)?.value;
  }

  set(key: string, value: V, weight: number): void {
    if (weight > this.maxWeight) return;
    const old = this.items.get(key);
    if (old) {
      this.total -= old.weight;
      this.items.delete(key);
    }
    this.items.set(key, { value, weight });
    this.total += weight;
    for (const [k, item] of this.items) {
      if (this.items.size <= this.maxEntries && this.total <= this.maxWeight) break;
      this.items.delete(k);
      this.total -= item.weight;
    }
  }

  delete(key: string): void {
    const old = this.items.get(key);
    if (!old) return;
    this.total -= old.weight;
    this.items.delete(key);
  }

  clear(): void {
    this.items.clear();
    this.total = 0;
  }
}
