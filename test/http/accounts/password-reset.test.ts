/**
 * Password reset over the JSON API with a real SMTP server: the link is mailed to the account's
 * address and read back from the server; a reset ends every other reset link of the person.
 */
import request from 'supertest';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp';
import { accountsApp, addPerson, PASSWORD, signIn, type AccountsApp } from './helpers';

let t: AccountsApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  t = await accountsApp({ smtpUrl: smtp.url });
});
afterEach(async () => {
  await t.close();
});

const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);
const ask = (email: string): request.Test => request(t.app).post('/api/password-reset').send({ email });
const reset = (token: string, password: string): request.Test => request(t.app).post(`/api/password-reset/${token}`).send({ password });

describe('password reset', () => {
  it('answers the same 202 for known and unknown emails; mails a one-hour link only to a known one', async () => {
    const p = await addPerson(t);
    const before = smtp.mails.length;
    const unknown = await ask('nobody@example.org');
    expect(smtp.mails.length).toBe(before);
    const known = await ask(p.email);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.body).toMatchObject({ delivery: 'smtp', message: expect.stringMatching(/mailed/) });
    expect(smtp.lastTo(p.email).subject).toBe('Reset your LearnHQ password');
    const link = smtp.linkTo(p.email);
    expect(link).toMatch(/^http:\/\/learnhq\.test\/password-reset\/[A-Za-z0-9_-]{40,}$/);
    // The link goes only to the mailbox: never into the log.
    expect(JSON.stringify(t.logs)).not.toContain(tokenOf(link));
    expect((await ask('nope')).status).toBe(400);
  });

  it('sets the new password once, ends every session, proves the email and lifts the sign-in limit', async () => {
    const p = await addPerson(t);
    const session = await signIn(t, p.email);
    for (let i = 0; i < 10; i++) await request(t.app).post('/api/session').send({ email: p.email, password: 'wrong password' });
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: PASSWORD })).status).toBe(429);
    await ask(p.email);
    const token = tokenOf(smtp.linkTo(p.email));
    const short = await reset(token, 'short');
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/^password/);
    expect((await reset(token, 'my new long password')).status).toBe(204);
    expect((await request(t.app).get('/api/me').set('Cookie', session.cookie)).status).toBe(401);
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: PASSWORD })).status).toBe(401);
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: 'my new long password' })).status).toBe(201);
    expect((await reset(token, 'yet another password')).status).toBe(404);
    expect((await t.store.accounts.findUser(p.id))?.emailVerifiedAt).toBeDefined();
  });

  it('ends every other reset link of the person: an older link fails after a newer one was used (issue 11)', async () => {
    const p = await addPerson(t);
    await ask(p.email);
    const older = tokenOf(smtp.linkTo(p.email));
    await ask(p.email);
    const newer = tokenOf(smtp.linkTo(p.email));
    expect(newer).not.toBe(older);
    expect((await reset(newer, 'the newer password')).status).toBe(204);
    expect((await reset(older, 'the older link password')).status).toBe(404);
    expect((await request(t.app).get(`/password-reset/${older}`)).status).toBe(404);
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: 'the newer password' })).status).toBe(201);
  });

  it('ends a newer link too when an older one is used', async () => {
    const p = await addPerson(t);
    await ask(p.email);
    const older = tokenOf(smtp.linkTo(p.email));
    await ask(p.email);
    const newer = tokenOf(smtp.linkTo(p.email));
    expect((await reset(older, 'the older link password')).status).toBe(204);
    expect((await reset(newer, 'the newer password')).status).toBe(404);
  });

  it('refuses a link older than one hour, and made-up tokens', async () => {
    const p = await addPerson(t);
    await ask(p.email);
    const token = tokenOf(smtp.linkTo(p.email));
    t.clock.advance(60 * 60_000 + 1);
    expect((await reset(token, 'my new long password')).status).toBe(404);
    expect((await reset('made-up', 'my new long password')).status).toBe(404);
  });

  it('answers 202 and logs the failure when the mail server is down, saying nothing about the account', async () => {
    const down = await accountsApp({ smtpUrl: 'smtp://127.0.0.1:9' });
    try {
      const p = await addPerson(down);
      const res = await request(down.app).post('/api/password-reset').send({ email: p.email });
      expect(res.status).toBe(202);
      expect(down.logs.some((l) => l['msg'] === 'password reset link could not be mailed')).toBe(true);
    } finally {
      await down.close();
    }
  });
});
