/**
 * A file attached to a self-report (issue 18): a certificate or an attendance confirmation, as a
 * PDF or an image. The type is judged by the bytes (the name and the Content-Type header prove
 * nothing), the size is bounded, and the file lives in the package file store (a folder, or GridFS
 * with MongoDB) under the `self-reports/` file set, which the content origin never serves and the
 * orphan sweep leaves alone. Only the person and those who may decide the report (their
 * organization's administrators, their manager) read it back; everyone else gets 404.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { openFileStore } from '../store/files';
import { NON_PACKAGE_FILE_SETS } from '../store/files/paths';
import type { FileRead, FileStore, SelfReport, SelfReportAttachment } from '../store/ports';
import { mayApprove } from './opportunities';

/** The file set of self-report files (first path segment in the file store). */
export const SELF_REPORT_FILE_SET = NON_PACKAGE_FILE_SETS[0]!;
/** Largest attachment, bytes. */
export const MAX_SELF_REPORT_FILE_BYTES = 10 * 1024 * 1024;

/** The media types accepted, each recognized by its leading bytes. */
const SIGNATURES: readonly { readonly type: string; readonly test: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** The media type of a file's bytes, or undefined when it is none of the accepted ones. */
export function sniffAttachmentType(bytes: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.test(bytes))?.type;
}

const opened = new WeakMap<AppServices['config'], Promise<FileStore>>();

/** The app's file store: the one main.ts gave, else one opened from the configuration (once per config). */
export function fileStoreOf(s: AppServices): Promise<FileStore> {
  const given = (s as AppServices & { files?: FileStore }).files;
  if (given) return Promise.resolve(given);
  let p = opened.get(s.config);
  if (!p) {
    p = openFileStore(s.config);
    opened.set(s.config, p);
  }
  return p;
}

/** Reads a request body up to `max` bytes; 413 past it (the rest is not read). */
export async function readBody(req: Request, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.unpipe();
      req.resume();
      throw new AppError('payload_too_large', `the file is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A file name safe to show and to put in Content-Disposition: its last segment, printable, at most 120 characters. */
export function cleanFileName(raw: string | undefined, type: string): string {
  const ext = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' }[type] ?? 'bin';
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[^\w .()-]+/g, '_').trim().slice(0, 120);
  return base !== '' ? base : `attachment.${ext}`;
}

/**
 * Attaches (or replaces) the file of the person's own pending report. 404 for anyone else's
 * report; 409 once decided; 415 when the bytes are not a PDF or an image; 400 when empty.
 */
export async function attachSelfReportFile(s: AppServices, user: UserContext, id: string, bytes: Buffer, fileName: string | undefined): Promise<SelfReport> {
  const r = await s.store.learning.findSelfReport(id);
  if (!r || r.userId !== user.userId) throw notFound(`no self-report ${id}`);
  if (r.state !== 'pending') throw conflict(`self-report ${id} was already ${r.state}`);
  if (bytes.length === 0) throw badRequest('the file is empty');
  const type = sniffAttachmentType(bytes);
  if (!type) throw new AppError('unsupported_media_type', 'attach a PDF or an image (PNG, JPEG, GIF, WebP)');
  const files = await fileStoreOf(s);
  // One folder per file, so deleteTree removes exactly it.
  const folder = `${SELF_REPORT_FILE_SET}/${r.id}/${randomUUID()}`;
  const path = `${folder}/file`;
  await files.put(path, Readable.from([bytes]), type);
  const attachment: SelfReportAttachment = { path, fileName: cleanFileName(fileName, type), contentType: type, size: bytes.length, attachedAt: s.now().toISOString() };
  const next: SelfReport = { ...r, attachment };
  // decideSelfReport replaces a report only while it is pending: a decision taken meanwhile wins.
  if (!(await s.store.learning.decideSelfReport(next))) {
    await files.deleteTree(folder).catch(() => undefined);
    throw conflict(`self-report ${id} was decided meanwhile`);
  }
  // The file it replaces, if any, is no longer named anywhere.
  if (r.attachment) await files.deleteTree(r.attachment.path.replace(/\/file$/, '')).catch(() => undefined);
  return next;
}

/** The attachment of a report for its person or those who may decide it; 404 for everyone else and when there is none. */
export async function readSelfReportFile(s: AppServices, user: UserContext, id: string): Promise<{ readonly attachment: SelfReportAttachment; readonly file: FileRead }> {
  const r = await s.store.learning.findSelfReport(id);
  const member = r !== undefined && (user.isSiteAdmin || (user.roles.get(r.orgId)?.size ?? 0) > 0);
  if (!r || !member) throw notFound(`no self-report ${id}`);
  if (r.userId !== user.userId && !(await mayApprove(s, user, r))) throw notFound(`no self-report ${id}`);
  if (!r.attachment) throw notFound(`self-report ${id} has no file`);
  const file = await (await fileStoreOf(s)).get(r.attachment.path);
  if (!file) throw notFound(`self-report ${id} has no file`);
  return { attachment: r.attachment, file };
}
