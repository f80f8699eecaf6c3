import request from 'supertest';
import { accountsApp, addPerson, PASSWORD, signIn, type AccountsApp } from './helpers';

let t: AccountsApp;
beforeEach(async () => {
  t = await accountsApp();
});
afterEach(async () => {
  await t.close();
});

/** The reset link written to the log (no mail server is configured). */
function loggedLink(): string {
  const line = [...t.logs].reverse().find((l) => typeof l['link'] === 'string');
  if (!line) throw new Error('no link in the log');
  return String(line['link']);
}
const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);

describe('password reset', () => {
  it('answers the same 202 for known and unknown emails; logs a one-hour link only for known ones', async () => {
    const p = await addPerson(t);
    const unknown = await request(t.app).post('/api/password-reset').send({ email: 'nobody@example.org' });
    expect(t.logs.some((l) => 'link' in l)).toBe(false);
    const known = await request(t.app).post('/api/password-reset').send({ email: p.email });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(loggedLink()).toMatch(/^http:\/\/learnhq\.test\/password-reset\/[A-Za-z0-9_-]{40,}$/);
    expect((await request(t.app).post('/api/password-reset').send({ email: 'nope' })).status).toBe(400);
  });

  it('sets the new password once, ends every session, and clears a lockout', async () => {
    const p = await addPerson(t);
    const session = await signIn(t, p.email);
    for (let i = 0; i < 10; i++) await request(t.app).post('/api/session').send({ email: p.email, password: 'wrong password' });
    t.clock.advance(16 * 60_000); // past the lock, but the count stays high
    await request(t.app).post('/api/password-reset').send({ email: p.email });
    const token = tokenOf(loggedLink());
    const short = await request(t.app).post(`/api/password-reset/${token}`).send({ password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/^password/);
    expect((await request(t.app).post(`/api/password-reset/${token}`).send({ password: 'my new long password' })).status).toBe(204);
    expect((await request(t.app).get('/api/me').set('Cookie', session.cookie)).status).toBe(401);
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: PASSWORD })).status).toBe(401);
    expect((await request(t.app).post('/api/session').send({ email: p.email, password: 'my new long password' })).status).toBe(201);
    expect((await request(t.app).post(`/api/password-reset/${token}`).send({ password: 'yet another password' })).status).toBe(404);
  });

  it('refuses a link older than one hour, and made-up tokens', async () => {
    const p = await addPerson(t);
    await request(t.app).post('/api/password-reset').send({ email: p.email });
    const token = tokenOf(loggedLink());
    t.clock.advance(60 * 60_000 + 1);
    expect((await request(t.app).post(`/api/password-reset/${token}`).send({ password: 'my new long password' })).status).toBe(404);
    expect((await request(t.app).post('/api/password-reset/made-up').send({ password: 'my new long password' })).status).toBe(404);
  });
});
