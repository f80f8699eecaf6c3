/**
 * Issue 11, the web surface: login CSRF on session-less forms, duplicate (tossed) session
 * cookies, one browser policy on every answer, CORS of the LRS without credentials.
 */
import request from 'supertest';
import { loadConfig } from '../../../src/config';
import { createWorld, PASSWORD, type World } from './fixture';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

/** A browser that loaded /sign-in: its cookie jar and the form's token. */
async function browser(): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(w.app);
  const page = await agent.get('/sign-in');
  return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
}

describe('login CSRF (issue 11 item 6)', () => {
  it('signs in through the form with the pre-session token, from the app origin', async () => {
    const b = await browser();
    const res = await b.agent.post('/sign-in').set('Origin', 'http://learnhq.test').set('Sec-Fetch-Site', 'same-origin')
      .type('form').send({ _csrf: b.csrf, email: w.people.learnerA.email, password: PASSWORD });
    expect(res.status).toBe(303);
  });

  it('refuses a cross-site form post to /sign-in, whatever it carries', async () => {
    const b = await browser();
    const form = { _csrf: b.csrf, email: w.people.learnerA.email, password: PASSWORD };
    const crossSite = await b.agent.post('/sign-in').set('Sec-Fetch-Site', 'cross-site').type('form').send(form);
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain('Cross-site form posts are refused');
    expect(crossSite.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^lhq_session=[^;]/)]));
    expect((await b.agent.post('/sign-in').set('Sec-Fetch-Site', 'same-site').type('form').send(form)).status).toBe(403);
    expect((await b.agent.post('/sign-in').set('Origin', 'http://evil.example').type('form').send(form)).status).toBe(403);
    expect((await b.agent.post('/sign-in').set('Origin', 'null').type('form').send(form)).status).toBe(403);
  });

  it('refuses a form post without the pre-session token, or with another browser\'s', async () => {
    const mine = await browser();
    const theirs = await browser();
    const form = { email: w.people.learnerA.email, password: PASSWORD };
    expect((await request(w.app).post('/sign-in').type('form').send(form)).status).toBe(403);
    expect((await mine.agent.post('/sign-in').type('form').send(form)).status).toBe(403);
    const swapped = await mine.agent.post('/sign-in').type('form').send({ ...form, _csrf: theirs.csrf });
    expect(swapped.status).toBe(403);
    expect(swapped.text).toContain('CSRF token is missing or wrong');
    for (const path of ['/password-reset', '/password-reset/some-token', '/invitations/some-token', '/verify-email/some-token']) {
      expect((await mine.agent.post(path).type('form').send({ email: 'x@example.org' })).status).toBe(403);
      expect((await mine.agent.post(path).set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: mine.csrf, email: 'x@example.org' })).status).toBe(403);
    }
  });

  it('refuses the JSON twins when the browser says the request is cross-site', async () => {
    const body = { email: w.people.learnerA.email, password: PASSWORD };
    expect((await request(w.app).post('/api/session').set('Origin', 'http://evil.example').send(body)).status).toBe(403);
    expect((await request(w.app).post('/api/session').set('Sec-Fetch-Site', 'cross-site').send(body)).status).toBe(403);
    expect((await request(w.app).post('/api/password-reset').set('Sec-Fetch-Site', 'cross-site').send({ email: 'x@example.org' })).status).toBe(403);
    // A non-browser client sends neither header.
    expect((await request(w.app).post('/api/session').send(body)).status).toBe(201);
  });
});

describe('cookie tossing (issue 11 item 9)', () => {
  it('puts the default content origin on another host name than the app, and refuses the same host', () => {
    const c = loadConfig({});
    expect(new URL(c.publicUrl).hostname).toBe('localhost');
    expect(c.contentUrl).toBe('http://127.0.0.1:8081');
    expect(loadConfig({ LEARNHQ_PUBLIC_URL: 'http://127.0.0.1:8080' }).contentUrl).toBe('http://localhost:8081');
    expect(() => loadConfig({ LEARNHQ_CONTENT_URL: 'http://localhost:8081' })).toThrow(/LEARNHQ_CONTENT_URL.*another host name/);
  });

  it('refuses a request carrying two session cookies with 400 and clears them, whichever is valid', async () => {
    const victim = await w.session(w.people.learnerA);
    const attacker = await w.session(w.people.learnerB);
    const both = `${attacker.cookie}; ${victim.cookie}`;
    const res = await request(w.app).get('/api/me').set('Cookie', both);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/2 session cookies \(lhq_session\): another site may have planted one/);
    const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    for (const path of ['/', '/api', '/api/me']) expect(cleared).toContainEqual(expect.stringMatching(new RegExp(`^lhq_session=;.*Path=${path.replace(/\//g, '\\/')};`)));
    const page = await request(w.app).get('/me').set('Cookie', both);
    expect(page.status).toBe(400);
    // One cookie works as before.
    expect((await request(w.app).get('/api/me').set('Cookie', victim.cookie)).status).toBe(200);
  });
});

describe('browser policy headers on every answer (issue 11 item 12)', () => {
  const strict = (h: Record<string, string>): void => {
    const csp = h['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain(`frame-src ${new URL(w.config.contentUrl).origin}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('same-origin');
    expect(h['x-frame-options']).toBe('DENY');
  };

  it('sends them on pages, API answers, errors, static files and the LRS', async () => {
    const s = await w.session(w.people.learnerA);
    const answers = [
      await request(w.app).get('/sign-in'),
      await request(w.app).get('/me').set('Cookie', s.cookie),
      await request(w.app).get('/api/me').set('Cookie', s.cookie),
      await request(w.app).get('/api/me'),
      await request(w.app).get('/no/such/page'),
      await request(w.app).get('/static/style.css'),
      await request(w.app).get('/health'),
      await request(w.app).get('/xapi/about'),
      await request(w.app).get('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3'),
    ];
    for (const a of answers) strict(a.headers as Record<string, string>);
  });

  it('sends them on the statements fast lane too, its errors included', async () => {
    const ok = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3')
      .send({ actor: { mbox: 'mailto:fast@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: 'http://example.org/a' } });
    expect(ok.status).toBe(200);
    strict(ok.headers as Record<string, string>);
    const refused = await request(w.app).post('/xapi/statements').set('Authorization', 'Basic bm86cGU=').set('X-Experience-API-Version', '1.0.3').send({});
    expect(refused.status).toBe(401);
    strict(refused.headers as Record<string, string>);
  });
});

describe('CORS of the LRS (issue 11 item 13)', () => {
  it('never reflects an Origin with credentials, on the router and on the fast lane', async () => {
    const origin = 'http://evil.example';
    const get = await request(w.app).get('/xapi/statements').set('Origin', origin).set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3');
    const post = await request(w.app).post('/xapi/statements').set('Origin', origin).set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3')
      .send({ actor: { mbox: 'mailto:cors@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: 'http://example.org/a' } });
    expect(post.status).toBe(200);
    for (const r of [get, post]) {
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['access-control-allow-credentials']).toBeUndefined();
      expect(r.headers['access-control-expose-headers']).toContain('X-Experience-API-Consistent-Through');
    }
  });

  it('lets a browser client preflight with Authorization and the xAPI headers', async () => {
    const res = await request(w.app).options('/xapi/statements').set('Origin', 'http://tool.example')
      .set('Access-Control-Request-Method', 'PUT').set('Access-Control-Request-Headers', 'authorization, content-type, x-experience-api-version');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toContain('PUT');
    for (const h of ['Authorization', 'X-Experience-API-Version', 'Content-Type', 'If-Match']) expect(res.headers['access-control-allow-headers']).toContain(h);
  });
});
