// Reading an append-only log of JSON lines, each beginning `{"id":"ID"` with ids increasing
// through the file: the line with a given id by binary search, the lines after an offset, and
// the lines from the end backwards. Only complete lines (ending in "\n") count: a writer killed
// mid-append leaves at most one partial line at the end, which readers never see. Reads are
// synchronous and small (a few µs each from the page cache), as in atomic.ts.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:fs';

const CHUNK = 64 * 1024;
/** What a binary-search step reads: most lines (about 250 bytes) fit several times. */
const WINDOW = 2048;
/** One buffer for the searches: they are synchronous, so they never share it at once. */
const scratch = Buffer.allocUnsafe(CHUNK + WINDOW);
const ID_PREFIX = '{"id":"';
const NL = 0x0a;

export class LogFile {
  readonly fd: number;
  /** Bytes up to the end of the last complete line. */
  readonly size: number;

  private constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens `path` (never through a link) and finds its last complete line; undefined when missing. */
  static open(path: string): LogFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const raw = fstatSync(fd).size;
    return new LogFile(fd, completeSize(fd, raw));
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * The line (without "\n") whose id is `id`, by binary search over byte offsets: each step reads
   * one small window, finds the first line starting in it and compares that line's id.
   */
  find(id: string): string | undefined {
    const buf = scratch;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      // Few lines left (lo is a line start): read them at once and look.
      if (hi - lo <= CHUNK) return this.scan(lo, hi, id);
      const mid = lo + Math.floor((hi - lo) / 2);
      // The first line starting at or after mid: read from mid - 1 so a line starting at mid is seen.
      const from = mid === lo ? lo : mid - 1;
      const n = readSync(this.fd, buf, 0, Math.min(WINDOW, this.size - from), from);
      const window = buf.subarray(0, n);
      let s = 0;
      if (mid !== lo) {
        const i = window.indexOf(NL);
        if (i < 0) {
          // Inside a line longer than the window: find the next line the slow way.
          const start = this.lineStartAtOrAfter(mid);
          if (start >= hi) {
            hi = mid;
            continue;
          }
          const next = this.compareAt(start, id);
          if (next === -1) return this.text(start, this.lineEnd(start));
          if (next === start) hi = start;
          else lo = next;
          continue;
        }
        s = i + 1;
      }
      const start = from + s;
      if (start >= hi) {
        hi = mid;
        continue;
      }
      const lineId = idIn(window, s);
      if (lineId === null) {
        // The window ends inside this line's id: compare the slow way.
        const next = this.compareAt(start, id);
        if (next === -1) return this.text(start, this.lineEnd(start));
        if (next === start) hi = start;
        else lo = next;
        continue;
      }
      if (lineId === id) return this.text(start, this.lineEnd(start));
      if (lineId === undefined || lineId < id) {
        const e = window.indexOf(NL, s);
        lo = (e >= 0 ? from + e : this.lineEnd(start)) + 1;
      } else {
        hi = start;
      }
    }
    return undefined;
  }

  /**
   * The line with `id` among those starting in [lo, hi), lo being a line start: one read, and a
   * byte search for the line's beginning (`{"id":"ID"` right after a newline; inside a JSON string
   * a quote is always escaped, so only a line start or a nested object can match, and the
   * newline tells them apart).
   */
  private scan(lo: number, hi: number, id: string): string | undefined {
    const end = Math.min(this.size, hi + WINDOW);
    const n = readSync(this.fd, scratch, 0, Math.min(scratch.length, end - lo), lo);
    const block = scratch.subarray(0, n);
    const needle = Buffer.from(`${ID_PREFIX}${id}"`, 'latin1');
    for (let i = block.indexOf(needle); i >= 0; i = block.indexOf(needle, i + 1)) {
      if (i > 0 && block[i - 1] !== NL) continue;
      const e = block.indexOf(NL, i);
      return e >= 0 ? block.toString('utf8', i, e) : this.text(lo + i, this.lineEnd(lo + i));
    }
    return undefined;
  }

  /** For the line at `start`: -1 when its id is `id`; `start` when the id is after `id`; the next line's start when before. */
  private compareAt(start: number, id: string): number {
    const end = this.lineEnd(start);
    const lineId = idOf(this.text(start, Math.min(end, start + 256)));
    if (lineId === id) return -1;
    if (lineId === undefined || lineId < id) return end + 1;
    return start;
  }

  /**
   * Complete lines from byte `from` on, each with the offset just after it, in order; stops
   * after about `maxBytes` (so a caller can yield between slices). Returns where it stopped.
   */
  forward(from: number, each: (line: string, next: number) => void, maxBytes = Infinity): number {
    let pos = from;
    let carry = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    while (pos < this.size && pos - from < maxBytes) {
      const n = readSync(this.fd, buf, 0, Math.min(CHUNK, this.size - pos), pos);
      if (n <= 0) break;
      // Split at newline bytes, never inside a UTF-8 sequence.
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const base = pos - carry.length;
      pos += n;
      let s = 0;
      let i: number;
      while ((i = chunk.indexOf(NL, s)) >= 0) {
        each(chunk.toString('utf8', s, i), base + i + 1);
        s = i + 1;
      }
      carry = Buffer.from(chunk.subarray(s));
    }
    return pos - carry.length;
  }

  /** Complete lines from the end backwards, starting after byte `floor`. */
  *backward(floor = 0): Generator<string> {
    let end = this.size;
    let tail = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    while (end > floor) {
      const start = Math.max(floor, end - CHUNK);
      const n = readSync(this.fd, buf, 0, end - start, start);
      const chunk = Buffer.concat([buf.subarray(0, n), tail]);
      end = start;
      // Everything after the first newline is whole lines (the chunk ends at a line end).
      let cut = chunk.length;
      for (let i = chunk.length - 2; i >= 0; i--) {
        if (chunk[i] === NL) {
          yield chunk.toString('utf8', i + 1, cut - 1);
          cut = i + 1;
        }
      }
      tail = chunk.subarray(0, cut);
    }
    if (tail.length > 1) yield tail.toString('utf8', 0, tail.length - 1);
  }

  private lineStartAtOrAfter(pos: number): number {
    const buf = Buffer.allocUnsafe(4096);
    let p = pos - 1;
    while (p < this.size) {
      const n = readSync(this.fd, buf, 0, Math.min(buf.length, this.size - p), p);
      const i = buf.subarray(0, n).indexOf(NL);
      if (i >= 0) return p + i + 1;
      p += n;
    }
    return this.size;
  }

  private lineEnd(start: number): number {
    const buf = Buffer.allocUnsafe(4096);
    let p = start;
    while (p < this.size) {
      const n = readSync(this.fd, buf, 0, Math.min(buf.length, this.size - p), p);
      const i = buf.subarray(0, n).indexOf(NL);
      if (i >= 0) return p + i;
      p += n;
    }
    return this.size;
  }

  private text(start: number, end: number): string {
    const buf = Buffer.allocUnsafe(end - start);
    readSync(this.fd, buf, 0, end - start, start);
    return buf.toString('utf8');
  }
}

/** The id of the line starting at `s` in `buf`: undefined for a line without one, null when `buf` ends first. */
function idIn(buf: Buffer, s: number): string | undefined | null {
  if (buf.length - s < ID_PREFIX.length) return null;
  if (buf.toString('latin1', s, s + ID_PREFIX.length) !== ID_PREFIX) return undefined;
  const end = buf.indexOf(0x22, s + ID_PREFIX.length);
  return end < 0 ? null : buf.toString('latin1', s + ID_PREFIX.length, end);
}

/** The id a line begins with, or undefined for another line (the file's header). */
export function idOf(line: string): string | undefined {
  if (!line.startsWith(ID_PREFIX)) return undefined;
  const end = line.indexOf('"', ID_PREFIX.length);
  return end > 0 ? line.slice(ID_PREFIX.length, end) : undefined;
}

function completeSize(fd: number, size: number): number {
  const buf = Buffer.allocUnsafe(4096);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const n = readSync(fd, buf, 0, end - start, start);
    const i = buf.subarray(0, n).lastIndexOf(NL);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}
