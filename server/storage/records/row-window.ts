// The newest rows of every function, within one byte budget shared by all of them: past the
// budget the oldest rows (by arrival) leave first. A row holds no user data (no inputs, outputs
// or texts), so its size is bounded and `weigh` can tell it; the window's memory is therefore
// bounded by bytes whatever the number of records on disk or their sizes.
export class RowWindow<R> {
  private readonly byKey = new Map<string, { rows: R[]; head: number }>();
  /** Every row's key, identity and weight in arrival order (parallel arrays: no object per row); `first` is the oldest still held. */
  private readonly arrivedKeys: string[] = [];
  private readonly arrivedIds: string[] = [];
  private readonly arrivedWeights: number[] = [];
  private first = 0;
  private bytes = 0;
  private readonly ids = new Set<string>();
  /** Per key, the greatest sortable id that has left the window (records up to it are out for good). */
  private readonly floors = new Map<string, string>();

  constructor(
    private readonly budget: number,
    /** Estimated heap bytes of a row, with its bookkeeping here. */
    private readonly weigh: (row: R) => number,
  ) {}

  /** Whether the row with this identity is held. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The greatest id that left the window for `key`, or over all keys; '' when none did. */
  floor(key?: string): string {
    if (key !== undefined) return this.floors.get(key) ?? '';
    let max = '';
    for (const f of this.floors.values()) if (f > max) max = f;
    return max;
  }

  /** Adds `row` under `key`. `id` identifies it, sortable in time order (record ids and stamps are). */
  add(key: string, id: string, row: R): void {
    if (this.ids.has(id)) return;
    let slot = this.byKey.get(key);
    if (!slot) this.byKey.set(key, (slot = { rows: [], head: 0 }));
    slot.rows.push(row);
    const weight = this.weigh(row);
    this.arrivedKeys.push(key);
    this.arrivedIds.push(id);
    this.arrivedWeights.push(weight);
    this.ids.add(id);
    this.bytes += weight;
    while (this.bytes > this.budget && this.first < this.arrivedIds.length) this.evictOldest();
  }

  /** The rows of `key` still held, in arrival order. */
  rows(key: string): R[] {
    const slot = this.byKey.get(key);
    return slot ? slot.rows.slice(slot.head) : [];
  }

  get size(): number {
    return this.arrivedIds.length - this.first;
  }

  get byteSize(): number {
    return this.bytes;
  }

  private evictOldest(): void {
    const i = this.first++;
    const key = this.arrivedKeys[i]!;
    const id = this.arrivedIds[i]!;
    const slot = this.byKey.get(key)!;
    // A key's rows arrive in the same order as all rows, so its oldest is this one.
    slot.head++;
    this.bytes -= this.arrivedWeights[i]!;
    this.ids.delete(id);
    if (id > (this.floors.get(key) ?? '')) this.floors.set(key, id);
    if (slot.head === slot.rows.length) this.byKey.delete(key);
    else if (slot.head > 1024 && slot.head * 2 > slot.rows.length) {
      slot.rows.splice(0, slot.head);
      slot.head = 0;
    }
    if (this.first > 1024 && this.first * 2 > this.arrivedIds.length) {
      for (const a of [this.arrivedKeys, this.arrivedIds, this.arrivedWeights] as unknown[][]) a.splice(0, this.first);
      this.first = 0;
    }
  }
}
