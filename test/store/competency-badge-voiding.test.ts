/**
 * Voiding the statement that was the only evidence behind an issued badge revokes the badge
 * (ADR 0027), with the evidence subscriber on a running pipeline, on both engines: a competency
 * badge whose last supporting evidence goes, and a course badge whose only completion goes. A
 * credential that still has evidence behind it stays valid. Also: the subscriber's alignment index
 * follows changes another instance makes (the store's match version, ADR 0027).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { verifyCredential } from '../../src/competency/badges';
import { competencyEvidenceSubscriber } from '../../src/competency/evidence-subscriber';
import { importPackage } from '../../src/competency/frameworks';
import { composeServices } from '../../src/compose';
import { testConfig } from '../../src/config';
import type { AppServices } from '../../src/deps';
import { createLogger } from '../../src/logger';
import type { Pipeline } from '../../src/pipeline/engine';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import type { BadgeClass, Store } from '../../src/store/ports';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { storeStatements } from '../../src/xapi/statements/write-service';
import { casePackage } from '../fixtures/case-package';
import { PUBLIC_URL, addCourse, addOrg, addUser, settle } from '../helpers/report-fixture';

jest.setTimeout(120_000);

const PASSED = { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed' } };
const COMPLETED = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { en: 'completed' } };

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
  const by = (userId: string, activityId: string, verb: typeof PASSED, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: userId } }, verb, object: { objectType: 'Activity', id: activityId }, ...extra,
  });
  const voiding = (userId: string, statementId: string): Record<string, unknown> => ({
    id: randomUUID(), actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: userId } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { en: 'voided' } }, object: { objectType: 'StatementRef', id: statementId },
  });
  const badge = async (fields: Partial<BadgeClass>): Promise<BadgeClass> => {
    const b: BadgeClass = { id: randomUUID(), orgId, name: 'A badge', description: 'For the test', criteria: 'Pass it', createdAt: new Date().toISOString(), ...fields };
    await store.competency.upsertBadge(b);
    return b;
  };
  const held = async (userId: string, badgeId: string) => store.competency.findCredentials({ userId, badgeId });

  it('revokes a competency badge once the only evidence at its level is voided, and keeps one that other evidence still supports', async () => {
    const ids = new Map<string, string>();
    const { framework } = await importPackage(s, orgId, casePackage({ ids, categories: 1, perCategory: 2 }));
    const item = ids.get('C1.1') as string;
    const quiz = `https://tool.example.org/quiz/${randomUUID()}`;
    const practice = `https://tool.example.org/practice/${randomUUID()}`;
    const align = async (activityId: string, level: number): Promise<void> => {
      await store.competency.insertAlignment({
        id: randomUUID(), orgId, frameworkId: framework.id, itemIdentifier: item, target: { kind: 'activity' }, activityId, activityIds: [activityId],
        level, rule: { kind: 'passed' }, createdBy: 'test', createdAt: new Date().toISOString(),
      });
    };
    await align(quiz, 2);
    await align(practice, 1);
    const b = await badge({ frameworkId: framework.id, itemIdentifier: item, level: 2 });
    const sam = await addUser(store, orgId, 'Sam');
    const kim = await addUser(store, orgId, 'Kim');

    // Sam passes the quiz once (level 2) and the practice (level 1); Kim passes the quiz twice.
    const samQuiz = by(sam, quiz, PASSED, { result: { success: true } });
    const kimFirst = by(kim, quiz, PASSED, { result: { success: true } });
    await write([samQuiz, by(sam, practice, PASSED, { result: { success: true } }), kimFirst, by(kim, quiz, PASSED, { result: { success: true } })]);
    const [samCred] = await held(sam, b.id);
    const [kimCred] = await held(kim, b.id);
    expect(samCred?.revokedAt).toBeUndefined();
    expect(kimCred?.revokedAt).toBeUndefined();
    expect((await verifyCredential(s, samCred?.jwt)).valid).toBe(true);

    // Kim's first pass is voided: her second still earns level 2, the credential stays.
    await write([voiding(kim, String(kimFirst['id']))]);
    expect((await held(kim, b.id)).map((c) => c.revokedAt)).toEqual([undefined]);
    expect((await verifyCredential(s, kimCred?.jwt)).valid).toBe(true);

    // Sam's only level-2 evidence is voided: level 1 remains, below the badge's level: revoked.
    await write([voiding(sam, String(samQuiz['id']))]);
    const [after] = await held(sam, b.id);
    expect(after?.revokedAt).toBeDefined();
    expect(after?.revocationReason).toContain(String(samQuiz['id']));
    const check = await verifyCredential(s, samCred?.jwt);
    expect(check).toMatchObject({ valid: false, checks: { signature: true, revocation: false } });
    expect(check.reason).toContain('voided');
    expect(await store.competency.findEvidence({ statementIds: [String(samQuiz['id'])] })).toEqual([]);

    // Passing again earns a new credential (the revoked one stays revoked).
    await write([by(sam, quiz, PASSED, { result: { success: true } })]);
    const again = await held(sam, b.id);
    expect(again).toHaveLength(2);
    expect(again.filter((c) => c.revokedAt === undefined)).toHaveLength(1);
  });

  it('revokes a course badge once the only completion of the course is voided, not while another completion remains', async () => {
    const course = await addCourse(store, orgId, 'Reference interview');
    const b = await badge({ courseId: course.id });
    const ana = await addUser(store, orgId, 'Ana');
    const bo = await addUser(store, orgId, 'Bo');
    const anaDone = by(ana, course.activityId, COMPLETED, { result: { completion: true } });
    const boFirst = by(bo, course.activityId, COMPLETED, { result: { completion: true } });
    await write([anaDone, boFirst, by(bo, course.activityId, COMPLETED, { result: { completion: true } })]);
    expect((await held(ana, b.id)).map((c) => c.revokedAt)).toEqual([undefined]);
    expect((await held(bo, b.id)).map((c) => c.revokedAt)).toEqual([undefined]);

    await write([voiding(bo, String(boFirst['id'])), voiding(ana, String(anaDone['id']))]);
    expect((await held(bo, b.id)).map((c) => c.revokedAt)).toEqual([undefined]);
    const [anaCred] = await held(ana, b.id);
    expect(anaCred?.revokedAt).toBeDefined();
    expect((await verifyCredential(s, anaCred?.jwt)).checks.revocation).toBe(false);
  });

  it('sees alignments another instance adds or deletes at its next batch (the store\'s match version), and drops what a stale batch wrote', async () => {
    // Only this test's subscriber may project from here on (the suite's pipeline would do it too).
    await pipeline.stop();
    const ids = new Map<string, string>();
    const { framework } = await importPackage(s, orgId, casePackage({ ids, categories: 1, perCategory: 1 }));
    const lee = await addUser(store, orgId, 'Lee');
    const activity = `https://tool.example.org/sim/${randomUUID()}`;
    // This "instance": its own subscriber, handed events by hand, with a long cache.
    const sub = competencyEvidenceSubscriber(s, { cacheMs: 3_600_000, attainments: false });
    const handle = async (list: Record<string, unknown>[]): Promise<void> => {
      await storeStatements(s, { body: { json: list as never, parts: new Map(), multipart: false }, version: '1.0.3', auth: auth() });
      const stored = await store.statements.findStatementsByIds(list.map((x) => String(x['id'])));
      await sub.handle(stored.map((st) => ({ kind: 'stored' as const, seq: st.seq, statement: st, orgIds: [orgId] })));
    };
    await handle([by(lee, activity, PASSED, { result: { success: true } })]); // loads its index: nothing aligned
    // Another instance aligns the activity: the store changes, this process's generation does not.
    const alignment = {
      id: randomUUID(), orgId, frameworkId: framework.id, itemIdentifier: ids.get('C1.1') as string, target: { kind: 'activity' as const }, activityId: activity, activityIds: [activity],
      level: 1, rule: { kind: 'passed' as const }, createdBy: 'other-instance', createdAt: new Date().toISOString(),
    };
    await store.competency.insertAlignment(alignment);
    await store.competency.bumpMatchVersion();
    const after = by(lee, activity, PASSED, { result: { success: true } });
    await handle([after]);
    expect((await store.competency.findEvidence({ statementIds: [String(after['id'])] })).map((e) => e.alignmentId)).toEqual([alignment.id]);
    // The other instance deletes it (and its evidence), while a batch here matched against it and wrote late.
    await store.competency.deleteAlignment(alignment.id);
    await store.competency.bumpMatchVersion();
    await store.competency.deleteEvidence({ alignmentId: alignment.id });
    const late = { id: `late|${alignment.id}`, userId: lee, orgId, frameworkId: framework.id, itemIdentifier: alignment.itemIdentifier, level: 1, statementId: 'late', alignmentId: alignment.id, activityId: activity, at: new Date().toISOString() };
    await store.competency.insertEvidence([late]);
    await sub.handle([]);
    expect(await store.competency.findEvidence({ userId: lee })).toEqual([]);
  });
}

describe('badges and voided evidence on sqlite', () => suite(() => openSqliteStore({ path: ':memory:' })));

const uri = process.env['MONGODB_URI'];
if (uri) {
  const dbName = `learnhq_badgevoid_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try { await client.connect(); await client.db(dbName).dropDatabase(); } finally { await client.close(); }
  });
  describe('badges and voided evidence on mongo', () => suite(() => openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 })));
}
