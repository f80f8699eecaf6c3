import request from 'supertest';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

/** The saved reports page and the "save these filters" form of the report pages, per role. */
describe('saved reports page and form', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 180_000);
  afterAll(async () => { await w?.close(); });

  const tokenOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const csrf = async (viewer: Viewer): Promise<string> => tokenOf((await w.get(viewer, '/my-learning')).text);
  const postForm = async (viewer: Viewer, path: string, fields: Record<string, string>, withToken = true): Promise<request.Response> =>
    request(w.app).post(path).set('Cookie', w.cookies[viewer]).type('form').send({ ...(withToken ? { _csrf: await csrf(viewer) } : {}), ...fields });
  const saveField = (page: string, name: string): string => new RegExp(`<form method="post" action="/reports/saved">[\\s\\S]*?name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';

  it('saves the filters of a report page, lists them, opens them and deletes them', async () => {
    const people = await w.get('analystA', `/reports/people?org=${w.orgs.A}&unit=${w.units.south}&status=completed`);
    expect(people.status).toBe(200);
    expect(people.text).toContain('Save these filters');
    const params = saveField(people.text, 'params');
    expect(new URLSearchParams(params).get('unit')).toBe(w.units.south);
    const saved = await postForm('analystA', '/reports/saved', { org: w.orgs.A, report: 'people', name: 'South completions', params });
    expect(saved.status).toBe(303);
    expect(saved.headers['location']).toBe(`/reports/saved?org=${encodeURIComponent(w.orgs.A)}`);
    const list = await w.get('analystA', `/reports/saved?org=${w.orgs.A}`);
    expect(list.status).toBe(200);
    const href = /<a href="([^"]+)">South completions<\/a>/.exec(list.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(href.startsWith('/reports/people?')).toBe(true);
    const opened = new URLSearchParams(href.slice(href.indexOf('?') + 1));
    expect(opened.get('unit')).toBe(w.units.south);
    expect(opened.get('status')).toBe('completed');
    expect(opened.get('org')).toBe(w.orgs.A);
    // The API twin lists the same, for the organization's analysts.
    const api = await w.get('admin', `/api/reports/saved?org=${w.orgs.A}`);
    const id = (api.body.saved as { id: string; name: string }[]).find((x) => x.name === 'South completions')?.id ?? '';
    expect(id).not.toBe('');
    // Another organization's analyst cannot delete it, through either organization; nor a learner of A; nor without the token.
    expect((await postForm('analystB', `/reports/saved/${id}/delete`, { org: w.orgs.B })).status).toBe(404);
    expect((await postForm('analystB', `/reports/saved/${id}/delete`, { org: w.orgs.A })).status).toBe(404);
    expect((await postForm('learnerA', `/reports/saved/${id}/delete`, { org: w.orgs.A })).status).toBe(403);
    expect((await postForm('analystA', `/reports/saved/${id}/delete`, { org: w.orgs.A }, false)).status).toBe(403);
    expect((await w.get('analystA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(200);
    const del = await postForm('analystA', `/reports/saved/${id}/delete`, { org: w.orgs.A });
    expect(del.status).toBe(303);
    expect((await w.get('analystA', `/api/reports/saved/${id}?org=${w.orgs.A}`)).status).toBe(404);
  });

  it('offers the form on every report page to analysts only, and refuses saving elsewhere', async () => {
    for (const path of [`/reports?org=${w.orgs.A}`, `/reports/statements?org=${w.orgs.A}`, `/reports/courses/${w.courses.intro}?org=${w.orgs.A}`, `/reports/competencies?org=${w.orgs.A}`]) {
      const page = await w.get('analystA', path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('action="/reports/saved"');
    }
    expect(saveField((await w.get('analystA', `/reports/courses/${w.courses.intro}?org=${w.orgs.A}`)).text, 'params')).toContain(`course=${w.courses.intro}`);
    // Managers and administrators see the people report but may not save (saved reports are the analysts').
    const managerPage = (await w.get('managerNorth', `/reports/people?org=${w.orgs.A}`)).text;
    expect(managerPage).not.toContain('action="/reports/saved"');
    // Their Reports navigation holds only the reports they may open.
    expect(managerPage).toContain('>Competencies</a>');
    expect(managerPage).not.toContain('>Saved reports</a>');
    expect(managerPage).not.toContain('>Overview</a>');
    expect((await w.get('analystA', `/reports/people?org=${w.orgs.A}`)).text).toContain('>Saved reports</a>');
    expect((await w.get('adminOfA', `/reports/people?org=${w.orgs.A}`)).text).not.toContain('action="/reports/saved"');
    expect((await postForm('managerNorth', '/reports/saved', { org: w.orgs.A, report: 'people', name: 'x', params: '' })).status).toBe(403);
    expect((await postForm('analystB', '/reports/saved', { org: w.orgs.A, report: 'people', name: 'x', params: '' })).status).toBe(404);
    expect((await postForm('analystA', '/reports/saved', { org: w.orgs.A, report: 'people', name: 'x', params: '' }, false)).status).toBe(403);
    expect((await postForm('analystA', '/reports/saved', { org: w.orgs.A, report: 'nope', name: 'x', params: '' })).status).toBe(400);
    expect((await w.get('learnerA', '/reports/saved')).status).toBe(403);
    expect((await w.get('managerNorth', `/reports/saved?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('analystB', `/reports/saved?org=${w.orgs.A}`)).status).toBe(404);
    expect((await w.get('analystA', `/api/reports/saved?org=${w.orgs.A}`)).body.saved).toEqual([]);
  });
});
