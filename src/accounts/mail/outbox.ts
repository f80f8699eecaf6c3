import type { AppServices } from '../../deps';
import type { OutboxMail } from '../../store/ports';
import { assertSiteAdmin } from '../access';
import type { UserContext } from '../user-context';

/** Most mails one listing of the outbox returns. */
export const OUTBOX_LIMIT = 200;

/** The outbox, newest first (site administrator only: mails hold one-time links; 403 otherwise). */
export async function listOutbox(s: AppServices, actor: UserContext): Promise<OutboxMail[]> {
  assertSiteAdmin(actor);
  return s.store.outbox.findOutboxMails({ limit: OUTBOX_LIMIT });
}
