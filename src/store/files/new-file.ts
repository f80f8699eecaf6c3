import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes `source` to a new file at `filePath` (never over an existing one). Settles only once the
 * file stream has closed; on failure the file is deleted first. pipeline() alone settles as soon
 * as the source fails (its 'error' counts twice), before the file stream has closed: its open may
 * still be in flight and would create the file after a delete.
 */
export async function pipeToNewFile(source: Readable, filePath: string, mode?: number): Promise<void> {
  const out = fs.createWriteStream(filePath, { flags: 'wx', ...(mode !== undefined ? { mode } : {}) });
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  try {
    await pipeline(source, out);
    await closed;
  } catch (err) {
    out.destroy();
    await closed;
    await fsp.rm(filePath, { force: true });
    throw err;
  }
}
