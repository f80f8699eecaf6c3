/**
 * A real SMTP server in-process (smtp-server) for the mail tests: it accepts every message on an
 * ephemeral 127.0.0.1 port and keeps what was delivered, so a test can read the mail and follow
 * its link as the addressee would.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One delivered message: envelope recipients and the decoded plain-text body. */
export interface DeliveredMail {
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly raw: string;
}

export interface TestSmtp {
  /** smtp://127.0.0.1:PORT for LEARNHQ_SMTP_URL (config.smtpUrl). */
  readonly url: string;
  readonly mails: DeliveredMail[];
  /** The last mail delivered to `to`; fails when there is none. */
  lastTo(to: string): DeliveredMail;
  /** The first link (http/https URL) of the last mail delivered to `to`. */
  linkTo(to: string): string;
  close(): Promise<void>;
}

/** Decodes a quoted-printable body (soft line breaks and =XX escapes). */
function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Parses the one-part text messages LearnHQ sends. */
function parse(raw: string, to: readonly string[], from: string): DeliveredMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { to, from, subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), raw };
}

/** Starts the server; close() it after the tests. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: DeliveredMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push(parse(Buffer.concat(chunks).toString('latin1'), to, from));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const lastTo = (to: string): DeliveredMail => {
    const m = [...mails].reverse().find((x) => x.to.includes(to.toLowerCase()));
    if (!m) throw new Error(`no mail was delivered to ${to} (delivered: ${mails.map((x) => x.to.join(',')).join('; ') || 'none'})`);
    return m;
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    lastTo,
    linkTo(to) {
      const link = /https?:\/\/\S+/.exec(lastTo(to).text)?.[0];
      if (!link) throw new Error(`the last mail to ${to} has no link`);
      return link;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
