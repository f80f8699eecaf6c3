/**
 * The forwarding page of an organization (issue 13): its administrators add a webhook (the
 * signing key shown once), see it, delete it; other roles and other organizations' administrators
 * are refused and change nothing.
 */
import type { Organization } from '../../../src/store/ports';
import { createPagesApp, makeOrg, makePerson, signInAs, type PagesApp, type SignedInAgent } from './fixture';

let t: PagesApp;
let org: Organization;
let other: Organization;
let admin: SignedInAgent;
let otherAdmin: SignedInAgent;
let learner: SignedInAgent;

beforeAll(async () => {
  t = await createPagesApp();
  org = await makeOrg(t, 'Forward Library', 'both');
  other = await makeOrg(t, 'Other Library', 'both');
  await makePerson(t, { email: 'fwd-admin@pages.test', roles: [{ orgId: org.id, role: 'orgAdmin' }] });
  await makePerson(t, { email: 'other-admin@pages.test', roles: [{ orgId: other.id, role: 'orgAdmin' }] });
  await makePerson(t, { email: 'fwd-learner@pages.test', roles: [{ orgId: org.id, role: 'learner' }] });
  [admin, otherAdmin, learner] = await Promise.all([signInAs(t, 'fwd-admin@pages.test'), signInAs(t, 'other-admin@pages.test'), signInAs(t, 'fwd-learner@pages.test')]);
});
afterAll(() => t.close());

it('adds a webhook (its key shown once), lists it, refuses a private URL, deletes it', async () => {
  const res = await admin.agent.post(`/admin/orgs/${org.id}/forwarding`).type('form')
    .send({ _csrf: admin.csrf, kind: 'webhook', name: 'Grades hook', url: 'https://hooks.example.com/grades', events: 'statement course.passed' });
  expect(res.status).toBe(201);
  const key = /signing key, shown this once: <code>([A-Za-z0-9_-]+)<\/code>/.exec(res.text)?.[1];
  expect(key).toBeDefined();
  const page = await admin.agent.get(`/admin/orgs/${org.id}/forwarding`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Grades hook');
  expect(page.text).not.toContain(key!);
  const [target] = await t.store.forwarding.findForwardTargets(org.id);
  expect(target?.events).toEqual(['statement', 'course.passed']);

  const bad = await admin.agent.post(`/admin/orgs/${org.id}/forwarding`).type('form').send({ _csrf: admin.csrf, kind: 'webhook', name: 'x', url: 'http://169.254.169.254/latest' });
  expect(bad.status).toBe(400);
  expect(bad.text).toMatch(/role="alert"[^>]*>.*private address/);

  // Another organization's administrator and a learner: refused, nothing changes.
  expect((await otherAdmin.agent.get(`/admin/orgs/${org.id}/forwarding`)).status).toBe(404);
  expect((await otherAdmin.agent.post(`/admin/orgs/${org.id}/forwarding/${target!.id}/delete`).type('form').send({ _csrf: otherAdmin.csrf })).status).toBe(404);
  // Org B's own page with org A's target id: not found.
  expect((await otherAdmin.agent.post(`/admin/orgs/${other.id}/forwarding/${target!.id}/delete`).type('form').send({ _csrf: otherAdmin.csrf })).status).toBe(404);
  expect((await learner.agent.get(`/admin/orgs/${org.id}/forwarding`)).status).toBe(403);
  expect((await learner.agent.post(`/admin/orgs/${org.id}/forwarding`).type('form').send({ _csrf: learner.csrf, kind: 'webhook', name: 'y', url: 'https://h.example.com/' })).status).toBe(403);
  expect(await t.store.forwarding.findForwardTargets(org.id)).toHaveLength(1);

  const del = await admin.agent.post(`/admin/orgs/${org.id}/forwarding/${target!.id}/delete`).type('form').send({ _csrf: admin.csrf });
  expect(del.status).toBe(303);
  expect(await t.store.forwarding.findForwardTargets(org.id)).toEqual([]);
});
