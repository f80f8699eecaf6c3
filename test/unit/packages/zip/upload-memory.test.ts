import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { tempDir } from './intake-helpers';
import { post, startUploadServer } from './upload-server';

const TOTAL = 200 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** A ~200 MB body made chunk by chunk (never held whole), with the SHA-256 it should have. */
function generatedBody(): { stream: Readable; expectedSha: () => string } {
  const hash = createHash('sha256');
  const template = Buffer.from(Array.from({ length: CHUNK }, (_, i) => (i * 131) % 256));
  let sent = 0;
  let n = 0;
  const stream = new Readable({
    read() {
      if (sent >= TOTAL) {
        this.push(null);
        return;
      }
      const chunk = Buffer.from(template);
      chunk.writeUInt32LE(n++, 0); // every chunk differs, so a mixed-up order would change the hash
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, expectedSha: () => hash.digest('hex') };
}

it('streams a 200 MB upload to disk while RSS stays flat', async () => {
  const root = tempDir();
  const server = await startUploadServer({ maxBytes: 1024 * 1024 * 1024, tmpDir: path.join(root, 'tmp') });
  try {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const body = generatedBody();
    const answer = await post(server.url, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, body.stream);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(answer.status).toBe(200);
    expect(answer.body.bytes).toBe(TOTAL);
    expect(answer.body.sha256).toBe(body.expectedSha());
    expect(fs.statSync(answer.body.path!).size).toBe(TOTAL);
    const growth = peak - baseline;
    // Buffering the body would grow RSS by >= 200 MB; streaming keeps it to socket/stream buffers
    // (plus whatever the worker's earlier test files left for the collector: 85 MB seen once).
    expect(growth).toBeLessThan(TOTAL / 2);
    process.stdout.write(`upload-memory: ${TOTAL / 1024 / 1024} MB streamed, RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB\n`);
  } finally {
    await server.close();
    await fsp.rm(root, { recursive: true, force: true });
  }
}, 180_000);
