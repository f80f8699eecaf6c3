/**
 * Webhooks (issue 13): signed JSON events the receiver can verify, retried after a failure,
 * dead letters after too many and their resend; the SSRF guard; the API for every role.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserContext } from '../../../src/accounts/user-context';
import { testConfig } from '../../../src/config';
import { signWebhook } from '../../../src/forwarding/deliver';
import { openSecret, sealSecret } from '../../../src/forwarding/secrets';
import { createTarget, listDeadLetters, resendDeadLetters } from '../../../src/forwarding/service';
import { checkTargetUrl, isPrivateAddress } from '../../../src/forwarding/ssrf';
import { sender, stmt, until, type Sender } from './helpers';

const admin = (): UserContext => ({ userId: 'u-admin', email: 'admin@sender.test', name: 'Admin', isSiteAdmin: true, roles: new Map(), sessionId: 's', csrfToken: 'c' });

/** What a receiver does with X-LearnHQ-Signature: recompute the HMAC over "<t>.<body>". */
function verify(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

interface Received { body: string; signature: string; event: string }

async function receiver(answer: () => number): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
      const status = answer();
      if (status === 200) got.push({ body, signature: String(req.headers['x-learnhq-signature']), event: String(req.headers['x-learnhq-event']) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, got, close: () => new Promise((r) => server.close(() => r())) };
}

describe('webhooks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-hook-'));
  let s: Sender;
  beforeAll(async () => {
    s = await sender(dir);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POSTs a signed event per matching statement, in order, retrying a failed delivery', async () => {
    let calls = 0;
    const r = await receiver(() => (++calls === 1 ? 503 : 200));
    try {
      const { target, signingSecret } = await createTarget(s.handle.services, admin(), s.orgId, { kind: 'webhook', name: 'hook', url: r.url, verbs: ['http://adlnet.gov/expapi/verbs/completed'] });
      expect(signingSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(JSON.stringify(await s.store.forwarding.findForwardTarget(target.id))).not.toContain(signingSecret);
      const done = [stmt(1, 'http://adlnet.gov/expapi/verbs/completed'), stmt(2), stmt(3, 'http://adlnet.gov/expapi/verbs/completed')];
      await s.post(done);
      await until(() => r.got.length >= 2, 'two events');
      expect(calls).toBeGreaterThanOrEqual(3);
      const bodies = r.got.map((g) => JSON.parse(g.body) as { statementId: string; type: string; orgId: string });
      expect(bodies.map((b) => b.statementId)).toEqual([done[0]!['id'], done[2]!['id']]);
      expect(bodies.every((b) => b.type === 'statement' && b.orgId === s.orgId)).toBe(true);
      for (const g of r.got) {
        expect(verify(signingSecret!, g.signature, g.body)).toBe(true);
        // Another key, or a changed body, does not verify.
        expect(verify('another-key', g.signature, g.body)).toBe(false);
        expect(verify(signingSecret!, g.signature, g.body.replace('statement', 'statemenT'))).toBe(false);
      }
    } finally {
      await r.close();
    }
  });

  it('follows no redirect: a 3xx is a failed delivery, and the place it points to gets nothing', async () => {
    const elsewhere = await receiver(() => 200);
    const server = http.createServer((_req, res) => res.writeHead(307, { Location: elsewhere.url }).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { target } = await createTarget(s.handle.services, admin(), s.orgId, { kind: 'webhook', name: 'moved', url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` });
      await s.post([stmt(5)]);
      await until(async () => ((await s.store.pipeline.findCursor(`forward:${target.id}`))?.failures ?? 0) > 0, 'a failed delivery');
      expect((await s.store.pipeline.findCursor(`forward:${target.id}`))?.lastError).toMatch(/answered 307/);
      expect(elsewhere.got).toEqual([]);
      await s.store.forwarding.deleteForwardTarget(target.id);
      await s.handle.services.forwardingSync?.();
    } finally {
      await new Promise((r) => server.close(() => r(undefined)));
      await elsewhere.close();
    }
  });

  it('moves events a receiver keeps refusing to dead letters, and resends them once it takes them', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 500));
    const s2 = await sender(mkdtempSync(join(tmpdir(), 'learnhq-hook2-')));
    try {
      // Few attempts for this sender, so dead letters come quickly.
      await s2.close();
      const { createApp } = await import('../../../src/app');
      const { openStore } = await import('../../../src/store');
      const { createLogger } = await import('../../../src/logger');
      s2.store = await openStore({ kind: 'sqlite', path: join(s2.config.dataDir, 'sender.sqlite') });
      s2.handle = createApp({ config: s2.config, store: s2.store, logger: createLogger('silent'), compose: { forwarding: { maxAttempts: 2 }, pipeline: { backoffMs: 20 } } });
      const { target } = await createTarget(s2.handle.services, admin(), s2.orgId, { kind: 'webhook', name: 'hook', url: r.url });
      const list = [stmt(10), stmt(11)];
      await s2.post(list);
      await until(async () => (await listDeadLetters(s2.handle.services, s2.orgId, target.id)).length === 2, 'two dead letters');
      expect((await listDeadLetters(s2.handle.services, s2.orgId, target.id)).map((l) => l.statementId)).toEqual(list.map((x) => x['id']));
      await expect(resendDeadLetters(s2.handle.services, admin(), s2.orgId, target.id)).rejects.toMatchObject({ code: 'unavailable' });
      up = true;
      expect(await resendDeadLetters(s2.handle.services, admin(), s2.orgId, target.id)).toEqual({ resent: 2 });
      expect(r.got.map((g) => (JSON.parse(g.body) as { statementId: string }).statementId)).toEqual(list.map((x) => x['id']));
      expect(await listDeadLetters(s2.handle.services, s2.orgId, target.id)).toEqual([]);
      // Another organization's id for the target: not found.
      await expect(listDeadLetters(s2.handle.services, 'org-other', target.id)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await s2.close();
      await r.close();
    }
  });
});

describe('the SSRF guard', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111']) expect([a, isPrivateAddress(a)]).toEqual([a, false]);
  });

  it('refuses private targets when added unless allowed, URLs with credentials and other schemes', () => {
    expect(checkTargetUrl('http://127.0.0.1:8080/xapi/', false)).toMatch(/private/);
    expect(checkTargetUrl('http://[::1]/xapi/', false)).toMatch(/private/);
    expect(checkTargetUrl('http://localhost/xapi/', false)).toMatch(/private/);
    expect(checkTargetUrl('http://169.254.169.254/latest/', false)).toMatch(/private/);
    expect(checkTargetUrl('http://127.0.0.1:8080/xapi/', true)).toBeInstanceOf(URL);
    expect(checkTargetUrl('https://user:pw@lrs.example.com/xapi/', false)).toMatch(/credentials/);
    expect(checkTargetUrl('file:///etc/passwd', false)).toMatch(/http/);
    expect(checkTargetUrl('https://lrs.example.com/xapi/', false)).toBeInstanceOf(URL);
  });

  it('refuses at delivery a name that resolves to a private address, and follows no redirect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnhq-ssrf-'));
    let redirects = 0;
    const server = http.createServer((_req, res) => {
      redirects++;
      res.writeHead(302, { Location: 'http://169.254.169.254/' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const s = await sender(dir, { allowPrivateTargets: false });
    try {
      // Added by name (no literal private address), but the name resolves to loopback.
      await expect(createTarget(s.handle.services, admin(), s.orgId, { kind: 'webhook', name: 'x', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({ code: 'bad_request' });
      const { target } = await createTarget(s.handle.services, admin(), s.orgId, { kind: 'webhook', name: 'x', url: `http://localtest.me:${port}/` }).catch(async () =>
        createTarget(s.handle.services, admin(), s.orgId, { kind: 'webhook', name: 'x', url: `http://lvh.me:${port}/` }));
      await s.post([stmt(1)]);
      await until(async () => ((await s.store.pipeline.findCursor(`forward:${target.id}`))?.failures ?? 0) > 0, 'a refused delivery');
      expect((await s.store.pipeline.findCursor(`forward:${target.id}`))?.lastError).toMatch(/private addresses|ENOTFOUND|EAI_AGAIN/);
      expect(redirects).toBe(0);
    } finally {
      await s.close();
      await new Promise((r) => server.close(() => r(undefined)));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seals secrets: another key cannot open them, and a signature is what a receiver recomputes', () => {
    const a = testConfig({ sessionSecret: 'a'.repeat(40) });
    const b = testConfig({ sessionSecret: 'b'.repeat(40) });
    const sealed = sealSecret(a, 'user:pass');
    expect(sealed).not.toContain('pass');
    expect(openSecret(a, sealed)).toBe('user:pass');
    expect(() => openSecret(b, sealed)).toThrow();
    expect(signWebhook('k', '{}', 1700000000)).toBe(`t=1700000000,v1=${createHmac('sha256', 'k').update('1700000000.{}').digest('hex')}`);
  });
});
