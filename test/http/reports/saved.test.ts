import request from 'supertest';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

describe('saved reports API', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 120_000);
  afterAll(async () => { await w?.close(); });

  /** The viewer's CSRF token, read from a page's sign-out form. */
  async function csrf(viewer: Viewer): Promise<string> {
    for (const path of ['/reports', '/my-learning', '/']) {
      const page = await w.get(viewer, path);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      if (token) return token;
    }
    throw new Error(`no CSRF token for ${viewer}`);
  }
  const post = async (viewer: Viewer, body: Record<string, unknown>): Promise<request.Response> =>
    request(w.app).post('/api/reports/saved').set('Cookie', w.cookies[viewer]).set('X-CSRF-Token', await csrf(viewer)).send(body);
  const del = async (viewer: Viewer, path: string): Promise<request.Response> =>
    request(w.app).delete(path).set('Cookie', w.cookies[viewer]).set('X-CSRF-Token', await csrf(viewer));

  it('saves a report for the organization, shares it with its analysts, and deletes it', async () => {
    const made = await post('analystA', { org: w.orgs.A, name: 'May overview', report: 'overview', params: { from: '2030-05-01', to: '2030-05-31' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ orgId: w.orgs.A, name: 'May overview', report: 'overview', params: { from: '2030-05-01', to: '2030-05-31' } });
    const id = made.body.id as string;
    const list = await w.get('admin', `/api/reports/saved?org=${w.orgs.A}`);
    expect(list.status).toBe(200);
    expect((list.body.saved as { id: string }[]).map((s) => s.id)).toEqual([id]);
    expect((await w.get('analystA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).body.name).toBe('May overview');
    expect((await del('analystA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(204);
    expect((await w.get('analystA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(404);
  });

  it('refuses every other role and organization, and changes nothing', async () => {
    const made = await post('analystA', { org: w.orgs.A, name: 'Kept', report: 'statements', params: { verb: 'completed' } });
    const id = made.body.id as string;
    // No role in A: 404 (A's existence is not revealed); a role in A other than analyst: 403.
    expect((await w.get('analystB', `/api/reports/saved?org=${w.orgs.A}`)).status).toBe(404);
    expect((await w.get('analystP', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(404);
    expect((await w.get('learnerA', `/api/reports/saved?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('adminOfA', `/api/reports/saved?org=${w.orgs.A}`)).status).toBe(403);
    // A's saved report through B's lens, where B's analyst may look: 404.
    expect((await w.get('analystB', `/api/reports/saved/${id}?org=${w.orgs.B}`)).status).toBe(404);
    expect((await del('analystB', `/api/reports/saved/${id}?org=${w.orgs.B}`)).status).toBe(404);
    expect((await del('analystB', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(404);
    expect((await del('learnerA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(403);
    expect((await post('analystB', { org: w.orgs.A, name: 'x', report: 'overview' })).status).toBe(404);
    expect((await post('learnerA', { org: w.orgs.A, name: 'x', report: 'overview' })).status).toBe(403);
    // Without the CSRF token: 403.
    expect((await request(w.app).post('/api/reports/saved').set('Cookie', w.cookies.analystA).send({ org: w.orgs.A, name: 'x', report: 'overview' })).status).toBe(403);
    // Bad input: 400.
    expect((await post('analystA', { org: w.orgs.A, name: '', report: 'overview' })).status).toBe(400);
    expect((await post('analystA', { org: w.orgs.A, name: 'x', report: 'nope' })).status).toBe(400);
    expect((await post('analystA', { org: w.orgs.A, name: 'x', report: 'overview', params: { a: 1 } })).status).toBe(400);
    // Nothing changed.
    const list = await w.get('analystA', `/api/reports/saved?org=${w.orgs.A}`);
    expect((list.body.saved as { name: string }[]).map((s) => s.name)).toEqual(['Kept']);
    expect((await w.get('analystB', `/api/reports/saved?org=${w.orgs.B}`)).body.saved).toEqual([]);
  });
});
