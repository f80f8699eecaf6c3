/**
 * /self-reports (issue 18): the person's own self-reported learning and the form to report more,
 * with an optional file (a certificate: PDF or image). The twins of POST /api/me/self-reports and
 * POST/GET /api/self-reports/:id/attachment. The form is multipart; its file is checked (type by
 * the bytes, size) before the report is stored, so a refused file leaves no half report behind.
 */
import busboy from 'busboy';
import express, { type Request, type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { OPPORTUNITY_KINDS, parseSelfReport, submitSelfReport } from '../../catalog/opportunities';
import { attachSelfReportFile, MAX_SELF_REPORT_FILE_BYTES, sniffAttachmentType } from '../../catalog/self-report-files';
import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { AppError, badRequest } from '../../errors';
import type { SelfReport } from '../../store/ports';
import { csrfField, formError } from '../accounts/forms';
import { sendPage, signedIn } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html } from '../html';

interface Upload {
  readonly fields: Record<string, string>;
  readonly file?: { readonly name: string; readonly bytes: Buffer };
}

/** Reads a multipart form with at most one file of MAX_SELF_REPORT_FILE_BYTES; 413 past it. */
function readMultipart(req: Request): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 16 * 1024, fileSize: MAX_SELF_REPORT_FILE_BYTES } });
    } catch {
      reject(badRequest('send the form as multipart/form-data'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Upload['file'];
    let tooBig = false;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        tooBig = true;
      });
      stream.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (bytes.length > 0) file = { name: info.filename ?? '', bytes };
      });
    });
    parser.on('error', () => reject(badRequest('the form could not be read')));
    parser.on('close', () => {
      if (tooBig) reject(new AppError('payload_too_large', `the file is larger than ${MAX_SELF_REPORT_FILE_BYTES / 1024 / 1024} MB`));
      else resolve({ fields, ...(file ? { file } : {}) });
    });
    req.pipe(parser);
  });
}

function view(user: UserContext, orgs: readonly { id: string; name: string }[], mine: readonly SelfReport[], o: { error?: string; notice?: string; values?: Record<string, string> } = {}): Html {
  const v = o.values ?? {};
  const state = (r: SelfReport): string => (r.state === 'pending' ? 'waiting for approval' : r.state);
  return html`<h1>Learning I report</h1>
<p>Report training you took elsewhere — a conference, an outside course. Your organization's administrator or your manager approves it; then it counts in your transcript.</p>
${o.notice ? html`<p class="notice ok" role="status">${o.notice}</p>` : ''}
${formError(o.error)}
<form method="post" action="/self-reports" enctype="multipart/form-data" class="stack">${csrfField(user.csrfToken)}
${orgs.length === 1
    ? html`<input type="hidden" name="orgId" value="${orgs[0]!.id}">`
    : html`<label for="f-orgId">Organization</label><select id="f-orgId" name="orgId">${orgs.map((g) => html`<option value="${g.id}"${v['orgId'] === g.id ? html` selected` : ''}>${g.name}</option>`)}</select>`}
<label for="f-title">What you took</label>
<input id="f-title" name="title" type="text" required maxlength="200" value="${v['title'] ?? ''}">
<label for="f-provider">Provider</label>
<input id="f-provider" name="provider" type="text" required maxlength="200" value="${v['provider'] ?? ''}">
<label for="f-kind">Type</label>
<select id="f-kind" name="kind">${OPPORTUNITY_KINDS.map((k) => html`<option value="${k}"${(v['kind'] ?? 'external') === k ? html` selected` : ''}>${kindLabel(k)}</option>`)}</select>
<label for="f-completedOn">Completed on</label>
<input id="f-completedOn" name="completedOn" type="date" required value="${v['completedOn'] ?? ''}">
<label for="f-hours">Hours</label>
<input id="f-hours" name="hours" type="number" min="0" step="0.25" value="${v['hours'] ?? ''}">
<label for="f-ceCredits">CE credits</label>
<input id="f-ceCredits" name="ceCredits" type="number" min="0" step="0.25" value="${v['ceCredits'] ?? ''}">
<label for="f-note">Note</label>
<textarea id="f-note" name="note" rows="3" maxlength="4000">${v['note'] ?? ''}</textarea>
<label for="f-file">Certificate (PDF or image, at most 10 MB; optional)</label>
<input id="f-file" name="file" type="file" accept="application/pdf,image/png,image/jpeg,image/gif,image/webp">
<div class="actions"><button type="submit">Send for approval</button></div>
</form>
<h2>What I reported</h2>
${mine.length === 0
    ? html`<p>Nothing yet.</p>`
    : html`<ul>${mine.map((r) => html`<li>${r.title} <span class="muted">${r.provider} · ${r.completedOn} · ${state(r)}${r.decisionReason ? ` — ${r.decisionReason}` : ''}</span>${
      r.attachment ? html` · <a href="/api/self-reports/${encodeURIComponent(r.id)}/attachment">${r.attachment.fileName}</a>` : ''
    }</li>`)}</ul>`}`;
}

export function mountSelfReportPages(pages: Router, s: AppServices): void {
  const render = async (res: express.Response, status: number, o: Parameters<typeof view>[3] = {}): Promise<void> => {
    const user = signedIn(res);
    const orgIds = [...user.roles.entries()].filter(([, r]) => r.size > 0).map(([id]) => id);
    const orgs = (await Promise.all(orgIds.map((id) => s.store.accounts.findOrganization(id)))).filter((g) => g !== undefined).map((g) => ({ id: g.id, name: g.name }));
    const mine = await s.store.learning.findSelfReports({ userId: user.userId });
    sendPage(res, status, { title: 'Learning I report', body: view(user, orgs, mine, o) });
  };
  pages.get('/self-reports', requireUser(), async (req, res) => {
    await render(res, 200, req.query['sent'] === '1' ? { notice: 'Sent. You will see here when it is approved.' } : {});
  });
  pages.post('/self-reports', requireUser(), async (req, res, next) => {
    let upload: Upload;
    try {
      upload = await readMultipart(req);
    } catch (err) {
      next(err);
      return;
    }
    req.body = upload.fields;
    requireCsrf()(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      (async () => {
        const user = signedIn(res);
        try {
          if (upload.file && !sniffAttachmentType(upload.file.bytes)) throw new AppError('unsupported_media_type', 'attach a PDF or an image (PNG, JPEG, GIF, WebP)');
          const r = await submitSelfReport(s, user, parseSelfReport(upload.fields));
          if (upload.file) await attachSelfReportFile(s, user, r.id, upload.file.bytes, upload.file.name);
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          await render(res, e.status, { error: e.message, values: upload.fields });
          return;
        }
        res.redirect(303, '/self-reports?sent=1');
      })().catch(next);
    });
  });
}
