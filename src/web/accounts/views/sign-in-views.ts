import { html, type Html } from '../../html';
import { csrfField, field, formError } from '../forms';
import type { MailDelivery } from '../../../accounts/mail/mailer';

/** What the sign-in form shows again after a failed attempt. */
export interface SignInFormState {
  /** The pre-session CSRF token of this browser (src/accounts/presession.ts). */
  readonly csrf: string;
  readonly email?: string;
  readonly next?: string;
  readonly error?: string;
  /** Demo mode: the demo accounts and their shared password. */
  readonly demo?: { readonly people: readonly { readonly email: string; readonly name: string }[]; readonly password: string };
}

export function signInView(s: SignInFormState): Html {
  return html`<div class="narrow">
<h1>Sign in</h1>
<p>LearnHQ is where library staff and trustees take their training: online courses, webinars, workshops and conference sessions from their library, their regional service and their association, with one record of everything they learned.</p>
${formError(s.error)}
<form method="post" action="/sign-in" novalidate>
  ${csrfField(s.csrf)}
  <input type="hidden" name="next" value="${s.next ?? '/'}">
  ${field({ label: 'Email', name: 'email', type: 'email', value: s.email ?? '', autocomplete: 'username', required: true, invalid: !!s.error, autofocus: true })}
  ${field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, invalid: !!s.error })}
  <div class="actions"><button type="submit">Sign in</button> <a href="/password-reset">Forgot your password?</a></div>
</form>
<p class="muted">New here? An organization administrator sends you an invitation link.</p>
${s.demo
    ? html`<section aria-labelledby="h-demo"><h2 id="h-demo">Demo accounts</h2>
<p>This site runs in demo mode. Every demo account's password is <code>${s.demo.password}</code>.</p>
<ul>${s.demo.people.map((p) => html`<li><code>${p.email}</code> (${p.name})</li>`)}</ul></section>`
    : ''}
</div>`;
}

export interface InvitationFormState {
  readonly token: string;
  readonly csrf: string;
  readonly orgName: string;
  readonly email: string;
  readonly roles: readonly string[];
  /** The email has an account already: accepting asks for its current password only. */
  readonly existingAccount: boolean;
  readonly name?: string;
  readonly error?: string;
}

export function invitationView(s: InvitationFormState): Html {
  const bad = !!s.error;
  return html`<div class="narrow">
<h1>Join ${s.orgName}</h1>
<p>You were invited as <strong>${s.email}</strong> (${s.roles.join(', ')}).
${s.existingAccount ? 'You have an account already: enter its password to accept.' : 'Choose your name and a password.'}</p>
${formError(s.error)}
<form method="post" action="/invitations/${encodeURIComponent(s.token)}" novalidate>
  ${csrfField(s.csrf)}
  ${s.existingAccount
    ? field({ label: 'Your current password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, invalid: bad, autofocus: true })
    : html`${field({ label: 'Your name', name: 'name', value: s.name ?? '', autocomplete: 'name', required: true, autofocus: true })}
  ${field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, hint: 'At least 10 characters.', invalid: bad })}
  ${field({ label: 'Confirm password', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true, invalid: bad })}`}
  <div class="actions"><button type="submit">Accept the invitation</button></div>
</form>
</div>`;
}

/** For invitations that were already accepted, expired or never existed. */
export function linkDeadView(what: 'invitation' | 'password reset link' | 'email confirmation link', detail: string): Html {
  return html`<div class="narrow">
<h1>This ${what} cannot be used</h1>
<p role="alert">${detail}</p>
<p><a href="/sign-in">Go to sign-in</a></p>
</div>`;
}

/** What the reset page says once a link was asked for: true to where the link went (issue 11). */
function resetSentNotice(sent: MailDelivery): Html {
  return sent === 'smtp'
    ? html`<p class="notice ok" role="status">If an account exists for that email, a reset link valid for one hour was mailed to it.</p>`
    : html`<p class="notice ok" role="status">This site has no mail server, so no email is sent. If an account exists for that email, its reset link is in the site administrator's outbox: ask them for it.</p>`;
}

export function resetRequestView(s: { readonly csrf: string; readonly email?: string; readonly error?: string; readonly sent?: MailDelivery }): Html {
  return html`<div class="narrow">
<h1>Reset your password</h1>
${s.sent ? resetSentNotice(s.sent) : ''}
${formError(s.error)}
<form method="post" action="/password-reset" novalidate>
  ${csrfField(s.csrf)}
  ${field({ label: 'Email', name: 'email', type: 'email', value: s.email ?? '', autocomplete: 'username', required: true, autofocus: true })}
  <div class="actions"><button type="submit">Send the reset link</button> <a href="/sign-in">Back to sign-in</a></div>
</form>
</div>`;
}

export function resetSetView(s: { readonly token: string; readonly csrf: string; readonly error?: string }): Html {
  return html`<div class="narrow">
<h1>Choose a new password</h1>
${formError(s.error)}
<form method="post" action="/password-reset/${encodeURIComponent(s.token)}" novalidate>
  ${csrfField(s.csrf)}
  ${field({ label: 'New password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, hint: 'At least 10 characters.', autofocus: true })}
  ${field({ label: 'Confirm new password', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true })}
  <div class="actions"><button type="submit">Set the password</button></div>
</form>
</div>`;
}

/** /verify-email/:token: the confirm button, or the confirmation once done. */
export function verifyEmailView(s: { readonly token: string; readonly csrf: string } | { readonly done: true }): Html {
  if ('done' in s) {
    return html`<div class="narrow">
<h1>Email confirmed</h1>
<p class="notice ok" role="status">Your email address is confirmed: learning records that name it can now be linked to your account.</p>
<p><a href="/me">Go to your account</a></p>
</div>`;
  }
  return html`<div class="narrow">
<h1>Confirm your email</h1>
<p>Confirm that this email address belongs to your LearnHQ account.</p>
<form method="post" action="/verify-email/${encodeURIComponent(s.token)}">
  ${csrfField(s.csrf)}
  <div class="actions"><button type="submit">Confirm my email address</button></div>
</form>
</div>`;
}
