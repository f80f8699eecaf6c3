import { createHash } from 'node:crypto';

/**
 * The xAPI `mbox_sha1sum` of an email address: hex SHA-1 of `mailto:<address>` (Data 2.4.2.3),
 * the address lower-cased as the stores keep it. Both account adapters store it beside the email
 * so an Agent given by mbox_sha1sum can be matched to a LearnHQ person in one indexed read.
 */
export function mailboxSha1(email: string): string {
  return createHash('sha1').update(`mailto:${email.toLowerCase()}`, 'utf8').digest('hex');
}
