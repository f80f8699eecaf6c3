/**
 * Saved reports (issue 16): a report's filters saved under a name, shared with the
 * organization's analysts. The rules behind both the API (saved-routes.ts) and the page
 * (/reports/saved): another organization's id is 404, a role there other than analyst 403
 * (roleError), a saved report of another organization 404.
 */
import { randomUUID } from 'node:crypto';
import { roleError } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import { badRequest, notFound } from '../errors';
import type { SavedReport, Store } from '../store/ports';

/** The reports whose filters may be saved, and the page each opens. */
export const SAVED_REPORT_PAGES: Readonly<Record<string, string>> = {
  overview: '/reports', courses: '/reports/courses', statements: '/reports/statements', people: '/reports/people', competencies: '/reports/competencies',
};

/** The organization asked for, after checking the viewer is its analyst (or the site administrator). */
export function savedOrgOf(user: UserContext, raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw badRequest('org is required');
  const err = roleError(user, raw, ['analyst']);
  if (err) throw err;
  return raw;
}

/** Whether the viewer may save reports for the organization. */
export function maySaveReports(user: UserContext, orgId: string | undefined): boolean {
  return orgId !== undefined && (user.isSiteAdmin || (user.roles.get(orgId)?.has('analyst') ?? false));
}

export function parseSavedParams(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('params must be an object of strings');
  const out: Record<string, string> = {};
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 50) throw badRequest('at most 50 params');
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || k.length > 100 || v.length > 2000) throw badRequest(`param ${k} must be a string of at most 2000 characters`);
    out[k] = v;
  }
  return out;
}

/** Saves a report for the organization (checked as savedOrgOf). */
export async function createSavedReport(store: Store, user: UserContext, now: Date, input: { org: unknown; name: unknown; report: unknown; params: unknown }): Promise<SavedReport> {
  const org = savedOrgOf(user, input.org);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || name.length > 200) throw badRequest('name must be 1 to 200 characters');
  const report = input.report;
  if (typeof report !== 'string' || !Object.hasOwn(SAVED_REPORT_PAGES, report)) throw badRequest(`report must be one of ${Object.keys(SAVED_REPORT_PAGES).join(', ')}`);
  const saved: SavedReport = { id: randomUUID(), orgId: org, name, report, params: parseSavedParams(input.params), createdBy: user.userId, createdAt: now.toISOString() };
  await store.reports.putSavedReport(saved);
  return saved;
}

/** Deletes one of the organization's saved reports; 404 when it has none of that id. */
export async function deleteSavedReport(store: Store, user: UserContext, orgRaw: unknown, id: string): Promise<void> {
  const org = savedOrgOf(user, orgRaw);
  if (!(await store.reports.deleteSavedReport(org, id))) throw notFound('no such saved report');
}

/** Where a saved report opens: its page with its filters (a course report: the course in `course`). */
export function savedReportHref(r: SavedReport): string {
  const { course, ...rest } = r.params;
  const base = SAVED_REPORT_PAGES[r.report] ?? '/reports';
  const path = r.report === 'courses' ? `${base}/${encodeURIComponent(course ?? '')}` : base;
  const params = new URLSearchParams({ ...rest, org: r.params['org'] ?? r.orgId });
  return `${path}?${params.toString()}`;
}
