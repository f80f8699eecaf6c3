import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ZipEntrySink } from './types';

/** A sink that writes entries under one folder, and the undo that removes that folder. */
export interface FolderSink {
  readonly sink: ZipEntrySink;
  /** Removes the whole folder (for extractZipOrUndo's undo). */
  readonly undo: (startedPaths: readonly string[]) => Promise<void>;
}

/**
 * Writes each entry to `rootDir/<entry path>`. `rootDir` must be a new folder owned by this
 * extraction (it is created; undo removes it entirely). Files are opened with `wx`, so an entry
 * never overwrites another. Entry paths come from inspectZip and are already safe; the check
 * against `rootDir` is a second lock on the same door.
 */
export function createFolderSink(rootDir: string): FolderSink {
  const root = path.resolve(rootDir);
  // A recursive mkdir per file costs a syscall per path segment; packages repeat their folders.
  const made = new Set<string>();
  const sink = async (entryPath: string, stream: Readable): Promise<void> => {
    const target = path.resolve(root, entryPath);
    if (!target.startsWith(root + path.sep)) throw new Error(`entry path escapes the folder: ${entryPath}`);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await fsp.mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await pipeline(stream, fs.createWriteStream(target, { flags: 'wx' }));
  };
  const undo = async (): Promise<void> => {
    await fsp.rm(root, { recursive: true, force: true });
  };
  return { sink, undo };
}
