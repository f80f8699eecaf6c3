import type { RequestListener } from 'node:http';
import type { TestApp } from '../../helpers/test-app';
import { activityId, agent, call, documentsTestApp, V1 } from './helpers';

let t: TestApp;
beforeAll(async () => { t = await documentsTestApp(); });
afterAll(async () => { await t.close(); });

describe('Activities resource', () => {
  test('an unknown activity is still an Activity object', async () => {
    const id = activityId();
    const res = await call(t.app, t.auth, 'get', '/activities', { activityId: id }).expect(200);
    expect(res.body).toEqual({ objectType: 'Activity', id });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  test('a known activity comes with its canonical definition', async () => {
    const id = activityId();
    const definition = { name: { 'en-US': 'meeting', 'fr-FR': 'réunion' }, type: 'http://adlnet.gov/expapi/activities/meeting' };
    await t.store.activities.upsertActivities([{ id, definition, updated: new Date().toISOString() }]);
    const res = await call(t.app, t.auth, 'get', '/activities', { activityId: id }, V1).expect(200);
    expect(res.body).toEqual({ objectType: 'Activity', id, definition });
    const head = await call(t.app, t.auth, 'head', '/activities', { activityId: id }).expect(200);
    expect(head.text ?? '').toBe('');
  });

  test.each([
    ['no activityId', {}],
    ['an activityId that is not an IRI', { activityId: 'true' }],
    ['an unknown parameter', { activityId: 'http://x.y/z', agent: agent() }],
  ])('%s is 400', async (_n, params) => {
    await call(t.app, t.auth, 'get', '/activities', params).expect(400);
  });
});

describe('Agents resource', () => {
  test('returns a Person object with every property an array', async () => {
    const a = { objectType: 'Agent', name: 'Rick James', mbox: 'mailto:rick@example.com' };
    const res = await call(t.app, t.auth, 'get', '/agents', { agent: a }).expect(200);
    expect(res.body).toEqual({ objectType: 'Person', name: ['Rick James'], mbox: ['mailto:rick@example.com'], mbox_sha1sum: [], openid: [], account: [] });
    const acc = await call(t.app, t.auth, 'get', '/agents', { agent: agent('n1') }).expect(200);
    expect(acc.body.account).toEqual([{ homePage: 'http://example.com/agents', name: 'n1' }]);
    expect(acc.body.name).toEqual([]);
  });

  test.each([
    ['no agent', {}],
    ['agent that is not JSON', { agent: 'not JSON' }],
    ['agent without an identifier', { agent: { name: 'x' } }],
    ['a Group', { agent: { objectType: 'Group', mbox: 'mailto:g@example.com' } }],
    ['an unknown parameter', { agent: agent(), foo: 1 }],
  ])('%s is 400', async (_n, params) => {
    await call(t.app, t.auth, 'get', '/agents', params).expect(400);
  });

  test('reading agents and activities needs a read scope', async () => {
    const writer = await t.credential(['statements/write']);
    await call(t.app, writer, 'get', '/agents', { agent: agent() }).expect(403);
    await call(t.app, writer, 'get', '/activities', { activityId: activityId() }).expect(403);
    const reader = await t.credential(['statements/read']);
    await call(t.app, reader, 'get', '/agents', { agent: agent() }).expect(200);
  });
});
