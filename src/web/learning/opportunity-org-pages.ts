/**
 * The organizers' pages of an organization's opportunities (issue 18): the list
 * (/orgs/:orgId/opportunities, twin of GET /api/orgs/:orgId/opportunities) and the form that
 * publishes a new one (/orgs/:orgId/opportunities/new, twin of POST /api/orgs/:orgId/opportunities).
 * Authors and administrators of the organization; other members 403; anyone else 404.
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { createOpportunity, OPPORTUNITY_KINDS } from '../../catalog/opportunities';
import { listOrgOpportunities, organizerOf, type OrganizedOpportunity } from '../../catalog/opportunity-list';
import type { AppServices } from '../../deps';
import { AppError, badRequest } from '../../errors';
import { organizationChoices, parseVisibilityChange, setEntryVisibility } from '../../catalog/service';
import type { Organization } from '../../store/ports';
import { csrfField, formBody, formError, list, text } from '../accounts/forms';
import { sendPage, signedIn, when } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html } from '../html';

type Values = Readonly<Record<string, string>>;
const FIELDS = ['kind', 'title', 'description', 'startsAt', 'endsAt', 'location', 'joinUrl', 'url', 'capacity', 'ceCredits', 'durationMinutes', 'visibility'] as const;

function stateLabel(state: string): string {
  return state === 'published' ? 'Published' : state === 'retired' ? 'Withdrawn' : 'Draft';
}

function listView(org: Organization, rows: readonly OrganizedOpportunity[]): Html {
  const base = `/orgs/${encodeURIComponent(org.id)}`;
  return html`<h1>${org.name}: opportunities</h1>
<p>Webinars, workshops, conference sessions, external courses and links your organization publishes. Open one for its registration list and to record attendance.</p>
<p><a class="button" href="${base}/opportunities/new">Publish an opportunity</a> <a href="${base}/assignments">Assign learning</a></p>
${rows.length === 0
    ? html`<p>Your organization has published no opportunity yet.</p>`
    : html`<div class="table-wrap"><table><caption class="visually-hidden">Opportunities of ${org.name}, newest first</caption>
<thead><tr><th scope="col">Opportunity</th><th scope="col">When</th><th scope="col">Registered</th><th scope="col">Attended</th><th scope="col">State</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/opportunities/${encodeURIComponent(r.entry.id)}">${r.entry.title}</a><br><span class="muted">${kindLabel(r.entry.kind)}${r.entry.visibility === 'all' ? ' · every organization' : r.entry.visibility === 'orgs' ? ' · selected organizations' : ' · our organization'}</span></td>
<td>${r.entry.startsAt ? when(r.entry.startsAt) : 'No date'}</td>
<td>${r.registered + r.attended + r.absent}${r.entry.capacity !== undefined ? ` of ${r.entry.capacity}` : ''}</td>
<td>${r.attended}</td><td>${stateLabel(r.entry.state)}</td></tr>`)}</tbody></table></div>`}`;
}

function input(name: string, label: string, type: string, v: Values, extra: Html | string = '', hint?: string): Html {
  return html`<label for="f-${name}">${label}</label>
${hint ? html`<p class="hint muted" id="f-${name}-hint">${hint}</p>` : ''}
<input id="f-${name}" name="${name}" type="${type}" value="${v[name] ?? ''}"${hint ? html` aria-describedby="f-${name}-hint"` : ''}${extra}>`;
}

function formView(org: Organization, others: readonly Organization[], v: Values, chosen: ReadonlySet<string>, csrf: string, error?: string): Html {
  const base = `/orgs/${encodeURIComponent(org.id)}`;
  const kind = v['kind'] || 'webinar';
  const visibility = v['visibility'] || 'org';
  return html`<h1>Publish an opportunity</h1>
<p>For ${org.name}. People register from its catalog page; you record attendance there.</p>
${formError(error)}
<form method="post" action="${base}/opportunities" class="stack">${csrfField(csrf)}
<label for="f-kind">Type</label>
<select id="f-kind" name="kind">${OPPORTUNITY_KINDS.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${kindLabel(k)}</option>`)}</select>
${input('title', 'Title', 'text', v, html` required maxlength="200"`)}
<label for="f-description">Description</label>
<textarea id="f-description" name="description" rows="4" maxlength="10000">${v['description'] ?? ''}</textarea>
${input('startsAt', 'Starts (UTC)', 'datetime-local', v)}
${input('endsAt', 'Ends (UTC)', 'datetime-local', v)}
${input('location', 'Location', 'text', v, html` maxlength="500"`, 'For events in person: the address or room.')}
${input('joinUrl', 'Join link', 'url', v, '', 'For online events: shown to registered people only.')}
${input('url', 'Link', 'url', v, '', 'For an external course, a reading or a video: where it is.')}
${input('capacity', 'Places (empty: no limit)', 'number', v, html` min="0" step="1"`)}
${input('ceCredits', 'CE credits', 'number', v, html` min="0" step="0.25"`)}
${input('durationMinutes', 'Duration, minutes', 'number', v, html` min="0" step="1"`)}
<fieldset><legend>Who sees it</legend>
<div class="check"><input type="radio" id="f-vis-org" name="visibility" value="org"${visibility === 'org' ? html` checked` : ''}><label for="f-vis-org">${org.name} only</label></div>
<div class="check"><input type="radio" id="f-vis-orgs" name="visibility" value="orgs"${visibility === 'orgs' ? html` checked` : ''}><label for="f-vis-orgs">${org.name} and the organizations ticked below</label></div>
<div class="check"><input type="radio" id="f-vis-all" name="visibility" value="all"${visibility === 'all' ? html` checked` : ''}><label for="f-vis-all">Every organization on the site</label></div>
</fieldset>
${others.length > 0 ? html`<fieldset><legend>Organizations that also see it (with the second choice)</legend>
${others.map((o, i) => html`<div class="check"><input type="checkbox" id="f-org-${i}" name="visibleOrgIds" value="${o.id}"${chosen.has(o.id) ? html` checked` : ''}><label for="f-org-${i}">${o.name}</label></div>`)}
</fieldset>` : ''}
<div class="actions"><button type="submit">Publish</button> <a href="${base}/opportunities">Back to the list</a></div>
</form>`;
}

/** The typed fields (shown again after an error). */
function typed(form: ReturnType<typeof formBody>): Record<string, string> {
  return Object.fromEntries(FIELDS.map((k) => [k, text(form, k).trim()]));
}

/** Typed fields to the API's body: datetime-local gives minutes without a zone, and the form says UTC. */
function createBody(v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x !== '') out[k] = x;
  for (const k of ['startsAt', 'endsAt']) if (/^\d{4}-\d\d-\d\dT\d\d(:\d\d)?$/.test(out[k] ?? '')) out[k] = `${out[k]}Z`;
  return out;
}

export function mountOpportunityOrgPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const orgOf = async (id: string): Promise<Organization> => (await s.store.accounts.findOrganization(id))!;
  const othersOf = async (id: string): Promise<Organization[]> =>
    (await organizationChoices(s)).filter((o) => o.id !== id).sort((a, b) => a.name.localeCompare(b.name));
  pages.get('/orgs/:orgId/opportunities', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId'] ?? '');
    const rows = await listOrgOpportunities(s, user, orgId);
    const org = await orgOf(orgId);
    sendPage(res, 200, { title: `${org.name}: opportunities`, body: listView(org, rows) });
  });
  pages.get('/orgs/:orgId/opportunities/new', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId'] ?? '');
    await organizerOf(s, user, orgId);
    sendPage(res, 200, { title: 'Publish an opportunity', body: formView(await orgOf(orgId), await othersOf(orgId), {}, new Set(), user.csrfToken) });
  });
  pages.post('/orgs/:orgId/opportunities', requireUser(), form, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId'] ?? '');
    await organizerOf(s, user, orgId);
    const f = formBody(req);
    const values = typed(f);
    const chosen = new Set(list(f, 'visibleOrgIds'));
    try {
      // Selected organizations: checked before anything is stored, then set on the new entry
      // through the catalog's visibility rule (POST publishes to org or all only).
      const selected = values['visibility'] === 'orgs' ? parseVisibilityChange({ visibility: 'orgs', visibleOrgIds: [...chosen] }) : undefined;
      const known = new Set((await othersOf(orgId)).map((o) => o.id));
      for (const id of selected?.visibleOrgIds ?? []) if (!known.has(id)) throw badRequest(`visibleOrgIds: no organization ${id}`);
      const e = await createOpportunity(s, user, orgId, createBody({ ...values, ...(selected ? { visibility: 'org' } : {}) }));
      if (selected) await setEntryVisibility(s, user, e.id, selected);
      res.redirect(303, `/opportunities/${encodeURIComponent(e.id)}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      sendPage(res, 400, { title: 'Publish an opportunity', body: formView(await orgOf(orgId), await othersOf(orgId), values, chosen, user.csrfToken, err.message) });
    }
  });
}
