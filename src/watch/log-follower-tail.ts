// Reads the new complete lines of one file from a byte offset, in bounded chunks. A line longer
// than `maxLineBytes` is kept only up to the cap (the rest is skipped, never buffered); an
// incomplete last line stays pending until its newline arrives (or the file is finished).
import { promises as fs } from "node:fs";

export interface TailLine {
  /** The line (capped), without the newline. */
  bytes: Buffer;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Bytes the line really had (> bytes.length when capped). */
  length: number;
}

/** A line pre-filter; with `needles`, lines without any of them are skipped without being split out. */
export type LineFilter = ((line: Buffer) => boolean) & { needles?: Buffer[] };

export interface TailLimits {
  maxLineBytes: number;
  chunkBytes: number;
}

export const DEFAULT_TAIL_LIMITS: TailLimits = { maxLineBytes: 256 * 1024, chunkBytes: 1024 * 1024 };

/** Per-file read state. `offset` = bytes consumed; `lineStart` = where the pending line began. */
export class LineTail {
  offset: number;
  lineStart: number;
  #kept: Buffer[] = [];
  #keptLen = 0;
  #pendingLen = 0;
  readonly limits: TailLimits;

  constructor(offset: number, limits: TailLimits = DEFAULT_TAIL_LIMITS) {
    this.offset = offset;
    this.lineStart = offset;
    this.limits = limits;
  }

  get hasPending(): boolean {
    return this.#pendingLen > 0;
  }

  /** Forget everything and start again at `offset` (truncation, new file on a reused inode). */
  reset(offset = 0): void {
    this.offset = offset;
    this.lineStart = offset;
    this.#kept = [];
    this.#keptLen = 0;
    this.#pendingLen = 0;
  }

  /**
   * Read from `offset` to `size` (the caller's stat). Calls `onLine` for each complete line; returns
   * the number of bytes read. `wanted` lets a caller skip lines cheaply before they are copied.
   */
  async read(path: string, size: number, onLine: (line: TailLine) => void, wanted?: LineFilter, maxBytes = Infinity): Promise<number> {
    if (size <= this.offset) return 0;
    const handle = await fs.open(path, "r");
    let total = 0;
    try {
      const buf = Buffer.allocUnsafe(this.limits.chunkBytes);
      while (this.offset < size && total < maxBytes) {
        const want = Math.min(buf.length, size - this.offset);
        const { bytesRead } = await handle.read(buf, 0, want, this.offset);
        if (bytesRead === 0) break;
        total += bytesRead;
        this.#consume(buf.subarray(0, bytesRead), onLine, wanted);
      }
    } finally {
      await handle.close();
    }
    return total;
  }

  /** Emit the pending incomplete line as a final line (its file will get no more bytes). */
  flushPending(onLine: (line: TailLine) => void): void {
    if (this.#pendingLen === 0) return;
    onLine({ bytes: Buffer.concat(this.#kept), offset: this.lineStart, length: this.#pendingLen });
    this.#kept = [];
    this.#keptLen = 0;
    this.#pendingLen = 0;
    this.lineStart = this.offset;
  }

  #consume(chunk: Buffer, onLine: (line: TailLine) => void, wanted?: LineFilter): void {
    const base = this.offset;
    const n = chunk.length;
    let p = 0;
    // Finish a line left pending by the previous chunk.
    if (this.#pendingLen > 0) p = this.#slow(chunk, 0, base, onLine, wanted, true);
    // Fast path: with byte needles, complete lines are only looked at where a needle occurs.
    if (wanted?.needles && this.#pendingLen === 0 && p < n) {
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl >= p) {
        this.#needleLines(chunk, p, lastNl, base, onLine, wanted);
        p = lastNl + 1;
      }
    }
    if (p < n) this.#slow(chunk, p, base, onLine, wanted, false);
    this.offset = base + n;
    if (this.#pendingLen === 0) this.lineStart = this.offset;
  }

  /** Lines in [from, lastNl] that contain a needle, in file order. */
  #needleLines(chunk: Buffer, from: number, lastNl: number, base: number, onLine: (line: TailLine) => void, wanted: LineFilter): void {
    const starts: number[] = [];
    for (const needle of wanted.needles!) {
      let i = chunk.indexOf(needle, from);
      while (i !== -1 && i < lastNl) {
        const s = chunk.lastIndexOf(10, i) + 1;
        starts.push(Math.max(s, from));
        const e = chunk.indexOf(10, i);
        i = chunk.indexOf(needle, e + 1);
      }
    }
    if (starts.length === 0) return;
    starts.sort((a, b) => a - b);
    const cap = this.limits.maxLineBytes;
    let prev = -1;
    for (const s of starts) {
      if (s === prev) continue;
      prev = s;
      const e = chunk.indexOf(10, s);
      const line = chunk.subarray(s, Math.min(e, s + cap));
      if (wanted(line)) onLine({ bytes: Buffer.from(line), offset: base + s, length: e - s });
    }
  }

  /** Line-by-line from `p`; with `firstOnly`, stop after the first newline. Returns where it stopped. */
  #slow(chunk: Buffer, p: number, base: number, onLine: (line: TailLine) => void, wanted: LineFilter | undefined, firstOnly: boolean): number {
    const cap = this.limits.maxLineBytes;
    const n = chunk.length;
    while (p < n) {
      const nl = chunk.indexOf(10, p);
      const end = nl === -1 ? n : nl;
      if (this.#pendingLen === 0 && nl !== -1 && end - p <= cap) {
        const line = chunk.subarray(p, end);
        if (!wanted || wanted(line)) onLine({ bytes: Buffer.from(line), offset: base + p, length: end - p });
      } else {
        const room = cap - this.#keptLen;
        if (room > 0 && end > p) {
          const part = Buffer.from(chunk.subarray(p, Math.min(end, p + room)));
          this.#kept.push(part);
          this.#keptLen += part.length;
        }
        if (this.#pendingLen === 0) this.lineStart = base + p;
        this.#pendingLen += end - p;
        if (nl !== -1) {
          const bytes = Buffer.concat(this.#kept);
          if (!wanted || wanted(bytes)) onLine({ bytes, offset: this.lineStart, length: this.#pendingLen });
          this.#kept = [];
          this.#keptLen = 0;
          this.#pendingLen = 0;
        }
      }
      if (nl === -1) return n;
      p = nl + 1;
      if (this.#pendingLen === 0) this.lineStart = base + p;
      if (firstOnly) return p;
    }
    return p;
  }
}
