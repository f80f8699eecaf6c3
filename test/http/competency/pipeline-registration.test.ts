import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { casePackage } from '../../fixtures/case-package';
import { as, competencyWorld, statementBy, type CompetencyWorld } from './fixture';
import { eventually } from '../../helpers/eventually';

/** The evidence subscriber as the app registers it: a statement POSTed to the LRS becomes evidence, without anyone calling the subscriber. */
describe('competency evidence in the running pipeline', () => {
  let w: CompetencyWorld;
  beforeAll(async () => {
    w = await competencyWorld({ engine: true });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('projects a statement stored through the Statement API', async () => {
    const ids = new Map<string, string>();
    const fw = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, casePackage({ ids }));
    const activity = 'https://tool.example.org/course/pipeline';
    expect((await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, {
      frameworkId: fw.body.framework.id, itemIdentifier: ids.get('C2.1'), target: { kind: 'activity', activityId: activity }, level: 1, rule: { kind: 'completed' },
    })).status).toBe(201);
    const key = 'pipeline-test-key';
    await w.t.store.credentials.insertCredential({
      key, secretHash: await hashSecret('pipeline-secret'), name: 'tool', scopes: ['all'], orgId: w.orgA.id,
      authority: { objectType: 'Agent', name: 'tool', account: { homePage: 'http://tool.example.org', name: key } }, createdAt: new Date().toISOString(),
    });
    const s = statementBy(w, w.ids.learnerA, activity);
    const res = await request(w.t.app).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3')
      .set('Authorization', `Basic ${Buffer.from(`${key}:pipeline-secret`).toString('base64')}`).send(s);
    expect(res.status).toBe(200);
    const evidence = await eventually(() => w.t.store.competency.findEvidence({ userId: w.ids.learnerA }), (e) => e.length > 0);
    expect(evidence).toEqual([expect.objectContaining({ statementId: s['id'], itemIdentifier: ids.get('C2.1'), level: 1, orgId: w.orgA.id })]);
  });
});
