import type { MailDelivery } from '../../../accounts/mail/mailer';
import type { OutboxMail } from '../../../store/ports';
import { html, type Html } from '../../html';
import { when } from '../render';

/** /admin/outbox: the mail LearnHQ kept because no SMTP server is configured (site administrator only). */
export function outboxView(o: { readonly mails: readonly OutboxMail[]; readonly delivery: MailDelivery }): Html {
  return html`<h1>Outbox</h1>
<p><a href="/admin">Administration</a></p>
${o.delivery === 'outbox'
    ? html`<p>This site has no mail server (set <code>LEARNHQ_SMTP_URL</code> to send mail). Invitations, password reset links and email confirmations wait here: pass each one on to its addressee only, by a channel you trust. Each link proves its address, so never give it to anyone else.</p>`
    : html`<p>Mail is sent through an SMTP server; this outbox holds only what was kept before it was configured.</p>`}
${o.mails.length === 0
    ? html`<p>The outbox is empty.</p>`
    : o.mails.map(
        (m) => html`<article class="card mail" aria-labelledby="mail-${m.id}">
<h2 id="mail-${m.id}">${m.subject}</h2>
<p class="muted">To <strong>${m.to}</strong>, ${when(m.at)}</p>
<pre class="mail-text">${m.text}</pre>
</article>`,
      )}`;
}
