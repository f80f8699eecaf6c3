/**
 * Statement forwarding into a second, real LearnHQ started by the test (issue 13): every
 * matching statement of the organization arrives exactly once as seen by the target, across a
 * restart of the sender and an outage of the target; other organizations' statements and those
 * the filter leaves out never arrive.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import type { UserContext } from '../../../src/accounts/user-context';
import { createTarget, listTargets } from '../../../src/forwarding/service';
import { sender, stmt, targetServer, until, type Sender, type TargetServer } from './helpers';

const admin = (): UserContext => ({ userId: 'u-admin', email: 'admin@sender.test', name: 'Admin', isSiteAdmin: true, roles: new Map(), sessionId: 's', csrfToken: 'c' });

describe('forwarding to another LearnHQ', () => {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-fwd-'));
  let target: TargetServer;
  let s: Sender;
  beforeAll(async () => {
    mkdirSync(join(dir, 't'));
    mkdirSync(join(dir, 's'));
    target = await targetServer(join(dir, 't'));
    await target.start();
    s = await sender(join(dir, 's'));
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every matching statement once, across a sender restart and a target outage', async () => {
    const { target: t } = await createTarget(s.handle.services, admin(), s.orgId, {
      kind: 'lrs', name: 'Second LearnHQ', url: `${target.url}/xapi/`, username: target.key, password: target.secret,
      activityPrefixes: ['http://example.com/fwd/'],
    });
    // Credentials are never shown again.
    const listed = JSON.stringify(await listTargets(s.handle.services, s.orgId));
    expect(listed).not.toContain(target.secret);
    expect(JSON.stringify(await s.store.forwarding.findForwardTarget(t.id))).not.toContain(target.secret);

    // Another organization's statements, and statements outside the filter, never go.
    const otherKey = `other-${randomUUID().slice(0, 8)}`;
    const otherOrg = `org-${randomUUID().slice(0, 8)}`;
    await s.store.accounts.insertOrganization({ id: otherOrg, slug: otherOrg, name: 'Other', kind: 'both', createdAt: new Date().toISOString() });
    await s.store.credentials.insertCredential({
      key: otherKey, secretHash: await hashSecret('other-secret-123'), name: 'other', scopes: ['all'], orgId: otherOrg,
      authority: { objectType: 'Agent', name: 'other', account: { homePage: s.config.publicUrl, name: otherKey } }, createdAt: new Date().toISOString(),
    });
    const theirs = [stmt(1000), stmt(1001)];
    const res = await request(s.handle.listener).post('/xapi/statements').set('Authorization', `Basic ${Buffer.from(`${otherKey}:other-secret-123`).toString('base64')}`)
      .set('X-Experience-API-Version', '1.0.3').send(theirs);
    expect(res.status).toBe(200);
    const outside = [stmt(2000, undefined, 'http://elsewhere.example.com/a'), stmt(2001, undefined, 'http://elsewhere.example.com/b')];
    await s.post(outside);

    const expected: string[] = [];
    const send = async (from: number, n: number): Promise<void> => {
      for (let i = 0; i < n; i += 10) {
        const batch = Array.from({ length: Math.min(10, n - i) }, (_, k) => stmt(from + i + k));
        await s.post(batch);
        expected.push(...batch.map((x) => String(x['id'])));
      }
    };
    const arrived = async (): Promise<boolean> => {
      const ids = await target.statementIds();
      return expected.every((id) => ids.includes(id));
    };

    await send(0, 40);
    await until(arrived, 'the first statements at the target');

    // The sender restarts (its pipeline stops mid-stream): the cursor in the store carries on.
    await send(100, 20);
    await s.restart();
    await send(200, 20);
    await until(arrived, 'the statements around the restart');

    // The target is down for a while: the sender retries with back-off, then delivers.
    await target.stop();
    await send(300, 30);
    // The sender records its failed tries (waited for, not slept on: a loaded machine may take longer than a fixed 1.5 s).
    await until(async () => ((await s.store.pipeline.findCursor(`forward:${t.id}`))?.failures ?? 0) > 0, 'a failed delivery recorded', 30_000);
    const status = (await s.store.pipeline.findCursor(`forward:${t.id}`))!;
    expect(status.failures).toBeGreaterThan(0);
    expect(status.lastError).toBeDefined();
    await target.start();
    await until(arrived, 'the statements sent during the outage');

    const ids = await target.statementIds();
    // Exactly once as seen by the target, and nothing else.
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual([...expected].sort());
    for (const x of [...theirs, ...outside]) expect(ids).not.toContain(x['id']);
    expect(await s.store.forwarding.findDeadLetters(t.id, 10)).toEqual([]);
  }, 300_000);
});
