import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { badRequest, payloadTooLarge } from '../../errors';

/**
 * Reads the whole request body as bytes, refusing more than `limit` bytes with 413 as soon as the
 * limit is passed (the rest is not buffered). Returns the body already read by the
 * alternate-request-syntax middleware when there is one.
 */
export async function readRawBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const pre = (res.locals as { rawBody?: Buffer }).rawBody;
  if (pre) {
    if (pre.length > limit) throw payloadTooLarge(`request body is larger than ${limit} bytes`);
    return pre;
  }
  return readBodyBytes(req, limit);
}

/**
 * Reads a request body of at most `limit` bytes (413 past it, checked against Content-Length
 * first and then while reading). Framework-free, for the statements fast lane too.
 */
export function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(payloadTooLarge(`request body is larger than ${limit} bytes`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(payloadTooLarge(`request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', () => {
      if (!failed) {
        failed = true;
        reject(badRequest('the request body could not be read'));
      }
    });
  });
}

/** The media type of a Content-Type header, lower-cased, without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
