/**
 * The ingest baseline: bare node:http plus better-sqlite3 inserts, no validation, no auth, no
 * framework. It does the least any LRS must do (read the body, parse JSON, give each statement an
 * id, write it durably in one transaction) so bench/ingest can print LearnHQ's rate as a ratio.
 * A benchmark tool only: it is not part of the service.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';

const dir = process.env['LEARNHQ_DATA_DIR'] ?? fs.mkdtempSync('/tmp/baseline-');
fs.mkdirSync(dir, { recursive: true });
const db = new Database(path.join(dir, 'baseline.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS statements (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, stored TEXT, json TEXT)');
const insert = db.prepare('INSERT INTO statements (id, stored, json) VALUES (?, ?, ?)');
const insertMany = db.transaction((items: Record<string, unknown>[]) => {
  const stored = new Date().toISOString();
  const ids: string[] = [];
  for (const s of items) {
    const id = typeof s['id'] === 'string' ? s['id'] : randomUUID();
    insert.run(id, stored, JSON.stringify({ ...s, id, stored }));
    ids.push(id);
  }
  return ids;
});

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    const items = (Array.isArray(body) ? body : [body]) as Record<string, unknown>[];
    const ids = insertMany(items);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(ids));
  });
});
server.listen(Number(process.env['PORT'] ?? 8090), process.env['HOST'] ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0); }));
