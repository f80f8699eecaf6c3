/**
 * /opportunities/:id/edit: the organizers' form to change an opportunity or withdraw it (issue 18);
 * the twins of PUT /api/opportunities/:id and POST /api/opportunities/:id/withdrawal.
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { organizedBy } from '../../catalog/opportunities';
import { parseOpportunityEdit, updateOpportunity, withdrawOpportunity } from '../../catalog/opportunity-edit';
import type { AppServices } from '../../deps';
import { AppError } from '../../errors';
import type { CatalogEntry } from '../../store/ports';
import { csrfField, formBody, formError, text } from '../accounts/forms';
import { sendPage, signedIn } from '../accounts/render';
import { html, type Html } from '../html';

type Values = Readonly<Record<string, string>>;

/** The form's values of an entry: datetime-local inputs take minutes, in UTC. */
function valuesOf(e: CatalogEntry): Values {
  return {
    title: e.title,
    description: e.description,
    startsAt: e.startsAt?.slice(0, 16) ?? '',
    endsAt: e.endsAt?.slice(0, 16) ?? '',
    location: e.location ?? '',
    joinUrl: e.joinUrl ?? '',
    capacity: e.capacity !== undefined ? String(e.capacity) : '',
    ceCredits: e.ceCredits !== undefined ? String(e.ceCredits) : '',
    durationMinutes: e.durationMinutes !== undefined ? String(e.durationMinutes) : '',
  };
}

function input(name: string, label: string, type: string, v: Values, extra: Html | string = ''): Html {
  return html`<label for="f-${name}">${label}</label>
<input id="f-${name}" name="${name}" type="${type}" value="${v[name] ?? ''}"${extra}>`;
}

function view(e: CatalogEntry, v: Values, csrf: string, error?: string): Html {
  const id = encodeURIComponent(e.id);
  return html`<h1>Edit ${e.title}</h1>
${formError(error)}
<form method="post" action="/opportunities/${id}/edit" class="stack">${csrfField(csrf)}
${input('title', 'Title', 'text', v, html` required maxlength="200"`)}
<label for="f-description">Description</label>
<textarea id="f-description" name="description" rows="4" maxlength="10000">${v['description'] ?? ''}</textarea>
${input('startsAt', 'Starts (UTC)', 'datetime-local', v)}
${input('endsAt', 'Ends (UTC)', 'datetime-local', v)}
${input('location', 'Location', 'text', v, html` maxlength="500"`)}
${input('joinUrl', 'Join link', 'url', v)}
${input('capacity', 'Places (empty: no limit)', 'number', v, html` min="0" step="1"`)}
${input('ceCredits', 'CE credits', 'number', v, html` min="0" step="0.25"`)}
${input('durationMinutes', 'Duration, minutes', 'number', v, html` min="0" step="1"`)}
<div class="actions"><button type="submit">Save changes</button> <a href="/opportunities/${id}">Back</a></div>
</form>
<h2>Withdraw</h2>
<p>Withdrawing removes it from the catalog, cancels every registration and mails the people who registered.</p>
<form method="post" action="/opportunities/${id}/withdraw">${csrfField(csrf)}
<label for="f-reason">Message to the people registered (optional)</label>
<textarea id="f-reason" name="reason" rows="2" maxlength="2000"></textarea>
<div class="actions"><button type="submit" class="danger">Withdraw this opportunity</button></div>
</form>`;
}

const FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'location', 'joinUrl', 'capacity', 'ceCredits', 'durationMinutes'] as const;

/** The form's fields as typed (what the form shows again after an error). */
function typed(form: ReturnType<typeof formBody>): Record<string, string> {
  return Object.fromEntries(FIELDS.map((k) => [k, text(form, k).trim()]));
}

/** Typed fields to the API's body: empty fields clear optional values. */
function editBody(v: Values): Record<string, string> {
  const out: Record<string, string> = { ...v };
  // datetime-local gives minutes without a zone: the form says UTC.
  for (const k of ['startsAt', 'endsAt']) if (/^\d{4}-\d\d-\d\dT\d\d(:\d\d)?$/.test(v[k] ?? '')) out[k] = `${v[k]}Z`;
  return out;
}

export function mountOpportunityEditPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  pages.get('/opportunities/:entryId/edit', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const e = await organizedBy(s, user, String(req.params['entryId'] ?? ''));
    sendPage(res, 200, { title: `Edit ${e.title}`, body: view(e, valuesOf(e), user.csrfToken) });
  });
  pages.post('/opportunities/:entryId/edit', requireUser(), form, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const id = String(req.params['entryId'] ?? '');
    const e = await organizedBy(s, user, id);
    const values = typed(formBody(req));
    try {
      await updateOpportunity(s, user, id, parseOpportunityEdit(editBody(values)));
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      sendPage(res, err.status, { title: `Edit ${e.title}`, body: view(e, values, user.csrfToken, err.message) });
      return;
    }
    res.redirect(303, `/opportunities/${encodeURIComponent(id)}`);
  });
  pages.post('/opportunities/:entryId/withdraw', requireUser(), form, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const id = String(req.params['entryId'] ?? '');
    const reason = text(formBody(req), 'reason').trim().slice(0, 2000);
    const w = await withdrawOpportunity(s, user, id, reason);
    res.redirect(303, `/opportunities/${encodeURIComponent(id)}?withdrawn=${w.notified}`);
  });
}
