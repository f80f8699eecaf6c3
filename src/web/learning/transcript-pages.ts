import type { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { certificatePdf, myCertificate, myTranscript, transcriptCsv, transcriptPdf, verifyCertificate, type Transcript } from '../../learning/transcript';
import { sendPage, signedIn, when } from '../accounts/render';
import { unsubscribeFromReminders } from '../../learning/reminders';
import { html, type Html } from '../html';

export function transcriptView(t: Transcript): Html {
  return html`<h1>My transcript</h1>
<p>Everything you completed on LearnHQ: ${t.rows.length} ${t.rows.length === 1 ? 'completion' : 'completions'}, ${t.totals.ceCredits} CE credits, ${t.totals.hours} hours.</p>
<p><a href="/transcript.pdf" download>Download as PDF</a> · <a href="/transcript.csv" download>Download as CSV (spreadsheet)</a></p>
${t.rows.length === 0
    ? html`<p>You have not completed anything yet.</p>`
    : html`<div class="table-wrap"><table><caption class="visually-hidden">Completions, newest first</caption>
<thead><tr><th scope="col">Completed</th><th scope="col">Learning</th><th scope="col">CE credits</th><th scope="col">Hours</th><th scope="col">Certificate</th></tr></thead>
<tbody>${t.rows.map((r) => html`<tr><td>${when(r.completedAt)}</td><td>${r.title}<br><span class="muted">${r.provider}</span></td><td>${r.ceCredits}</td><td>${r.hours}</td>
<td><a href="/transcript/certificates/${encodeURIComponent(r.entryId)}.pdf" download>Certificate<span class="visually-hidden"> for ${r.title}</span> (PDF)</a></td></tr>`)}</tbody></table></div>`}`;
}

/** /transcript (+ .pdf, .csv), a person's certificates, and the public /certificates/:token verification page. */
export function mountTranscriptPages(pages: Router, s: AppServices): void {
  pages.get('/transcript', requireUser(), async (_req, res) => {
    sendPage(res, 200, { title: 'My transcript', body: transcriptView(await myTranscript(s, signedIn(res))) });
  });
  pages.get('/transcript.csv', requireUser(), async (_req, res) => {
    const csv = transcriptCsv(await myTranscript(s, signedIn(res)));
    res.status(200).set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="transcript.csv"').type('text/csv; charset=utf-8').send(csv);
  });
  pages.get('/transcript.pdf', requireUser(), async (_req, res) => {
    const pdf = await transcriptPdf(await myTranscript(s, signedIn(res)));
    res.status(200).set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="transcript.pdf"').type('application/pdf').send(Buffer.from(pdf));
  });
  pages.get('/transcript/certificates/:entryId.pdf', requireUser(), async (req, res) => {
    const { facts, url } = await myCertificate(s, signedIn(res), String(req.params['entryId'] ?? ''));
    const pdf = await certificatePdf(facts, url);
    res.status(200).set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="certificate.pdf"').type('application/pdf').send(Buffer.from(pdf));
  });
  // From a reminder mail: no sign-in; the signed link names the person. Idempotent.
  pages.get('/reminders/unsubscribe/:token', async (req, res) => {
    const ok = await unsubscribeFromReminders(s, String(req.params['token'] ?? ''));
    sendPage(res, ok ? 200 : 404, ok
      ? { title: 'Reminders stopped', body: html`<h1>Reminders stopped</h1><p role="status">You will get no more reminder mails about assigned learning. Your assignments stay in <a href="/my-learning">My learning</a>.</p>` }
      : { title: 'Link not valid', body: html`<h1>Link not valid</h1><p>This unsubscribe link is not one LearnHQ sent.</p>` });
  });
  // Public: anyone with the URL may confirm the certificate (it shows only what the certificate says).
  pages.get('/certificates/:token', async (req, res) => {
    const f = await verifyCertificate(s, String(req.params['token'] ?? ''));
    if (!f) {
      sendPage(res, 404, { title: 'Certificate not confirmed', body: html`<h1>Certificate not confirmed</h1><p>LearnHQ cannot confirm this certificate: the address is not one LearnHQ issued, or the completion no longer exists.</p>` });
      return;
    }
    sendPage(res, 200, {
      title: 'Certificate confirmed',
      body: html`<h1>Certificate confirmed</h1>
<p role="status">LearnHQ confirms this completion.</p>
<dl class="facts"><dt>Name</dt><dd>${f.name}</dd><dt>Completed</dt><dd>${f.title}</dd><dt>Provider</dt><dd>${f.provider}</dd><dt>Date</dt><dd>${when(f.completedAt)}</dd></dl>`,
    });
  });
}
