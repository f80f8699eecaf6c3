import http from 'node:http';
/**
 * The documents resources driven by a real xAPI client (@xapi/xapi v3, which speaks 1.0.3) over
 * HTTP against a listening server: what a content package or an outside tool would do.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import XAPI from '@xapi/xapi';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let server: Server;
let xapi: XAPI;

beforeAll(async () => {
  t = await createTestApp();
  server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  xapi = new XAPI({ endpoint: `http://127.0.0.1:${port}/xapi/`, auth: t.auth, version: '1.0.3', adapter: 'fetch' });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const learner = (): { objectType: 'Agent'; mbox: string } => ({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@example.com` });
const activityId = (): string => `http://example.com/course/${randomUUID()}`;

describe('@xapi/xapi client against the LRS', () => {
  test('state: set, merge, read, list and delete', async () => {
    const agent = learner();
    const act = activityId();
    const registration = randomUUID();
    await xapi.setState({ agent, activityId: act, stateId: 'bookmark', registration, state: { page: 3 } });
    await xapi.createState({ agent, activityId: act, stateId: 'bookmark', registration, state: { score: 80 } });
    const got = await xapi.getState({ agent, activityId: act, stateId: 'bookmark', registration });
    expect(got.status).toBe(200);
    expect(got.data).toEqual({ page: 3, score: 80 });
    expect(String((got.headers as Record<string, string>)['etag'] ?? '')).toMatch(/^"[0-9a-f]{40}"$/);

    await xapi.setState({ agent, activityId: act, stateId: 'suspend', registration, state: 'raw suspend data', contentType: 'text/plain' });
    const ids = await xapi.getStates({ agent, activityId: act, registration });
    expect([...ids.data].sort()).toEqual(['bookmark', 'suspend']);
    const text = await xapi.getState({ agent, activityId: act, stateId: 'suspend', registration });
    expect(text.data).toBe('raw suspend data');

    await xapi.deleteState({ agent, activityId: act, stateId: 'bookmark', registration });
    expect((await xapi.getStates({ agent, activityId: act, registration })).data).toEqual(['suspend']);
    await xapi.deleteStates({ agent, activityId: act });
    expect((await xapi.getStates({ agent, activityId: act })).data).toEqual([]);
  });

  test('activity profile: create with If-None-Match, replace with If-Match, refuse a stale ETag', async () => {
    const act = activityId();
    await xapi.setActivityProfile({ activityId: act, profileId: 'settings', profile: { theme: 'dark' }, etag: '*', matchHeader: 'If-None-Match' });
    const first = await xapi.getActivityProfile({ activityId: act, profileId: 'settings' });
    expect(first.data).toEqual({ theme: 'dark' });
    const etag = String((first.headers as Record<string, string>)['etag'] ?? '');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    await xapi.setActivityProfile({ activityId: act, profileId: 'settings', profile: { theme: 'light' }, etag, matchHeader: 'If-Match' });
    await expect(
      xapi.setActivityProfile({ activityId: act, profileId: 'settings', profile: { theme: 'blue' }, etag, matchHeader: 'If-Match' }),
    ).rejects.toBeTruthy();
    expect((await xapi.getActivityProfile({ activityId: act, profileId: 'settings' })).data).toEqual({ theme: 'light' });
    expect((await xapi.getActivityProfiles({ activityId: act })).data).toEqual(['settings']);
    await xapi.deleteActivityProfile({ activityId: act, profileId: 'settings', etag: '*' });
    expect((await xapi.getActivityProfiles({ activityId: act })).data).toEqual([]);
  });

  test('agent profile, agents and activities', async () => {
    const agent = learner();
    await xapi.setAgentProfile({ agent, profileId: 'prefs', profile: { lang: 'fr' }, etag: '*', matchHeader: 'If-None-Match' });
    await xapi.createAgentProfile({ agent, profileId: 'prefs', profile: { size: 'L' } });
    expect((await xapi.getAgentProfile({ agent, profileId: 'prefs' })).data).toEqual({ lang: 'fr', size: 'L' });
    expect((await xapi.getAgentProfiles({ agent })).data).toEqual(['prefs']);

    const person = await xapi.getAgent({ agent });
    expect(person.data).toMatchObject({ objectType: 'Person', mbox: [agent.mbox] });
    const act = activityId();
    expect((await xapi.getActivity({ activityId: act })).data).toEqual({ objectType: 'Activity', id: act });
  });
});
