import { createHash, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../errors';
import { pipeToNewFile } from '../../store/files/new-file';

/** 413 with Connection: close, so the server stops reading the rest of an oversized body. */
export function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `upload is larger than the limit of ${maxBytes} bytes (LEARNHQ_MAX_UPLOAD_BYTES)`, { Connection: 'close' });
}

/** Counts and hashes the bytes going by; fails with 413 on the first byte past the limit. */
class CountingHash extends Transform {
  bytes = 0;
  readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      cb(tooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

/**
 * A temp file being written: pipe the body into `input`; `done` settles once the file is complete
 * (or failed — then the file is already deleted); `abort(err)` stops it with that error.
 */
export interface TempFileWrite {
  readonly path: string;
  readonly input: Transform;
  readonly done: Promise<{ bytes: number; sha256: string }>;
  abort(err: Error): void;
}

/** Creates the temp file (mode 0600, never an existing one) and the stream that fills it. */
export async function startTempFile(tmpDir: string, maxBytes: number): Promise<TempFileWrite> {
  await fsp.mkdir(tmpDir, { recursive: true });
  const filePath = path.resolve(tmpDir, `upload-${randomUUID()}.zip`);
  const counter = new CountingHash(maxBytes);
  const done = pipeToNewFile(counter, filePath, 0o600).then(() => ({ bytes: counter.bytes, sha256: counter.hash.digest('hex') }));
  return {
    path: filePath,
    input: counter,
    done,
    abort: (err) => {
      counter.destroy(err);
    },
  };
}

/**
 * Deletes the temp upload files under `tmpDir` last written before `before` (ms since the epoch):
 * what an upload left when its process was killed. Returns their names; a missing folder is none.
 */
export async function removeStaleTempFiles(tmpDir: string, before: number): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(tmpDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!/^upload-[0-9a-f-]+\.zip$/.test(name)) continue;
    const p = path.join(tmpDir, name);
    const s = await fsp.stat(p).catch(() => undefined);
    if (!s || s.mtimeMs >= before) continue;
    await fsp.rm(p, { force: true });
    removed.push(name);
  }
  return removed;
}
