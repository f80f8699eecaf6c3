import fsp from 'node:fs/promises';
import busboy from 'busboy';
import { badRequest, unsupportedMediaType } from '../../errors';
import { startTempFile, tooLarge, type TempFileWrite } from './temp-file';
import type { ReceivedUpload, ReceiveUploadOptions, UploadRequest } from './types';

// XML: a cmi5 course structure may be imported without a zip (cmi5 14.0).
const RAW_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip', 'application/octet-stream', 'application/xml', 'text/xml']);
// Boundaries, part headers and a few small form fields beside the file.
const MULTIPART_OVERHEAD = 1024 * 1024;

function mediaTypeOf(req: UploadRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function declaredLength(req: UploadRequest): number | undefined {
  const raw = req.headers['content-length'];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Settles when the request body is gone for good: ended, errored or cut off. */
function watchInterruption(req: UploadRequest, onInterrupted: () => void): void {
  req.on('error', onInterrupted);
  req.on('close', () => {
    if (!req.readableEnded) onInterrupted();
  });
}

const interrupted = (): Error => badRequest('the upload was interrupted before the body ended');

async function receiveRaw(req: UploadRequest, file: TempFileWrite): Promise<{ bytes: number; sha256: string }> {
  watchInterruption(req, () => file.abort(interrupted()));
  // Not pipeline(): it would destroy the request (and its socket) on 413, and the client would get
  // a reset instead of the answer. pipe() unpipes on error and leaves the response usable.
  req.pipe(file.input);
  return file.done;
}

async function receiveMultipart(req: UploadRequest, file: TempFileWrite, setName: (n: string | undefined) => void): Promise<{ bytes: number; sha256: string }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 50, fieldSize: 64 * 1024, parts: 51, headerPairs: 100 } });
  } catch (err) {
    throw badRequest(`multipart upload is malformed: ${(err as Error).message}`);
  }
  let sawFile = false;
  const formClosed = new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => {
      req.unpipe(parser);
      file.abort(err);
      reject(err);
    };
    parser.on('file', (_field, stream, info) => {
      if (sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      setName(info.filename);
      stream.on('error', (err: Error) => fail(badRequest(`multipart upload is malformed: ${err.message}`)));
      stream.pipe(file.input);
    });
    parser.on('filesLimit', () => fail(badRequest('multipart upload has more than one file part; send exactly one')));
    parser.on('partsLimit', () => fail(badRequest('multipart upload has too many parts')));
    parser.on('fieldsLimit', () => fail(badRequest('multipart upload has too many fields')));
    parser.on('error', (err: Error) => fail(badRequest(`multipart upload is malformed: ${err.message}`)));
    parser.on('close', () => {
      if (!sawFile) fail(badRequest('multipart upload has no file part'));
      else resolve();
    });
    watchInterruption(req, () => fail(interrupted()));
  });
  // Whichever fails first decides; a 413 from the file stream must also stop the form parser.
  formClosed.catch(() => undefined);
  file.done.catch(() => req.unpipe(parser));
  req.pipe(parser);
  const [result] = await Promise.all([file.done, formClosed]);
  return result;
}

/**
 * Streams an upload to a new temp file under `tmpDir` without holding it in memory, hashing it on
 * the way. Accepts a raw body (application/zip, application/x-zip-compressed,
 * application/octet-stream, application/xml, text/xml) or multipart/form-data with exactly one file part (other text fields
 * are ignored). Errors: 415 for any other media type, 413 past `maxBytes` (reading stops, the
 * response carries Connection: close), 400 for a malformed or interrupted body. On any error the
 * temp file is deleted; on success the caller owns it and deletes it (removeUpload).
 */
export async function receiveUpload(req: UploadRequest, opts: ReceiveUploadOptions): Promise<ReceivedUpload> {
  const type = mediaTypeOf(req);
  const multipart = type === 'multipart/form-data';
  if (!multipart && !RAW_TYPES.has(type)) {
    throw unsupportedMediaType(`a course package is a zip (application/zip, application/octet-stream or multipart/form-data) or a cmi5 course structure (application/xml); Content-Type "${type || '(none)'}" is neither`);
  }
  const length = declaredLength(req);
  if (length !== undefined && length > opts.maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) throw tooLarge(opts.maxBytes);

  const file = await startTempFile(opts.tmpDir, opts.maxBytes);
  let filename: string | undefined;
  try {
    const { bytes, sha256 } = multipart ? await receiveMultipart(req, file, (n) => (filename = n)) : await receiveRaw(req, file);
    return { path: file.path, bytes, sha256, filename };
  } catch (err) {
    // Let the file stream settle first: a write stream destroyed before its open completes still
    // creates the file afterwards, so deleting earlier could leave it behind. (Every failure
    // above aborts the stream — and so does this, for failures before any byte, such as a missing
    // boundary — so this settles.) The file may also have completed before the form failed.
    file.abort(err instanceof Error ? err : new Error(String(err)));
    await file.done.catch(() => undefined);
    await fsp.rm(file.path, { force: true });
    throw err;
  }
}

/** Deletes a received upload; missing files are fine (idempotent). */
export async function removeUpload(upload: Pick<ReceivedUpload, 'path'>): Promise<void> {
  await fsp.rm(upload.path, { force: true });
}
