import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { isAppError } from '../../../../src/errors';
import { receiveUpload, type ReceivedUpload, type ReceiveUploadOptions } from '../../../../src/packages/upload';

/** An HTTP server whose only handler is receiveUpload; it remembers each outcome. */
export interface UploadServer {
  url: string;
  outcomes: Promise<ReceivedUpload>[];
  close(): Promise<void>;
}

export async function startUploadServer(opts: ReceiveUploadOptions): Promise<UploadServer> {
  const outcomes: Promise<ReceivedUpload>[] = [];
  const server = http.createServer((req, res) => {
    const outcome = receiveUpload(req, opts);
    outcomes.push(outcome);
    outcome.then(
      (up) => res.end(JSON.stringify(up)),
      (err: unknown) => {
        const status = isAppError(err) ? err.status : 500;
        res.writeHead(status, { 'content-type': 'application/json', ...(isAppError(err) ? err.headers : {}) });
        res.end(JSON.stringify({ error: isAppError(err) ? err.code : 'internal', message: (err as Error).message }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    outcomes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: string; message?: string } & Partial<ReceivedUpload>;
}

/** POSTs a body (buffer or stream) and reads the JSON answer; a reset after the answer is fine. */
export function post(url: string, headers: Record<string, string>, body: Buffer | Readable): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      res.on('error', reject);
    });
    // The server may answer 413 and close while we are still sending: that is the point.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** A multipart/form-data body from parts; a part with `filename` is a file part. */
export function multipartBody(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[], boundary = 'lhq-boundary-42'): { body: Buffer; type: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.type !== undefined ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}
