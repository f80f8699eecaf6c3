import { randomUUID } from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { createApp } from '../../../src/app';
import { testConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import type { NewStatement, Store } from '../../../src/store/ports';
import { statementRefs } from '../../../src/xapi/model/refs';
import { PUBLIC_URL } from '../../helpers/report-fixture';

/**
 * The explorer's export of 100,000 statements streams with flat memory: the process's heap and
 * buffers grow by far less than the size of what it sends (a page of 1,000 at a time).
 */
const COUNT = 100_000;
jest.setTimeout(600_000);

describe('statement export memory', () => {
  let store: Store;
  let server: Server;
  let stopPipeline: () => Promise<void> = async () => undefined;
  let cookie = '';
  const org = `org-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    await store.accounts.insertOrganization({ id: org, slug: org, name: 'Big Library', kind: 'member', createdAt: '2030-01-01T00:00:00.000Z' });
    const learner = 'learner-1';
    await store.accounts.insertUser({ id: learner, email: 'l@example.org', name: 'Lee Learner', isSiteAdmin: false, shareEmail: false, createdAt: '2030-01-01T00:00:00.000Z', failedSignIns: 0 });
    await store.accounts.insertMembership({ userId: learner, orgId: org, role: 'learner', createdAt: '2030-01-01T00:00:00.000Z' });
    await store.accounts.insertUser({ id: 'analyst-1', email: 'a@example.org', name: 'Ana', passwordHash: await hashSecret('correct horse battery'), isSiteAdmin: false, shareEmail: false, createdAt: '2030-01-01T00:00:00.000Z', failedSignIns: 0 });
    await store.accounts.insertMembership({ userId: 'analyst-1', orgId: org, role: 'analyst', createdAt: '2030-01-01T00:00:00.000Z' });
    const note = 'Notes the learner typed into the reflection box. '.repeat(20);
    const t0 = Date.parse('2030-01-01T00:00:00.000Z');
    for (let i = 0; i < COUNT; i += 2000) {
      const batch: NewStatement[] = [];
      for (let j = i; j < Math.min(COUNT, i + 2000); j++) {
        const stored = new Date(t0 + j * 1000).toISOString();
        const s = {
          id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: learner } },
          verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
          object: { objectType: 'Activity', id: `${PUBLIC_URL}/q/${j % 50}`, definition: { name: { 'en-US': `Question ${j % 50}` } } },
          result: { response: note, success: j % 2 === 0, duration: 'PT20S' }, timestamp: stored, stored, version: '1.0.0',
          authority: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: 'lrs' } },
        };
        batch.push({ id: s.id, stored, statement: s, refs: [...statementRefs(s), `g|${org}`] });
      }
      await store.statements.insertStatements(batch, []);
    }
    const { listener, pipeline } = createApp({ config: testConfig({ publicUrl: PUBLIC_URL, sessionSecret: 'x'.repeat(40), demo: false }), store, logger: createLogger('silent'),
      // The export reads statements, not projections: no subscriber replays the 100,000 meanwhile.
      compose: { start: false } });
    stopPipeline = () => pipeline.stop();
    server = createServer(listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const res = await request(server).post('/api/session').send({ email: 'a@example.org', password: 'correct horse battery' });
    cookie = ((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('lhq_session=')) ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await stopPipeline();
    await store.close();
  });

  for (const format of ['ndjson', 'csv'] as const) {
    it(`streams ${COUNT} statements as ${format} without holding them`, async () => {
      // What stays reachable: heap and buffers right after a full collection, sampled through the export.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const used = (): number => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const base = used();
      let peak = base;
      // A forced full collection per sample, paced by its own cost: the next sample waits four times
      // as long as this one took (at least 250 ms), so collections never take more than a fifth of
      // the time even on a worker whose heap earlier files left big (a fixed 100 ms interval turned
      // the export into nothing but garbage collection there).
      let sampling = true;
      let timer: NodeJS.Timeout | undefined;
      const sample = (): void => {
        if (!sampling) return;
        const t0 = Date.now();
        peak = Math.max(peak, used());
        timer = setTimeout(sample, Math.max(250, 4 * (Date.now() - t0)));
      };
      timer = setTimeout(sample, 250);
      const port = (server.address() as AddressInfo).port;
      let bytes = 0;
      let lines = 0;
      let firstLine = '';
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: `/api/reports/statements/export?format=${format}`, headers: { cookie } }, (res) => {
          if (res.statusCode !== 200) { reject(new Error(`status ${res.statusCode}`)); return; }
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (const b of chunk) if (b === 10) lines += 1;
            if (firstLine === '') firstLine = chunk.toString('utf8').split('\n')[0] ?? '';
          });
          res.on('end', resolve);
          res.on('error', reject);
        }).on('error', reject);
      });
      sampling = false;
      clearTimeout(timer);
      const growth = peak - base;
      console.log(`export ${format}: ${COUNT} statements, ${(bytes / 1e6).toFixed(1)} MB sent, heap+buffers retained grew at most ${(growth / 1e6).toFixed(1)} MB`);
      expect(lines).toBe(format === 'csv' ? COUNT + 1 : COUNT);
      if (format === 'ndjson') expect(JSON.parse(firstLine)).toMatchObject({ verb: { id: 'http://adlnet.gov/expapi/verbs/answered' } });
      else expect(firstLine).toMatch(/^id,stored,timestamp,actor,verb/);
      expect(bytes).toBeGreaterThan(100e6);
      // Holding the result would take at least its size; a page at a time stays far below it.
      expect(growth).toBeLessThan(bytes / 10);
    });
  }
});
