import { randomBytes } from 'node:crypto';

/** A part to write: headers in order (name → value) and its bytes. */
export interface OutgoingPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

/** A fresh boundary: random, token characters only, so it never needs quoting. */
export function newBoundary(): string {
  return `lhq${randomBytes(18).toString('hex')}`;
}

/**
 * Serialises a multipart/mixed body: "--b CRLF headers CRLF CRLF body CRLF" per part and
 * "--b--" at the end. The caller picks a boundary that cannot occur in the parts (random).
 */
export function writeMultipart(parts: readonly OutgoingPart[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = Object.entries(p.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`, 'utf8'));
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
