import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

const WINDOW = 256 * 1024;
const WINDOWS = 4;

interface Window {
  start: number;
  bytes: Buffer;
}

/**
 * yauzl reader that serves its many small reads (46 bytes per central record, 30 per local header,
 * then the names) from a few read-ahead windows, instead of one thread-pool round trip each: that
 * made a 5,000-entry archive take seconds to list. Several windows, because inspectZip alternates
 * between the central directory (at the end) and the local headers (from the start).
 */
export class CachedFileReader extends yauzl.RandomAccessReader {
  /** Most recently used first. */
  private windows: Window[] = [];

  constructor(
    private readonly filePath: string,
    private readonly file: FileHandle,
    private readonly fileSize: number,
  ) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    const hit = this.windows.findIndex((w) => position >= w.start && position + length <= w.start + w.bytes.length);
    if (hit >= 0) {
      const w = this.windows[hit]!;
      if (hit > 0) this.windows = [w, ...this.windows.filter((x) => x !== w)];
      w.bytes.copy(buffer, offset, position - w.start, position - w.start + length);
      process.nextTick(callback, null, length);
      return;
    }
    const size = Math.max(0, Math.min(Math.max(length, WINDOW), this.fileSize - position));
    const next = Buffer.allocUnsafe(size);
    this.file.read(next, 0, size, position).then(
      ({ bytesRead }) => {
        const bytes = next.subarray(0, bytesRead);
        this.windows = [{ start: position, bytes }, ...this.windows.slice(0, WINDOWS - 1)];
        const n = Math.min(length, bytesRead);
        bytes.copy(buffer, offset, 0, n);
        callback(null, n);
      },
      (err: Error) => callback(err),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream(this.filePath, { start, end: end - 1 });
  }

  override close(callback: (err: Error | null) => void): void {
    this.windows = [];
    this.file.close().then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }
}
