import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AppError } from '../../../../src/errors';
import { createFolderSink, extractZipOrUndo, inspectZip, type ZipLimits, type ZipListing } from '../../../../src/packages/zip';
import { receiveUpload, removeUpload } from '../../../../src/packages/upload';

/** Generous limits, so that each refusal test trips exactly the rule it is about. */
export const LIMITS: ZipLimits = { maxEntries: 10_000, maxUncompressedBytes: 512 * 1024 * 1024, maxCompressionRatio: 100 };

/** A fresh folder under the OS temp dir for one test. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-zip-'));
}

/** Every file left under a folder (relative paths), to prove a refusal leaves nothing behind. */
export function leftovers(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile());
}

/** A raw upload request body as a readable with headers (what Express hands receiveUpload). */
export function rawRequest(body: Buffer, type = 'application/zip'): Readable & { headers: Record<string, string> } {
  return Object.assign(Readable.from([body]), { headers: { 'content-type': type, 'content-length': String(body.length) } });
}

export interface IntakeResult {
  listing: ZipListing;
  outDir: string;
}

/**
 * The whole intake as the courses engineer runs it: receive the body into tmp/, inspect, extract
 * into out/ with undo, always delete the upload. Throws what the intake throws.
 */
export async function intake(root: string, zip: Buffer, limits: ZipLimits = LIMITS): Promise<IntakeResult> {
  const upload = await receiveUpload(rawRequest(zip), { maxBytes: 1 << 30, tmpDir: path.join(root, 'tmp') });
  try {
    const listing = await inspectZip(upload.path, limits);
    const outDir = path.join(root, 'out');
    const { sink, undo } = createFolderSink(outDir);
    await extractZipOrUndo(upload.path, listing, sink, undo);
    return { listing, outDir };
  } finally {
    await removeUpload(upload);
  }
}

/** Runs the intake expecting a refusal; returns the AppError and checks nothing was left behind. */
export async function refused(zip: Buffer, limits: ZipLimits = LIMITS): Promise<AppError> {
  const root = tempDir();
  try {
    let caught: unknown;
    try {
      await intake(root, zip, limits);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeDefined();
    expect(leftovers(root)).toEqual([]);
    return caught as AppError;
  } finally {
    await fsp.rm(root, { recursive: true, force: true });
  }
}
