/**
 * Sign-in, sign-out, invitation and password-reset pages over HTTP: status codes, redirects,
 * messages in the page, values kept, and single-use links.
 */
import request from 'supertest';
import { inviteToOrganization, requestPasswordReset } from '../../../src/accounts/service';
import { buildUserContext } from '../../../src/accounts/sessions';
import type { Organization } from '../../../src/store/ports';
import { ADMIN_EMAIL, anonBrowser, createPagesApp, mailedLinkPath, makeOrg, makePerson, PASSWORD, signInAs, type PagesApp } from './fixture';

let t: PagesApp;
let org: Organization;

beforeAll(async () => {
  t = await createPagesApp();
  org = await makeOrg(t, 'Gamma Library', 'member');
});
afterAll(() => t.close());

/** An invitation made through the service as the site admin; returns the link's path. */
async function invite(email: string): Promise<string> {
  const adminUser = await t.store.accounts.findUserByEmail(ADMIN_EMAIL);
  if (!adminUser) throw new Error('no site admin');
  const actor = await buildUserContext(t.services, adminUser, 'fixture-session');
  await inviteToOrganization(t.services, actor, { orgId: org.id, email, roles: ['learner', 'analyst'] });
  return mailedLinkPath(t, email);
}

/** A session-less form post as a browser sends it: page loaded first, its token in the form. */
async function post(path: string, fields: Record<string, string>, page = '/sign-in'): Promise<request.Response> {
  const b = await anonBrowser(t, page);
  return b.agent.post(path).type('form').send({ _csrf: b.csrf, ...fields });
}

describe('sign-in page', () => {
  it('renders an accessible form: lang, one h1, labelled inputs', async () => {
    const res = await request(t.app).get('/sign-in?next=/me');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text.match(/<h1[\s>]/g)).toHaveLength(1);
    for (const id of ['f-email', 'f-password']) {
      expect(res.text).toContain(`<label for="${id}">`);
      expect(res.text).toContain(`id="${id}"`);
    }
    expect(res.text).toContain('name="next" value="/me"');
  });

  it('signs in and goes to next; the cookie is HttpOnly and SameSite', async () => {
    await makePerson(t, { email: 'sid@pages.test', roles: [{ orgId: org.id, role: 'learner' }] });
    const res = await post('/sign-in', { email: 'SID@pages.test', password: PASSWORD, next: '/me' });
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/me');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lhq_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example'])('never redirects off-site (next=%s)', async (next) => {
    await makePerson(t, { email: `next-${Buffer.from(next).toString('hex').slice(0, 10)}@pages.test` });
    const res = await post('/sign-in', { email: `next-${Buffer.from(next).toString('hex').slice(0, 10)}@pages.test`, password: PASSWORD, next });
    expect(res.status).toBe(303);
    // An off-site next is dropped: the person lands where their roles' work is (issue 18; no role: My learning).
    expect(res.headers['location']).toBe('/my-learning');
  });

  it('says the email or password is wrong, in an alert, keeping the email', async () => {
    await makePerson(t, { email: 'wrong@pages.test' });
    const res = await post('/sign-in', { email: 'wrong@pages.test', password: 'not the password' });
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/role="alert"[^>]*>The email or password is wrong\./);
    expect(res.text).toContain('value="wrong@pages.test"');
    expect(res.text).not.toContain('not the password');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('asks for both fields when one is empty', async () => {
    const res = await post('/sign-in', { email: 'x@pages.test' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter your email and your password.');
  });

  it('slows repeated failures down and says so in the page', async () => {
    await makePerson(t, { email: 'brute@pages.test' });
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 12; i += 1) {
      const res = await post('/sign-in', { email: 'brute@pages.test', password: `guess-${i}-guess` });
      statuses.push(res.status);
      last = res.text;
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        break;
      }
    }
    expect(statuses).toContain(429);
    expect(last).toMatch(/role="alert"[^>]*>Too many sign-in attempts for this account: try again in \d+ s\./);
    // Even the right password is refused while paused.
    const right = await post('/sign-in', { email: 'brute@pages.test', password: PASSWORD });
    expect(right.status).toBe(429);
  });

  it('sends a signed-in person from /sign-in to next', async () => {
    const a = await signInAs(t, ADMIN_EMAIL);
    const res = await a.agent.get('/sign-in?next=/admin');
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/admin');
  });
});

describe('sign-out', () => {
  it('ends the session: the old cookie no longer works', async () => {
    await makePerson(t, { email: 'leaver@pages.test' });
    const a = await signInAs(t, 'leaver@pages.test');
    expect((await request(t.app).get('/me').set('Cookie', a.cookie)).status).toBe(200);
    const out = await a.agent.post('/sign-out').type('form').send({ _csrf: a.csrf });
    expect(out.status).toBe(303);
    expect(out.headers['location']).toBe('/sign-in');
    expect(String(out.headers['set-cookie'])).toMatch(/lhq_session=;/);
    const replay = await request(t.app).get('/me').set('Cookie', a.cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers['location']).toBe('/sign-in?next=%2Fme');
  });
});

describe('invitation page', () => {
  it('accepts an invitation: name and password, then signed in with the roles', async () => {
    const path = await invite('newcomer@pages.test');
    const page = await request(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Join Gamma Library');
    expect(page.text).toContain('newcomer@pages.test');

    const mismatch = await post(path, { name: 'New Comer', password: 'a-long-password', confirm: 'another-password' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The two passwords are not the same.');
    expect(mismatch.text).toContain('value="New Comer"');

    const short = await post(path, { name: 'New Comer', password: 'short', confirm: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toMatch(/role="alert"[^>]*>Password must be at least 10 characters/);

    const { agent, csrf } = await anonBrowser(t, path);
    const ok = await agent.post(path).type('form').send({ _csrf: csrf, name: 'New Comer', password: 'a-long-password', confirm: 'a-long-password' });
    expect(ok.status).toBe(303);
    expect(ok.headers['location']).toBe('/');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Gamma Library');
    expect(home.text).toMatch(/<td>(Learner, Analyst|Analyst, Learner)<\/td>/);

    const again = await request(t.app).get(path);
    expect(again.status).toBe(404);
    expect(again.text).toContain('This invitation cannot be used');
  });

  it('answers 404 pages for unknown invitation and reset tokens', async () => {
    expect((await request(t.app).get('/invitations/not-a-token')).status).toBe(404);
    expect((await post('/invitations/not-a-token', { name: 'x', password: 'a-long-password', confirm: 'a-long-password' })).status).toBe(404);
    expect((await request(t.app).get('/password-reset/not-a-token')).status).toBe(404);
  });
});

describe('password reset pages', () => {
  it('answers the same for known and unknown emails', async () => {
    await makePerson(t, { email: 'forgetful@pages.test' });
    const known = await post('/password-reset', { email: 'forgetful@pages.test' });
    const unknown = await post('/password-reset', { email: 'nobody@pages.test' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const same = (text: string, email: string): string => text.replace(email, 'E').replace(/name="_csrf" value="[^"]*"/, '');
    expect(same(known.text, 'forgetful@pages.test')).toBe(same(unknown.text, 'nobody@pages.test'));
    // No mail server in this app: the page says where the link really is, not that it was mailed.
    expect(known.text).toContain('This site has no mail server, so no email is sent.');
  });

  it('sets a new password with the link, once', async () => {
    await makePerson(t, { email: 'resetter@pages.test' });
    await requestPasswordReset(t.services, 'resetter@pages.test');
    const path = await mailedLinkPath(t, 'resetter@pages.test');
    const page = await request(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Choose a new password');
    const set = await post(path, { password: 'my-new-password', confirm: 'my-new-password' });
    expect(set.status).toBe(303);
    expect(set.headers['location']).toBe('/sign-in?reset=1');
    expect((await request(t.app).get('/sign-in?reset=1')).text).toContain('Your password was changed');
    expect((await post('/sign-in', { email: 'resetter@pages.test', password: 'my-new-password' })).status).toBe(303);
    expect((await post('/sign-in', { email: 'resetter@pages.test', password: PASSWORD })).status).toBe(401);
    expect((await post(path, { password: 'other-new-password', confirm: 'other-new-password' })).status).toBe(404);
  });
});
