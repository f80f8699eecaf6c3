/**
 * The statements fast lane (src/xapi/fast-lane.ts) must answer exactly as the xAPI router does,
 * and must leave every request it does not own to the router untouched. Each request below is
 * sent twice: to the Express app alone and to a server whose listener is the fast lane with a
 * marker fallback, so we also see which requests the lane took.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../../src/app';
import { testConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/ports';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { createLaunchTokenAuth } from '../../../src/xapi/auth/launch-auth';
import { createStatementsFastLane } from '../../../src/xapi/fast-lane';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

const COMPARED = [
  'content-type', 'x-experience-api-version', 'access-control-allow-origin', 'access-control-allow-credentials',
  'access-control-expose-headers', 'vary', 'www-authenticate',
];

let store: Store;
let viaRouter: http.Server;
let viaLane: http.Server;
let laneTook = 0;
let fellBack = 0;
const ALL = `Basic ${Buffer.from('lane-all:lane-secret-all').toString('base64')}`;
const READ_ONLY = `Basic ${Buffer.from('lane-read:lane-secret-read').toString('base64')}`;

function listen(listener: http.RequestListener): Promise<http.Server> {
  return new Promise((resolve) => {
    const s = http.createServer(listener);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

function send(server: http.Server, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const picked: Record<string, string | undefined> = {};
        for (const h of COMPARED) {
          const v = res.headers[h];
          picked[h] = Array.isArray(v) ? v.join(', ') : v;
        }
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: picked });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function statement(id?: string): Record<string, unknown> {
  return {
    ...(id ? { id } : {}),
    actor: { mbox: `mailto:${randomUUID()}@example.org` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: { id: 'http://example.org/activities/fast-lane' },
  };
}

beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const config = testConfig({ maxStatementBytes: 4096 });
  const { app, services } = createApp({ config, store, logger: createLogger('silent') });
  for (const [key, secret, scopes] of [['lane-all', 'lane-secret-all', ['all']], ['lane-read', 'lane-secret-read', ['statements/read']]] as const) {
    await store.credentials.insertCredential({
      key, secretHash: await hashSecret(secret), name: key, scopes: [...scopes],
      authority: { objectType: 'Agent', name: key, account: { homePage: 'http://learnhq.test', name: key } },
      createdAt: new Date().toISOString(),
    });
  }
  const lane = createStatementsFastLane(services, createLaunchTokenAuth(services));
  viaRouter = await listen(app);
  viaLane = await listen((req, res) => {
    if (lane(req, res)) {
      laneTook += 1;
      return;
    }
    fellBack += 1;
    app(req, res);
  });
});

afterAll(async () => {
  await Promise.all([viaRouter, viaLane].map((s) => new Promise((r) => s.close(r))));
  await store.close();
});

const V2 = { 'X-Experience-API-Version': '2.0.0', 'Content-Type': 'application/json' };

/** Sends the request (with a fresh statement id each time where `make` says so) to both servers. */
async function both(method: string, path: (id: string) => string, headers: Record<string, string>, body: (id: string) => string | undefined): Promise<[Answer, Answer]> {
  const a = randomUUID();
  const b = randomUUID();
  return [await send(viaRouter, method, path(a), headers, body(a)), await send(viaLane, method, path(b), headers, body(b))];
}

function expectSame(router: Answer, lane: Answer, ids: 'ignore-ids' | 'same-body' = 'same-body'): void {
  expect(lane.status).toBe(router.status);
  expect(lane.headers).toEqual(router.headers);
  if (ids === 'same-body') expect(maskIds(lane.body)).toBe(maskIds(router.body));
}

/** The two servers got different fresh ids; everything else in an answer must match. */
function maskIds(body: string): string {
  return body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
}

describe('requests the fast lane serves', () => {
  test.each([
    ['POST of one statement', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL }, (id: string) => JSON.stringify(statement(id)), 200],
    ['POST of a batch, with an Origin', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL, Origin: 'https://content.example.org' }, (id: string) => JSON.stringify([statement(id), statement()]), 200],
    ['PUT with its statementId', 'PUT', (id: string) => `/xapi/statements?statementId=${id}`, { ...V2, Authorization: ALL }, (id: string) => JSON.stringify(statement(id)), 204],
    ['1.0.3 POST', 'POST', () => '/xapi/statements', { ...V2, 'X-Experience-API-Version': '1.0.3', Authorization: ALL }, (id: string) => JSON.stringify(statement(id)), 200],
    ['an invalid statement', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL }, () => JSON.stringify({ actor: {}, verb: {}, object: {} }), 400],
    ['a body that is not JSON', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL }, () => '{"actor":', 400],
    ['an empty body', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL }, () => '', 400],
    ['a body over the limit', 'POST', () => '/xapi/statements', { ...V2, Authorization: ALL }, () => JSON.stringify([statement(), { pad: 'x'.repeat(5000) }]), 413],
    ['wrong credentials', 'POST', () => '/xapi/statements', { ...V2, Authorization: `Basic ${Buffer.from('lane-all:nope').toString('base64')}` }, () => JSON.stringify(statement()), 401],
    ['a read-only credential', 'POST', () => '/xapi/statements', { ...V2, Authorization: READ_ONLY }, () => JSON.stringify(statement()), 403],
    ['a PUT whose statement id differs', 'PUT', (id: string) => `/xapi/statements?statementId=${id}`, { ...V2, Authorization: ALL }, () => JSON.stringify(statement(randomUUID())), 400],
  ])('%s: answered as the router answers (%#)', async (_name, method, path, headers, body, status) => {
    const before = laneTook;
    const [router, lane] = await both(method, path, headers, body);
    expect(laneTook).toBe(before + 1);
    expect(router.status).toBe(status);
    expectSame(router, lane, status === 200 ? 'ignore-ids' : 'same-body');
    if (status === 200) expect(JSON.parse(lane.body)).toHaveLength(JSON.parse(router.body).length);
  });

  test('a statement written through the lane is read back through the router', async () => {
    const id = randomUUID();
    const put = await send(viaLane, 'PUT', `/xapi/statements?statementId=${id}`, { ...V2, Authorization: ALL }, JSON.stringify(statement(id)));
    expect(put.status).toBe(204);
    const got = await send(viaLane, 'GET', `/xapi/statements?statementId=${id}`, { 'X-Experience-API-Version': '2.0.0', Authorization: ALL });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ id, authority: { account: { name: 'lane-all' } } });
  });
});

describe('requests the fast lane leaves to the router', () => {
  test.each([
    ['no version header', 'POST', '/xapi/statements', { 'Content-Type': 'application/json', Authorization: ALL }, 400],
    ['an unsupported version', 'POST', '/xapi/statements', { ...V2, 'X-Experience-API-Version': '0.9', Authorization: ALL }, 400],
    ['no credentials', 'POST', '/xapi/statements', { ...V2 }, 401],
    ['a query parameter on POST', 'POST', '/xapi/statements?foo=1', { ...V2, Authorization: ALL }, 400],
    ['PUT without statementId', 'PUT', '/xapi/statements', { ...V2, Authorization: ALL }, 400],
    ['PUT with a second parameter', 'PUT', `/xapi/statements?statementId=${randomUUID()}&x=1`, { ...V2, Authorization: ALL }, 400],
    ['a text/plain body', 'POST', '/xapi/statements', { ...V2, 'Content-Type': 'text/plain', Authorization: ALL }, 400],
    ['GET', 'GET', '/xapi/statements', { 'X-Experience-API-Version': '2.0.0', Authorization: ALL }, 200],
    ['another resource', 'POST', `/xapi/activities/state?activityId=x`, { ...V2, Authorization: ALL }, 400],
  ])('%s', async (_name, method, path, headers, status) => {
    const took = laneTook;
    const fell = fellBack;
    const body = method === 'GET' ? undefined : JSON.stringify(statement());
    const router = await send(viaRouter, method, path, headers, body);
    const lane = await send(viaLane, method, path, headers, body);
    expect(laneTook).toBe(took);
    expect(fellBack).toBe(fell + 1);
    expect(router.status).toBe(status);
    expect(lane.status).toBe(status);
  });
});
