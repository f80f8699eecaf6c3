import { html, type Html } from '../../html';
import { field, formError } from '../forms';

/** What the sign-in form shows again after a failed attempt. */
export interface SignInFormState {
  readonly email?: string;
  readonly next?: string;
  readonly error?: string;
}

export function signInView(s: SignInFormState): Html {
  return html`<div class="narrow">
<h1>Sign in</h1>
${formError(s.error)}
<form method="post" action="/sign-in" novalidate>
  <input type="hidden" name="next" value="${s.next ?? '/'}">
  ${field({ label: 'Email', name: 'email', type: 'email', value: s.email ?? '', autocomplete: 'username', required: true, invalid: !!s.error, autofocus: true })}
  ${field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, invalid: !!s.error })}
  <div class="actions"><button type="submit">Sign in</button> <a href="/password-reset">Forgot your password?</a></div>
</form>
<p class="muted">New here? An organization administrator sends you an invitation link.</p>
</div>`;
}

export interface InvitationFormState {
  readonly token: string;
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
export function linkDeadView(what: 'invitation' | 'password reset link', detail: string): Html {
  return html`<div class="narrow">
<h1>This ${what} cannot be used</h1>
<p role="alert">${detail}</p>
<p><a href="/sign-in">Go to sign-in</a></p>
</div>`;
}

export function resetRequestView(s: { readonly email?: string; readonly error?: string; readonly sent?: boolean }): Html {
  return html`<div class="narrow">
<h1>Reset your password</h1>
${s.sent ? html`<p class="notice ok" role="status">If an account exists for that email, a reset link is on its way. Without a mail server, the administrator finds it in the service log.</p>` : ''}
${formError(s.error)}
<form method="post" action="/password-reset" novalidate>
  ${field({ label: 'Email', name: 'email', type: 'email', value: s.email ?? '', autocomplete: 'username', required: true, autofocus: true })}
  <div class="actions"><button type="submit">Send the reset link</button> <a href="/sign-in">Back to sign-in</a></div>
</form>
</div>`;
}

export function resetSetView(s: { readonly token: string; readonly error?: string }): Html {
  return html`<div class="narrow">
<h1>Choose a new password</h1>
${formError(s.error)}
<form method="post" action="/password-reset/${encodeURIComponent(s.token)}" novalidate>
  ${field({ label: 'New password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, hint: 'At least 10 characters.', autofocus: true })}
  ${field({ label: 'Confirm new password', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true })}
  <div class="actions"><button type="submit">Set the password</button></div>
</form>
</div>`;
}
