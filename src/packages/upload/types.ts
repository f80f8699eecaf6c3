import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** A request body to receive: an http.IncomingMessage (Express req) or any readable with headers. */
export type UploadRequest = Readable & { readonly headers: IncomingHttpHeaders };

/** Options of receiveUpload. */
export interface ReceiveUploadOptions {
  /** Largest file accepted, bytes; 413 above it (the temp file is deleted). */
  readonly maxBytes: number;
  /** Folder for the temp file (created when missing). */
  readonly tmpDir: string;
}

/** The received file. The caller owns `path` and must delete it when done (see removeUpload). */
export interface ReceivedUpload {
  /** Absolute path of the temp file holding the uploaded bytes. */
  readonly path: string;
  /** Number of bytes written. */
  readonly bytes: number;
  /** Hex SHA-256 of the bytes. */
  readonly sha256: string;
  /** File name given by a multipart part (never trusted as a path); undefined for a raw body. */
  readonly filename: string | undefined;
}
