/**
 * The mail outbox: where mail goes when no SMTP server is configured (the embedded default), so
 * that the site administrator can read and pass on what LearnHQ would have sent
 * (src/accounts/mail/). Mails hold one-time links: only the site administrator reads them.
 */

/** One mail as LearnHQ would have sent it. */
export interface OutboxMail {
  /** Opaque unique id. */
  readonly id: string;
  /** ISO time it was written. */
  readonly at: string;
  /** Recipient address (lower case). */
  readonly to: string;
  readonly subject: string;
  /** Plain-text body (it carries the link). */
  readonly text: string;
}

export interface OutboxStore {
  /** Stores a mail. Throws AppError('conflict') when the id exists. */
  insertOutboxMail(mail: OutboxMail): Promise<void>;
  /** Newest first (equal times: the later insert first), at most `limit`; [] when none. */
  findOutboxMails(filter: { readonly limit: number }): Promise<OutboxMail[]>;
}
