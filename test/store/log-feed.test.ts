/**
 * The SQLite log feed (src/store/sqlite/log-feed.ts, PipelineStore.watchAppends): what it hands
 * the pipeline's log window after a commit must be exactly what findLog reads back for the same
 * seqs — fields, organizations, voided flags, the statement object — on the service's connection
 * and through the writer thread; an erasure under way stops it; and a window fed by it serves the
 * runners' pages as findLog would, without reading the log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import request from 'supertest';
import { hashSecret } from '../../src/accounts/secret-hash';
import { LogWindow } from '../../src/pipeline/log-window';
import { openStore } from '../../src/store';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { LogAppend, LogEntry, NewStatement, Store } from '../../src/store/ports';
import { createTestApp } from '../helpers/test-app';
import { statement, unique } from './contract/builders';

const ALL = 1_000_000;

/** findLog for the seqs of an append. */
const readBack = (store: Store, a: LogAppend): Promise<LogEntry[]> => store.pipeline.findLog({ afterSeq: a.afterSeq, upToSeq: a.upToSeq, limit: ALL });

/** A statement owned by these organizations (g| keys, duplicates and order as a service might give them). */
function owned(orgs: readonly string[], spec: Parameters<typeof statement>[0] = {}): NewStatement {
  const s = statement(spec);
  return { ...s, refs: [...s.refs, ...orgs.map((o) => `g|${o}`)] };
}

const STORES: [string, (dir: string) => Promise<Store>][] = [
  ['in memory (the service connection)', () => openStore({ kind: 'sqlite', path: ':memory:' })],
  ['on a file, every insert through the writer thread', (dir) => openSqliteStore({ path: path.join(dir, 'a.sqlite'), threadBatchMin: 1 })],
  ['on a file, small inserts on the service connection', (dir) => openStore({ kind: 'sqlite', path: path.join(dir, 'b.sqlite') })],
];

describe.each(STORES)('the SQLite log feed, %s', (_name, open) => {
  let dir: string;
  let store: Store;
  let appends: LogAppend[];
  let stop: () => void;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-log-feed-'));
    store = await open(dir);
    appends = [];
    stop = store.pipeline.watchAppends!((a) => appends.push(a));
  });
  afterEach(async () => {
    stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Inserts one batch and returns its append, compared with findLog right after the commit. */
  async function insert(batch: readonly NewStatement[], attachments: Parameters<Store['statements']['insertStatements']>[1] = []): Promise<LogAppend> {
    const before = appends.length;
    const res = await store.statements.insertStatements(batch, attachments);
    expect(appends).toHaveLength(before + 1);
    const a = appends[before]!;
    expect(a.upToSeq).toBe(res.lastSeq);
    expect(a.entries.map((e) => e.statement.id)).toEqual(batch.map((s) => s.id));
    expect(a.entries).toStrictEqual(await readBack(store, a));
    return a;
  }

  it('hands over each committed batch as findLog reads it: organizations, stored, voiding, attachments', async () => {
    const [a, b, c] = [unique('org-b'), unique('org-a'), unique('org-c')];
    const first = await insert([owned([a, b, a]), owned([]), owned([c])]);
    expect(first.afterSeq).toBe(0);
    expect(first.entries[0]!.orgIds).toEqual([a, b].sort());
    expect(first.entries[1]!.orgIds).toEqual([]);

    // Contiguous: each append starts where the last ended.
    const second = await insert([owned([b])]);
    expect(second.afterSeq).toBe(first.upToSeq);

    // A stored time behind the last one is raised (the JSON's stored with it); one without
    // milliseconds is written with them.
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    await insert([owned([a], { stored: ahead })]);
    const behind = await insert([owned([a], { stored: new Date(Date.now() - 3_600_000).toISOString() })]);
    expect(behind.entries[0]!.statement.stored).toBe(ahead);
    expect(behind.entries[0]!.statement.statement['stored']).toBe(ahead);
    const noMillis = owned([], { stored: '2999-01-01T00:00:00Z' });
    const later = await insert([noMillis]);
    expect(later.entries[0]!.statement.stored).toBe('2999-01-01T00:00:00.000Z');

    // Voiding a statement stored earlier: the append names it; findLog now shows it voided.
    const target = first.entries[1]!.statement;
    const voids = await insert([owned([a], { voids: target.id })]);
    expect(voids.voidedSeqs).toEqual([target.seq]);
    expect((await store.pipeline.findLog({ afterSeq: target.seq - 1, upToSeq: target.seq, limit: 1 }))[0]!.statement.voided).toBe(true);

    // Voiding within one batch, and a voiding statement that arrived before its target.
    const x = owned([c]);
    const same = await insert([x, owned([c], { voids: x.id })]);
    expect(same.entries[0]!.statement.voided).toBe(true);
    expect(same.voidedSeqs).toEqual([]);
    const yId = randomUUID();
    await insert([owned([], { voids: yId })]);
    const y = await insert([owned([a], { id: yId })]);
    expect(y.entries[0]!.statement.voided).toBe(true);

    // A statement declaring an attachment, with its content.
    const content = Buffer.from('attached');
    const sha2 = createHash('sha256').update(content).digest('hex');
    const withFile = owned([b]);
    const declared = { ...withFile, statement: { ...withFile.statement, attachments: [{ usageType: 'http://example.com/u', display: { 'en-US': 'f' }, contentType: 'text/plain', length: content.length, sha2 }] } };
    await insert([declared], [{ sha2, contentType: 'text/plain', content }]);
  });

  it('feeds a window that then serves any page as findLog would, without reading the log', async () => {
    const window = new LogWindow(store, 5000);
    const feed = store.pipeline.watchAppends!((a) => window.append(a));
    const org = unique('org');
    const ids: string[] = [];
    // Sequential and concurrent batches (one group commit), with voidings across them.
    for (let round = 0; round < 6; round++) {
      const batches = Array.from({ length: 4 }, (_, i) => Array.from({ length: 1 + ((round + i) % 5) }, () => owned(i % 2 ? [org] : [])));
      if (ids.length > 2) batches.push([owned([org], { voids: ids[round]! })]);
      await Promise.all(batches.map((b) => store.statements.insertStatements(b, [])));
      for (const b of batches) for (const s of b) ids.push(s.id);
    }
    feed();
    const horizon = await store.statements.findVisibleSeq();
    expect(horizon).toBeGreaterThan(30);
    const spy = jest.spyOn(store.pipeline, 'findLog');
    for (const [afterSeq, limit] of [[0, 7], [0, ALL], [3, 10], [horizon - 5, 2], [horizon - 1, 500]] as const) {
      const page = await window.page(afterSeq, limit);
      // Served from the window: it never read the log itself.
      expect(spy).not.toHaveBeenCalled();
      const expected = await store.pipeline.findLog({ afterSeq, upToSeq: horizon, limit });
      spy.mockClear();
      expect(page.entries).toStrictEqual(expected);
      if (page.entries.length < limit) expect(page.horizon).toBe(horizon);
    }
    spy.mockRestore();
  });

  it('does not hand over a batch whose commit an erasure may have overtaken', async () => {
    const s = owned([]);
    const inserting = store.statements.insertStatements([s], []);
    const erasing = store.statements.deleteStatementsWithRef(`v|${randomUUID()}`);
    await Promise.all([inserting, erasing]);
    expect(appends).toEqual([]);
    // The next one is handed over again.
    await insert([owned([])]);
  });

  it('stops when the listener stops', async () => {
    stop();
    await store.statements.insertStatements([owned([])], []);
    expect(appends).toEqual([]);
  });
});

describe('the SQLite log feed behind the LRS', () => {
  it('gives the statement object the LRS stored, as findLog parses it', async () => {
    const t = await createTestApp();
    const appends: LogAppend[] = [];
    const stop = t.store.pipeline.watchAppends!((a) => appends.push(a));
    try {
      const orgId = unique('org');
      await t.store.accounts.insertOrganization({ id: orgId, slug: orgId, name: 'Org', kind: 'both', createdAt: new Date().toISOString() });
      const key = unique('key');
      const secret = 'feed-secret-123';
      await t.store.credentials.insertCredential({
        key, secretHash: await hashSecret(secret), name: 'org', scopes: ['all'], orgId,
        authority: { objectType: 'Agent', name: 'org', account: { homePage: 'http://learnhq.test', name: key } }, createdAt: new Date().toISOString(),
      });
      const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
      const post = (body: unknown, as = auth) =>
        request(t.app).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Content-Type', 'application/json').set('Authorization', as).send(JSON.stringify(body));
      const actor = { objectType: 'Agent', name: 'Zoë', mbox: `mailto:${randomUUID()}@example.com` };
      const statements = [
        {
          actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
          object: { id: 'http://example.com/a/1', definition: { name: { 'en-US': 'One' }, extensions: { 'http://example.com/x': { n: 1.5, big: 1e21, list: [null, true, '\u2028'] } } } },
          result: { score: { scaled: 0.5, raw: 50, min: 0, max: 100 }, success: true, completion: true, duration: 'PT1M' },
          context: { registration: randomUUID(), contextActivities: { parent: [{ id: 'http://example.com/c' }] }, extensions: { 'http://example.com/e': {} } },
          timestamp: '2024-05-01T10:00:00.123456Z',
          attachments: [{ usageType: 'http://example.com/u', display: { 'en-US': 'f' }, contentType: 'text/plain', length: 3, sha2: 'a'.repeat(64), fileUrl: 'http://example.com/f.txt' }],
        },
        { actor, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { objectType: 'SubStatement', actor, verb: { id: 'http://example.com/v' }, object: { id: 'http://example.com/a/2' } } },
      ];
      const res = await post(statements);
      expect(res.status).toBe(200);
      const [firstId] = res.body as string[];
      const voided = await post({ actor, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: firstId } });
      expect(voided.status).toBe(200);
      const site = await post(statements.map((s) => ({ ...s, id: randomUUID() })), t.auth);
      expect(site.status).toBe(200);

      expect(appends.length).toBeGreaterThanOrEqual(3);
      const fed = appends.flatMap((a) => a.entries);
      const seqs = fed.map((e) => e.statement.seq);
      const read = await t.store.pipeline.findLog({ afterSeq: Math.min(...seqs) - 1, upToSeq: Math.max(...seqs), limit: ALL });
      // The voiding came later: the first append still shows the statement as it was committed,
      // and the voiding statement's append names it.
      const voiding = appends.find((a) => a.voidedSeqs.length > 0)!;
      const firstSeq = fed.find((e) => e.statement.id === firstId)!.statement.seq;
      expect(voiding.voidedSeqs).toEqual([firstSeq]);
      const asNow = fed.map((e) => (e.statement.seq === firstSeq ? { ...e, statement: { ...e.statement, voided: true } } : e));
      expect(asNow).toStrictEqual(read);
      expect(JSON.stringify(asNow)).toBe(JSON.stringify(read));
      expect(read.filter((e) => e.orgIds.includes(orgId))).toHaveLength(3);
    } finally {
      stop();
      await t.close();
    }
  });
});
