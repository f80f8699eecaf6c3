/**
 * Issue 14 (ADR 0036): when the statement behind a piece of evidence is voided and the person's
 * remaining evidence no longer reaches the level, the attainment statement LearnHQ wrote for it is
 * voided in the LRS too, by LearnHQ's own authority, once: a retry or a rebuild of the projection
 * from seq 0 stores no second voiding. With the evidence subscriber on a running pipeline, on both
 * engines.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { attainmentIdOf, attainmentVoidingIdOf, voidLostAttainments } from '../../src/competency/attainment';
import { competencyEvidenceSubscriber } from '../../src/competency/evidence-subscriber';
import { importPackage } from '../../src/competency/frameworks';
import { composeServices } from '../../src/compose';
import { testConfig } from '../../src/config';
import type { AppServices } from '../../src/deps';
import { createLogger } from '../../src/logger';
import type { Pipeline } from '../../src/pipeline/engine';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import type { Evidence, Store } from '../../src/store/ports';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { storeStatements } from '../../src/xapi/statements/write-service';
import { casePackage } from '../fixtures/case-package';
import { PUBLIC_URL, addOrg, addUser, settle } from '../helpers/report-fixture';

jest.setTimeout(120_000);

const PASSED = { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed' } };

function suite(open: () => Promise<Store>): void {
  let store: Store;
  let s: AppServices;
  let pipeline: Pipeline;
  let orgId: string;
  beforeAll(async () => {
    store = await open();
    const base = { config: testConfig({ publicUrl: PUBLIC_URL }), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
    ({ services: s, pipeline } = composeServices(base, { subscribers: [(x) => competencyEvidenceSubscriber(x, { cacheMs: 0 })], forwarding: false, pipeline: { pollMs: 50 } }));
    orgId = await addOrg(store, 'both');
  });
  afterAll(async () => {
    await pipeline.stop();
    await store.close();
  });

  const auth = () => ({ credentialKey: 'test', name: 'tool', scopes: new Set(['all']), authority: { objectType: 'Agent', mbox: 'mailto:tool@example.org' }, orgId });
  const write = async (list: Record<string, unknown>[]): Promise<void> => {
    await storeStatements(s, { body: { json: list as never, parts: new Map(), multipart: false }, version: '1.0.3', auth: auth() });
    await settle(pipeline);
  };
  const passed = (userId: string, activityId: string): Record<string, unknown> => ({
    id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: userId } }, verb: PASSED, object: { objectType: 'Activity', id: activityId }, result: { success: true },
  });
  const voiding = (userId: string, statementId: string): Record<string, unknown> => ({
    id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: userId } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { en: 'voided' } }, object: { objectType: 'StatementRef', id: statementId },
  });
  const one = async (id: string) => (await store.statements.findStatementsByIds([id]))[0];

  it('voids the attainment statement once the remaining evidence is below its level, keeps the others, and never voids twice', async () => {
    const ids = new Map<string, string>();
    const { framework } = await importPackage(s, orgId, casePackage({ ids, categories: 1, perCategory: 2 }));
    const item = ids.get('C1.1') as string;
    const quiz = `https://tool.example.org/quiz/${randomUUID()}`;
    const practice = `https://tool.example.org/practice/${randomUUID()}`;
    for (const [activityId, level] of [[practice, 1], [quiz, 2]] as const) {
      await store.competency.insertAlignment({
        id: randomUUID(), orgId, frameworkId: framework.id, itemIdentifier: item, target: { kind: 'activity' }, activityId, activityIds: [activityId],
        level, rule: { kind: 'passed' }, createdBy: 'test', createdAt: new Date().toISOString(),
      });
    }
    const sam = await addUser(store, orgId, 'Sam');
    const kim = await addUser(store, orgId, 'Kim');
    // Sam: practice (rise to 1), then quiz (rise to 2). Kim: quiz twice (the first is the rise).
    const samPractice = passed(sam, practice);
    const samQuiz = passed(sam, quiz);
    const kimFirst = passed(kim, quiz);
    await write([samPractice, samQuiz, kimFirst, passed(kim, quiz)]);
    const ev = async (statementId: unknown): Promise<Evidence> => (await store.competency.findEvidence({ statementIds: [String(statementId)] }))[0] as Evidence;
    const [samL1, samL2, kimL2] = [await ev(samPractice['id']), await ev(samQuiz['id']), await ev(kimFirst['id'])];
    for (const e of [samL1, samL2, kimL2]) expect((await one(attainmentIdOf(e)))?.voided).toBe(false);

    // Kim's first pass is voided: her second still reaches level 2, so her attainment stands.
    await write([voiding(kim, String(kimFirst['id']))]);
    expect((await one(attainmentIdOf(kimL2)))?.voided).toBe(false);
    expect(await one(attainmentVoidingIdOf(attainmentIdOf(kimL2)))).toBeUndefined();

    // Sam's quiz is voided: level 1 remains, below 2: the level-2 attainment is voided, by LearnHQ; the level-1 one stands.
    await write([voiding(sam, String(samQuiz['id']))]);
    expect((await one(attainmentIdOf(samL2)))?.voided).toBe(true);
    const voidingStatement = await one(attainmentVoidingIdOf(attainmentIdOf(samL2)));
    expect(voidingStatement?.statement).toMatchObject({
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: attainmentIdOf(samL2) },
      authority: { account: { homePage: PUBLIC_URL, name: 'learnhq-competency' } },
    });
    expect((await one(attainmentIdOf(samL1)))?.voided).toBe(false);

    // A retry of the same work stores nothing; a rebuild from seq 0 neither, and gives the same evidence.
    const latest = async (): Promise<number> => (await store.statements.findStatements({ allRefs: [], ascending: false, limit: 1 })).statements[0]?.seq ?? 0;
    const lastSeq = await latest();
    expect(await voidLostAttainments(s, [samL2])).toEqual([]);
    expect(await latest()).toBe(lastSeq);
    const evidenceBefore = await store.competency.findEvidence({ userIds: [sam, kim] });
    await pipeline.rebuild('competency-evidence');
    for (let i = 0; i < 200 && (await pipeline.status()).some((x) => x.rebuildRequestedAt !== undefined); i += 1) await new Promise((r) => setTimeout(r, 50));
    await settle(pipeline);
    expect(await store.competency.findEvidence({ userIds: [sam, kim] })).toEqual(evidenceBefore);
    // The rebuild stores no voiding. (Its one new statement is Kim's attainment from her second pass, which is
    // her level rise in the log without the voided first one: attainments are derived from the log as it is now.)
    const since = (await store.statements.findStatements({ allRefs: [], ascending: true, limit: 100, afterSeq: lastSeq })).statements;
    expect(since.map((x) => (x.statement['verb'] as { id: string }).id)).not.toContain('http://adlnet.gov/expapi/verbs/voided');
    expect(since.map((x) => x.id)).toEqual([attainmentIdOf({ ...kimL2, statementId: (await store.competency.findEvidence({ userId: kim }))[0]?.statementId ?? '' })]);
    expect((await one(attainmentIdOf(samL2)))?.voided).toBe(true);

    // Sam's practice is voided too, and a first attempt at it had deleted the evidence and stopped (a crash
    // before the voiding was stored): the retry finds no evidence left, derives it again from the statement,
    // and the level-1 attainment goes as well, as nothing remains.
    await store.competency.deleteEvidence({ statementIds: [String(samPractice['id'])] });
    await write([voiding(sam, String(samPractice['id']))]);
    expect((await one(attainmentIdOf(samL1)))?.voided).toBe(true);
    expect(await store.competency.findEvidence({ userId: sam })).toEqual([]);
  });
}

describe('attainments and voided evidence on sqlite', () => suite(() => openSqliteStore({ path: ':memory:' })));

// A database file: evidence writes go to the writer thread (ADR 0027), the summaries are read on the service's connection.
const dir = mkdtempSync(path.join(os.tmpdir(), 'learnhq-attainvoid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describe('attainments and voided evidence on a sqlite file', () => suite(() => openSqliteStore({ path: path.join(dir, 'store.db') })));

const uri = process.env['MONGODB_URI'];
if (uri) {
  const dbName = `learnhq_attainvoid_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try { await client.connect(); await client.db(dbName).dropDatabase(); } finally { await client.close(); }
  });
  describe('attainments and voided evidence on mongo', () => suite(() => openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 })));
}
