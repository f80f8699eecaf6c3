/**
 * Editing and withdrawing an opportunity (issue 18): the organizers of the publishing
 * organization (its authors and administrators) change dates, place or join link, seats and CE
 * credits; withdrawing takes it out of the catalog, keeps its registrations but marks the open
 * ones cancelled, and mails the people who were registered.
 */
import { recordAudit } from '../accounts/audit';
import { mailerFor } from '../accounts/mail/mailer';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, conflict } from '../errors';
import type { CatalogEntry } from '../store/ports';
import { date, httpUrl, num, organizedBy, str } from './opportunities';

/** The fields an organizer may change; each one present replaces the old value ('' or null clears the optional ones). */
const EDITABLE = ['title', 'description', 'startsAt', 'endsAt', 'location', 'joinUrl', 'url', 'capacity', 'ceCredits', 'durationMinutes'] as const;

/** What parseOpportunityEdit returns: a new value, or null to clear an optional field. */
export type OpportunityEdit = { -readonly [K in (typeof EDITABLE)[number]]?: string | number | null };

/** Parses a change: only the fields named in EDITABLE, validated like a new opportunity's. */
export function parseOpportunityEdit(body: unknown): OpportunityEdit {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !(EDITABLE as readonly string[]).includes(k));
  if (unknown.length > 0) throw badRequest(`${unknown.join(', ')}: cannot be changed here (fields: ${EDITABLE.join(', ')})`);
  const out: OpportunityEdit = {};
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(b, k);
  if (has('title')) out.title = str(b, 'title', 200, true)!;
  if (has('description')) out.description = str(b, 'description', 10000) ?? '';
  if (has('startsAt')) out.startsAt = date(b, 'startsAt') ?? null;
  if (has('endsAt')) out.endsAt = date(b, 'endsAt') ?? null;
  if (has('location')) out.location = str(b, 'location', 500) ?? null;
  if (has('joinUrl')) out.joinUrl = httpUrl(b, 'joinUrl') ?? null;
  if (has('url')) out.url = httpUrl(b, 'url') ?? null;
  if (has('capacity')) {
    const c = num(b, 'capacity', 100000);
    out.capacity = c === undefined ? null : Math.floor(c);
  }
  if (has('ceCredits')) out.ceCredits = num(b, 'ceCredits', 1000) ?? null;
  if (has('durationMinutes')) out.durationMinutes = num(b, 'durationMinutes', 100000) ?? null;
  return out;
}

function applyEdit(e: CatalogEntry, edit: OpportunityEdit, at: string): CatalogEntry {
  const next: Record<string, unknown> = { ...e, updatedAt: at };
  for (const [k, v] of Object.entries(edit)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return next as unknown as CatalogEntry;
}

/** Changes an opportunity (organizers of its organization); 409 once withdrawn or below the people registered. */
export async function updateOpportunity(s: AppServices, user: UserContext, id: string, edit: OpportunityEdit): Promise<CatalogEntry> {
  const e = await organizedBy(s, user, id);
  if (e.state !== 'published') throw conflict(`${e.title} was withdrawn`);
  const next = applyEdit(e, edit, s.now().toISOString());
  if (next.startsAt && next.endsAt && next.endsAt < next.startsAt) throw badRequest('endsAt: before startsAt');
  if (next.capacity !== undefined) {
    const taken = (await s.store.learning.findOpportunityRegistrations({ entryId: id })).filter((r) => r.state === 'registered' || r.state === 'attended').length;
    if (next.capacity < taken) throw conflict(`capacity: ${taken} people are registered already`);
  }
  await s.store.catalog.upsertCatalogEntry(next);
  await recordAudit(s, user, { action: 'opportunity.update', orgId: e.orgId, target: id, details: { fields: Object.keys(edit) } });
  return next;
}

/** What a withdrawal did. */
export interface Withdrawal {
  readonly entry: CatalogEntry;
  /** Registrations marked cancelled. */
  readonly cancelled: number;
  /** People mailed (a mail the server refused is logged, not retried). */
  readonly notified: number;
}

/**
 * Withdraws (cancels) an opportunity: it leaves the catalog (state retired), open registrations
 * become cancelled (attendance already recorded stays), and each person who was registered gets
 * a mail. 409 when it was withdrawn already.
 */
export async function withdrawOpportunity(s: AppServices, user: UserContext, id: string, reason = ''): Promise<Withdrawal> {
  const e = await organizedBy(s, user, id);
  if (e.state !== 'published') throw conflict(`${e.title} was withdrawn already`);
  const at = s.now().toISOString();
  const entry: CatalogEntry = { ...e, state: 'retired', updatedAt: at };
  await s.store.catalog.upsertCatalogEntry(entry);
  const open = (await s.store.learning.findOpportunityRegistrations({ entryId: id })).filter((r) => r.state === 'registered');
  const mailer = mailerFor(s);
  let notified = 0;
  for (const r of open) {
    await s.store.learning.upsertOpportunityRegistration({ ...r, state: 'cancelled', updatedAt: at });
    const person = await s.store.accounts.findUser(r.userId);
    if (!person || person.disabledAt !== undefined) continue;
    // Claimed once per person (the store's notification marks): a double-clicked Withdraw, or two
    // instances withdrawing at once, still mails each person once.
    if (!(await s.store.learning.insertReminderMark(`opportunity:${id}`, r.userId, 'withdrawn', at))) continue;
    try {
      await mailer.send({
        to: person.email,
        subject: `Cancelled: ${e.title}`,
        text: [
          `Hello ${person.name},`,
          '',
          `${e.provider} has cancelled "${e.title}"${e.startsAt ? ` (${e.startsAt.slice(0, 16).replace('T', ' ')} UTC)` : ''}, which you registered for.`,
          ...(reason ? ['', reason] : []),
          '',
          `Your registration is cancelled; there is nothing you need to do.`,
          `Your learning: ${s.config.publicUrl.replace(/\/$/, '')}/my-learning`,
        ].join('\n'),
      });
      notified += 1;
    } catch (err) {
      s.logger.warn({ err, entryId: id, userId: person.id }, 'could not mail the cancellation of an opportunity');
    }
  }
  await recordAudit(s, user, { action: 'opportunity.withdraw', orgId: e.orgId, target: id, details: { cancelled: open.length, notified } });
  return { entry, cancelled: open.length, notified };
}
