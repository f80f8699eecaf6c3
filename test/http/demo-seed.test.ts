import request from 'supertest';
import { testConfig } from '../../src/config';
import { seedDemoContent } from '../../src/demo/seed-demo';
import { createLogger } from '../../src/logger';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('demo content seeding', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const seed = (demo: boolean): Promise<number> =>
    seedDemoContent({ config: testConfig({ demo }), store: t.store, logger: createLogger('silent'), credentials: new CredentialVerifier(t.store.credentials) });

  it('loads the demo statements once, into an empty store only, and they are queryable', async () => {
    const n = await seed(true);
    expect(n).toBeGreaterThan(30);
    expect(await seed(true)).toBe(0);
    expect(await t.store.statements.countStatements()).toBe(n);
    const res = await request(t.app)
      .get('/xapi/statements')
      .query({ activity: 'https://learnhq.example.org/courses/reference-interview', related_activities: 'true', limit: '500' })
      .set({ Authorization: t.auth, 'X-Experience-API-Version': '2.0.0' });
    expect(res.status).toBe(200);
    expect(res.body.statements.length).toBeGreaterThan(5);
    const act = await request(t.app)
      .get('/xapi/activities')
      .query({ activityId: 'https://learnhq.example.org/courses/trustee-essentials' })
      .set({ Authorization: t.auth, 'X-Experience-API-Version': '2.0.0' });
    expect(act.body.definition?.name?.['en-US']).toBe('Library Trustee Essentials');
  });

  it('does nothing when LEARNHQ_DEMO is off', async () => {
    expect(await seed(false)).toBe(0);
    expect(await t.store.statements.countStatements()).toBe(0);
  });
});
