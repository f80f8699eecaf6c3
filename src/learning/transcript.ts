/**
 * Transcript and completion certificates (issue 18). The transcript lists what a person
 * completed, with dates, CE credits and hours, as a page, CSV and PDF. A certificate is a PDF per
 * completed course carrying a verification URL: the URL holds the completion's facts signed with
 * the site's key, and the public verification page confirms them only while the signature holds
 * and the completion still exists in the progress projection (so erasing a person's data
 * withdraws their certificates).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { stringify } from 'csv-stringify/sync';
import { sessionKey } from '../accounts/session-secret';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { notFound } from '../errors';
import { myLearning, type LearningItem } from './dashboard';

export interface TranscriptRow {
  readonly entryId: string;
  readonly title: string;
  readonly provider: string;
  readonly kind: string;
  readonly completedAt: string;
  readonly ceCredits: number;
  readonly hours: number;
  /** Public verification URL of the completion certificate ('' when not completed). */
  readonly verifyUrl: string;
  /** Set by transcripts that also list unfinished courses (the people report). */
  readonly status?: string;
  /** Scaled score 0..1. */
  readonly score?: number;
}

export interface Transcript {
  readonly name: string;
  readonly email: string;
  readonly generatedAt: string;
  readonly rows: readonly TranscriptRow[];
  readonly totals: { readonly ceCredits: number; readonly hours: number };
  /** Badges to list after the courses (the people report). */
  readonly badges?: readonly { readonly name: string; readonly issuedAt: string }[];
  /** A line under the name (organization, units). */
  readonly subtitle?: string;
}

/** What a certificate states. */
export interface CertificateFacts {
  readonly userId: string;
  readonly name: string;
  readonly entryId: string;
  readonly title: string;
  readonly provider: string;
  readonly completedAt: string;
}

function sign(s: AppServices, payload: string): string {
  return createHmac('sha256', sessionKey(s.config)).update(`certificate|${payload}`).digest('base64url');
}

/** The token of a certificate: its facts (base64url JSON) and their signature. */
export function certificateToken(s: AppServices, f: CertificateFacts): string {
  const payload = Buffer.from(JSON.stringify([f.userId, f.name, f.entryId, f.title, f.provider, f.completedAt])).toString('base64url');
  return `${payload}.${sign(s, payload)}`;
}

export function verifyUrl(s: AppServices, f: CertificateFacts): string {
  return `${s.config.publicUrl.replace(/\/$/, '')}/certificates/${certificateToken(s, f)}`;
}

/** The facts of a token whose signature holds; undefined otherwise. */
export function readCertificateToken(s: AppServices, token: string): CertificateFacts | undefined {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined || token.length > 4000) return undefined;
  const want = Buffer.from(sign(s, payload));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 6 || !v.every((x) => typeof x === 'string')) return undefined;
    const [userId, name, entryId, title, provider, completedAt] = v as string[];
    return { userId: userId!, name: name!, entryId: entryId!, title: title!, provider: provider!, completedAt: completedAt! };
  } catch {
    return undefined;
  }
}

function rowOf(s: AppServices, user: UserContext, i: LearningItem): TranscriptRow {
  const completedAt = i.completedAt ?? '';
  return {
    entryId: i.entryId,
    title: i.title,
    provider: i.provider,
    kind: i.kind,
    completedAt,
    ceCredits: i.ceCredits ?? 0,
    hours: Math.round(((i.timeSeconds ?? 0) / 3600) * 10) / 10,
    verifyUrl: verifyUrl(s, { userId: user.userId, name: user.name, entryId: i.entryId, title: i.title, provider: i.provider, completedAt }),
  };
}

/** The signed-in person's transcript: every completion, newest first. */
export async function myTranscript(s: AppServices, user: UserContext): Promise<Transcript> {
  const d = await myLearning(s, user);
  const rows = d.completed.map((i) => rowOf(s, user, i));
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    name: user.name,
    email: user.email,
    generatedAt: s.now().toISOString(),
    rows,
    totals: { ceCredits: round(rows.reduce((a, r) => a + r.ceCredits, 0)), hours: round(rows.reduce((a, r) => a + r.hours, 0)) },
  };
}

/** The transcript as CSV (one header row, then one row per completion). */
export function transcriptCsv(t: Transcript): string {
  return stringify([
    ['Title', 'Provider', 'Type', 'Completed', 'CE credits', 'Hours', 'Certificate verification URL'],
    ...t.rows.map((r) => [r.title, r.provider, r.kind, r.completedAt.slice(0, 10), r.ceCredits, r.hours, r.verifyUrl]),
  ]);
}

/** Text the standard PDF fonts can draw (WinAnsi): other characters become '?'. */
export function pdfText(text: string): string {
  return text.replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of pdfText(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The transcript as a PDF (A4, a table that runs over as many pages as needed). */
export async function transcriptPdf(t: Transcript): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(pdfText(`Transcript of ${t.name}`));
  doc.setCreator('LearnHQ');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([595, 842]);
  let y = 790;
  const text = (p: PDFPage, s: string, x: number, yy: number, size = 10, f = font): void => {
    p.drawText(pdfText(s), { x, y: yy, size, font: f, color: rgb(0.1, 0.1, 0.1) });
  };
  text(page, 'Learning transcript', 50, y, 20, bold);
  y -= 26;
  text(page, t.email ? `${t.name} <${t.email}>` : t.name, 50, y, 11);
  y -= 16;
  if (t.subtitle) {
    text(page, t.subtitle, 50, y, 9);
    y -= 14;
  }
  const completions = t.rows.filter((r) => r.completedAt !== '').length;
  text(page, `Generated ${t.generatedAt.slice(0, 16).replace('T', ' ')} UTC · ${completions} completions · ${t.totals.ceCredits} CE credits · ${t.totals.hours} hours`, 50, y, 9);
  y -= 28;
  const header = (): void => {
    text(page, 'Completed', 50, y, 9, bold);
    text(page, 'Title and provider', 120, y, 9, bold);
    text(page, 'CE credits', 430, y, 9, bold);
    text(page, 'Hours', 500, y, 9, bold);
    y -= 14;
  };
  header();
  for (const r of t.rows) {
    const lines = wrap(r.title, font, 10, 300);
    if (y - lines.length * 12 - 14 < 50) {
      page = doc.addPage([595, 842]);
      y = 790;
      header();
    }
    text(page, r.completedAt.slice(0, 10), 50, y);
    lines.forEach((l, i) => text(page, l, 120, y - i * 12));
    text(page, String(r.ceCredits), 430, y);
    text(page, String(r.hours), 500, y);
    y -= lines.length * 12;
    const extra = [r.status, r.score !== undefined ? `score ${Math.round(r.score * 100)} %` : ''].filter((x) => x);
    text(page, [r.provider, ...extra].filter((x) => x).join(' · '), 120, y, 8);
    y -= 16;
  }
  if (t.rows.length === 0) text(page, 'No completions yet.', 50, y);
  if (t.badges && t.badges.length > 0) {
    y -= 12;
    if (y < 80) {
      page = doc.addPage([595, 842]);
      y = 790;
    }
    text(page, 'Badges', 50, y, 12, bold);
    y -= 16;
    for (const b of t.badges) {
      if (y < 50) {
        page = doc.addPage([595, 842]);
        y = 790;
      }
      text(page, `${b.issuedAt.slice(0, 10)}  ${b.name}`, 50, y);
      y -= 14;
    }
  }
  return doc.save();
}

/** The certificate of one completion of the person; 404 when they have not completed it. */
export async function myCertificate(s: AppServices, user: UserContext, entryId: string): Promise<{ facts: CertificateFacts; url: string }> {
  const t = await myTranscript(s, user);
  const r = t.rows.find((x) => x.entryId === entryId);
  if (!r) throw notFound(`you have no completion of ${entryId}`);
  const facts = { userId: user.userId, name: user.name, entryId, title: r.title, provider: r.provider, completedAt: r.completedAt };
  return { facts, url: r.verifyUrl };
}

/** The certificate PDF (A4 landscape). */
export async function certificatePdf(f: CertificateFacts, url: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(pdfText(`Certificate of completion: ${f.title}`));
  doc.setSubject(url);
  doc.setCreator('LearnHQ');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([842, 595]);
  const center = (s: string, y: number, size: number, fnt = font): void => {
    const t = pdfText(s);
    page.drawText(t, { x: (842 - fnt.widthOfTextAtSize(t, size)) / 2, y, size, font: fnt });
  };
  page.drawRectangle({ x: 30, y: 30, width: 782, height: 535, borderWidth: 2, borderColor: rgb(0.2, 0.3, 0.5) });
  center('Certificate of completion', 470, 32, bold);
  center('This certifies that', 420, 14);
  center(f.name, 380, 26, bold);
  center('completed', 345, 14);
  wrap(f.title, bold, 20, 700).forEach((l, i) => center(l, 305 - i * 24, 20, bold));
  center(`provided by ${f.provider}, on ${f.completedAt.slice(0, 10)}`, 240, 13);
  center('Verify this certificate at:', 120, 10);
  // The URL is long: it runs over as many lines as it needs.
  const chunks = url.match(/.{1,110}/g) ?? [url];
  chunks.forEach((c, i) => center(c, 104 - i * 11, 8));
  return doc.save();
}

/** What the public verification page shows: the facts when the certificate holds. */
export async function verifyCertificate(s: AppServices, token: string): Promise<CertificateFacts | undefined> {
  const f = readCertificateToken(s, token);
  if (!f) return undefined;
  // The completion must still exist (erasure or a reset withdraws it).
  if (f.entryId.startsWith('self-report/')) {
    const r = await s.store.learning.findSelfReport(f.entryId.slice('self-report/'.length));
    return r && r.userId === f.userId && r.state === 'approved' ? f : undefined;
  }
  const regs = await s.store.learning.findOpportunityRegistrations({ entryId: f.entryId, userId: f.userId });
  if (regs.some((r) => r.state === 'attended')) return f;
  const rows = await s.store.progress.findProgress({ userId: f.userId, courseId: f.entryId, limit: 50 });
  const still = rows.some((r) => r.completion === 'completed' || r.success === 'passed' || r.satisfied);
  return still ? f : undefined;
}
