/**
 * Assignment reminders (issue 18): a mail a few days before the due date and one when it is
 * overdue, each sent once per assignment and person (reminder marks, so several instances never
 * send twice), through the site's mailer (SMTP, or the outbox without one). Every mail carries an
 * unsubscribe link for reminders (signed, no sign-in needed). The reminder job
 * (src/learning/reminder-job.ts) runs it every LEARNHQ_REMINDER_INTERVAL_SECONDS; an
 * organization administrator can also run it for their organization through the API.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sessionKey } from '../accounts/session-secret';
import { mailerFor } from '../accounts/mail/mailer';
import type { AppServices } from '../deps';
import { audienceOf, hasCompleted } from './assignment-status';

const DAY = 86_400_000;

function unsubscribeToken(s: AppServices, userId: string): string {
  const mac = createHmac('sha256', sessionKey(s.config)).update(`reminders-unsubscribe|${userId}`).digest('base64url');
  return `${Buffer.from(userId).toString('base64url')}.${mac}`;
}

/** Unsubscribes the person of a token from reminders; false for a token LearnHQ did not issue. */
export async function unsubscribeFromReminders(s: AppServices, token: string): Promise<boolean> {
  const [id, mac] = token.split('.');
  if (!id || !mac) return false;
  const userId = Buffer.from(id, 'base64url').toString('utf8');
  const want = Buffer.from(unsubscribeToken(s, userId));
  const got = Buffer.from(token);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
  await s.store.learning.insertReminderMark('*', userId, 'unsubscribed', s.now().toISOString());
  return true;
}

/** Sends the reminders due now for the organizations' assignments; returns how many mails went. */
export async function sendAssignmentReminders(s: AppServices, orgIds: readonly string[], daysBefore = s.config.reminderDaysBefore): Promise<number> {
  const now = s.now();
  const mailer = mailerFor(s);
  const base = s.config.publicUrl.replace(/\/$/, '');
  let sent = 0;
  for (const a of await s.store.learning.findAssignments({ orgIds })) {
    if (a.dueAt === undefined) continue;
    const due = Date.parse(a.dueAt);
    const kind = now.getTime() >= due ? 'overdue' : now.getTime() >= due - daysBefore * DAY ? 'due-soon' : undefined;
    if (!kind) continue;
    const entry = await s.store.catalog.findCatalogEntry(a.entryId);
    // A withdrawn or retired entry is nothing to be reminded of.
    if (!entry || entry.state !== 'published') continue;
    for (const userId of new Set(await audienceOf(s, a))) {
      if (await s.store.learning.hasReminderMark('*', userId, 'unsubscribed')) continue;
      if (await hasCompleted(s, userId, a.entryId)) continue;
      const user = await s.store.accounts.findUser(userId);
      if (!user || user.disabledAt !== undefined) continue;
      // The claim comes first: with several instances on one store, only the one whose insert
      // recorded the mark mails it.
      if (!(await s.store.learning.insertReminderMark(a.id, userId, kind, now.toISOString()))) continue;
      const href = `${base}${entry.kind === 'course' ? '/courses/' : '/opportunities/'}${encodeURIComponent(entry.id)}`;
      const mail = {
        to: user.email,
        subject: kind === 'overdue' ? `Overdue: ${entry.title}` : `Due ${a.dueAt.slice(0, 10)}: ${entry.title}`,
        text: [
          `Hello ${user.name},`,
          '',
          kind === 'overdue'
            ? `"${entry.title}" was due on ${a.dueAt.slice(0, 10)} and is not completed yet.`
            : `"${entry.title}" is due on ${a.dueAt.slice(0, 10)}.`,
          `Open it: ${href}`,
          `Everything assigned to you: ${base}/my-learning`,
          '',
          `Stop these reminders: ${base}/reminders/unsubscribe/${unsubscribeToken(s, userId)}`,
        ].join('\n'),
      };
      try {
        await mailer.send(mail);
      } catch (err) {
        // Not handed over: release the claim so a later run (here or elsewhere) tries again.
        await s.store.learning.deleteReminderMark(a.id, userId, kind);
        throw err;
      }
      sent += 1;
    }
  }
  return sent;
}
