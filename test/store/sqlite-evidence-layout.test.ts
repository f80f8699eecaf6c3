/**
 * A SQLite file with evidence in the layout before ADR 0035 (JSON summaries, an index per key of
 * the evidence rows): opening it drops the evidence indexes it no longer needs and adds the plain
 * columns; the store reports the old layout, the evidence subscriber asks for a rebuild at its
 * first batch, and the rebuild's reset leaves only what the statement log gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { competencyEvidenceSubscriber } from '../../src/competency/evidence-subscriber';
import { composeServices } from '../../src/compose';
import { testConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { storeStatements } from '../../src/xapi/statements/write-service';
import { PUBLIC_URL, addOrg, settle } from '../helpers/report-fixture';

jest.setTimeout(120_000);

it('moves an old evidence layout to the new one through a rebuild of the projection', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhq-evidence-layout-'));
  const file = path.join(dir, 'lrs.sqlite');
  try {
    // The tables as the keyed-record code of ADR 0021 made them, with one piece of evidence and its summary.
    const old = new Database(file);
    old.exec(`CREATE TABLE rec_comp_evidence (id TEXT PRIMARY KEY, user_id, statement_id, alignment_id, item_key, org_id, json TEXT NOT NULL)`);
    for (const k of ['user_id', 'statement_id', 'alignment_id', 'item_key', 'org_id']) old.exec(`CREATE INDEX rec_comp_evidence_${k} ON rec_comp_evidence (${k})`);
    old.exec(`CREATE TABLE rec_comp_summary (id TEXT PRIMARY KEY, user_id, json TEXT NOT NULL)`);
    old.exec(`CREATE INDEX rec_comp_summary_user_id ON rec_comp_summary (user_id)`);
    const e = { id: 's-gone|al', userId: 'u1', orgId: 'o1', frameworkId: 'fw', itemIdentifier: 'i1', level: 1, statementId: 's-gone', alignmentId: 'al', activityId: 'https://x.example/a', at: '2030-01-01T00:00:00.000Z' };
    old.prepare('INSERT INTO rec_comp_evidence VALUES (?, ?, ?, ?, ?, ?, ?)').run(e.id, 'u1', 's-gone', 'al', 'fw|i1', 'o1', JSON.stringify(e));
    const summary = { userId: 'u1', frameworkId: 'fw', itemIdentifier: 'i1', count: 1, levels: [{ level: 1, count: 1, latestAt: e.at, expiresAt: null }], latest: [e] };
    old.prepare('INSERT INTO rec_comp_summary VALUES (?, ?, ?)').run('u1|fw|i1', 'u1', JSON.stringify(summary));
    old.close();

    const store = await openSqliteStore({ path: file });
    const check = new Database(file, { readonly: true });
    const indexes = (check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rec_comp_evidence'`).all() as { name: string }[]).map((r) => r.name).sort();
    const columns = (check.prepare('PRAGMA table_info(rec_comp_evidence)').all() as { name: string }[]).map((r) => r.name);
    check.close();
    expect(indexes).toEqual(['rec_comp_evidence_alignment_id', 'rec_comp_evidence_org_id', 'rec_comp_evidence_user_id', 'sqlite_autoindex_rec_comp_evidence_1']);
    expect(columns).toEqual(expect.arrayContaining(['item_key']));
    expect(await store.competency.findEvidenceLayoutStale()).toBe(true);
    // The old rows still read as they are until the rebuild.
    expect(await store.competency.findEvidence({ userId: 'u1' })).toEqual([e]);

    const base = { config: testConfig({ publicUrl: PUBLIC_URL }), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
    const { services, pipeline } = composeServices(base, { subscribers: [(x) => competencyEvidenceSubscriber(x, { cacheMs: 0, attainments: false, badges: false })], forwarding: false, pipeline: { pollMs: 50 } });
    try {
      const orgId = await addOrg(store);
      const auth = { credentialKey: 'test', name: 'tool', scopes: new Set(['all']), authority: { objectType: 'Agent', mbox: 'mailto:tool@example.org' }, orgId };
      const st = { id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: 'u1' } }, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, object: { objectType: 'Activity', id: 'https://x.example/b' } };
      await storeStatements(services, { body: { json: [st] as never, parts: new Map(), multipart: false }, version: '1.0.3', auth });
      // The first batch asks for the rebuild; the runner then resets and replays.
      const deadline = Date.now() + 60_000;
      while (await store.competency.findEvidenceLayoutStale()) {
        if (Date.now() > deadline) throw new Error(`no rebuild: ${JSON.stringify(await pipeline.status())} ${JSON.stringify(await store.pipeline.findCursor('competency-evidence'))}`);
        await settle(pipeline);
        // Timers must run (the runner looks for rebuild requests on its poll timer).
        await new Promise((r) => setTimeout(r, 50));
      }
      await settle(pipeline);
      expect((await store.pipeline.findCursor('competency-evidence'))?.rebuildRequestedAt).toBeUndefined();
      expect(await store.competency.findEvidence({ userId: 'u1' })).toEqual([]);
      expect(await store.competency.findEvidenceSummaries('u1')).toEqual([]);
    } finally {
      await pipeline.stop();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
