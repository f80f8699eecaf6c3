/**
 * Outgoing mail (issue 11). With LEARNHQ_SMTP_URL, nodemailer sends over SMTP; without it (the
 * embedded default) every mail is kept in the store's outbox, which only the site administrator
 * reads (/admin/outbox and GET /api/admin/outbox). Mails carry one-time links that prove an email
 * address: they are never shown to whoever caused them to be sent.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config';
import type { Store } from '../../store/ports';
import { AppError } from '../../errors';
import { newId } from '../tokens';

/** One mail to send. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where mail goes: an SMTP server, or the site administrator's outbox. */
export type MailDelivery = 'smtp' | 'outbox';

/** Sends mail. */
export interface Mailer {
  readonly delivery: MailDelivery;
  /** Resolves once the SMTP server accepted the mail (or the outbox stored it); 503 otherwise. */
  send(mail: Mail): Promise<void>;
}

/** What the mailer needs from the app's services. */
export interface MailerDeps {
  readonly config: Pick<Config, 'smtpUrl' | 'mailFrom'>;
  readonly store: Store;
  readonly now: () => Date;
}

function smtpMailer(config: Pick<Config, 'mailFrom'>, url: string): Mailer {
  let transport: Transporter | undefined;
  return {
    delivery: 'smtp',
    async send(mail) {
      transport ??= nodemailer.createTransport(url);
      try {
        await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (err) {
        const e = new AppError('unavailable', 'the mail server did not accept the mail: try again later');
        Object.defineProperty(e, 'cause', { value: err, enumerable: false });
        throw e;
      }
    },
  };
}

function outboxMailer(deps: MailerDeps): Mailer {
  return {
    delivery: 'outbox',
    async send(mail) {
      await deps.store.outbox.insertOutboxMail({ id: newId(), at: deps.now().toISOString(), to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

// One mailer per store (each app and each test app has its own), so an SMTP transport is reused.
const mailers = new WeakMap<Store, Mailer>();

/** The mailer of this app: SMTP when LEARNHQ_SMTP_URL is set, else the outbox. */
export function mailerFor(deps: MailerDeps): Mailer {
  let m = mailers.get(deps.store);
  if (!m) {
    m = deps.config.smtpUrl !== undefined ? smtpMailer(deps.config, deps.config.smtpUrl) : outboxMailer(deps);
    mailers.set(deps.store, m);
  }
  return m;
}

/** The start-up log line about mail (main.ts logs it), so an operator knows where mail goes. */
export function mailStartupNotice(config: Pick<Config, 'smtpUrl' | 'publicUrl'>): { readonly level: 'info' | 'warn'; readonly message: string } {
  if (config.smtpUrl !== undefined) {
    return { level: 'info', message: `mail is sent through the SMTP server of LEARNHQ_SMTP_URL (${new URL(config.smtpUrl).host})` };
  }
  return {
    level: 'warn',
    message: `no SMTP server is configured (LEARNHQ_SMTP_URL): invitations, password resets and email checks go to the outbox, which only the site administrator can read at ${config.publicUrl}/admin/outbox`,
  };
}
