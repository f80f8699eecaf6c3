import type { RequestListener } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/app';
import type { ComposeOptions } from '../../../src/compose';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { testConfig, type Config } from '../../../src/config';
import type { AppServices } from '../../../src/deps';
import { openStore } from '../../../src/store';
import type { Organization, OrgKind, Role, Store } from '../../../src/store/ports';

/** A mutable clock for the app under test. */
export class Clock {
  constructor(public ms = Date.parse('2030-01-01T09:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** An app on a fresh in-memory store with a mutable clock and captured log lines. */
export interface AccountsApp {
  readonly app: RequestListener;
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly services: AppServices;
  /** Parsed JSON log lines written so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function accountsApp(config: Partial<Config> = {}, compose?: ComposeOptions): Promise<AccountsApp> {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const cfg = testConfig({ publicUrl: 'http://learnhq.test', sessionSecret: 'x'.repeat(40), demo: false, ...config });
  const clock = new Clock();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const { listener: app, credentials } = createApp({ config: cfg, store, logger, now: clock.now, ...(compose ? { compose } : {}) });
  const services: AppServices = { config: cfg, store, logger, now: clock.now, credentials };
  return { app, store, config: cfg, clock, services, logs, close: () => store.close() };
}

let n = 0;
export const PASSWORD = 'correct horse battery';

/** Creates a person directly in the store, with roles. */
export async function addPerson(
  t: AccountsApp,
  opts: { email?: string; name?: string; isSiteAdmin?: boolean; shareEmail?: boolean; roles?: { orgId: string; role: Role; learnerType?: 'staff' | 'trustee' }[] } = {},
): Promise<{ id: string; email: string }> {
  n += 1;
  const id = `user-${n}-${Math.random().toString(36).slice(2, 8)}`;
  const email = opts.email ?? `${id}@example.org`;
  await t.store.accounts.insertUser({
    id,
    email,
    name: opts.name ?? `Person ${n}`,
    passwordHash: await hashSecret(PASSWORD),
    isSiteAdmin: opts.isSiteAdmin === true,
    shareEmail: opts.shareEmail === true,
    createdAt: t.clock.now().toISOString(),
    failedSignIns: 0,
  });
  for (const r of opts.roles ?? []) {
    await t.store.accounts.insertMembership({ userId: id, orgId: r.orgId, role: r.role, ...(r.learnerType ? { learnerType: r.learnerType } : {}), createdAt: t.clock.now().toISOString() });
  }
  return { id, email };
}

export async function addOrg(t: AccountsApp, name = `Org ${++n}`, kind: OrgKind = 'member'): Promise<Organization> {
  const id = `org-${++n}-${Math.random().toString(36).slice(2, 8)}`;
  const org: Organization = { id, slug: id, name, kind, createdAt: t.clock.now().toISOString() };
  await t.store.accounts.insertOrganization(org);
  return org;
}

/** A signed-in client: its cookie header and CSRF token. */
export interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly userId: string;
  readonly setCookie: string;
}

/** Signs in through the API and returns the session cookie and CSRF token. */
export async function signIn(t: AccountsApp, email: string, password = PASSWORD): Promise<Session> {
  const res = await request(t.app).post('/api/session').send({ email, password });
  if (res.status !== 201) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = cookieHeader(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  return { cookie, csrf: (res.body as { csrfToken: string }).csrfToken, userId: (res.body as { user: { id: string } }).user.id, setCookie };
}

/** The lhq_session Set-Cookie line of a response ('' when none). */
export function cookieHeader(raw: unknown): string {
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return list.find((c) => c.startsWith('lhq_session=')) ?? '';
}

/** Person + sign-in in one step. */
export async function personSession(t: AccountsApp, opts: Parameters<typeof addPerson>[1] = {}): Promise<Session & { email: string }> {
  const p = await addPerson(t, opts);
  return { ...(await signIn(t, p.email)), email: p.email };
}
