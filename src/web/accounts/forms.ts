import type { Request } from 'express';
import { html, type Html, type HtmlValue } from '../html';

/** A parsed urlencoded form: single values as strings, repeated fields as arrays. */
export type FormBody = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The parsed form of a POST (express.urlencoded ran before); {} when there is none. */
export function formBody(req: Request): FormBody {
  const b: unknown = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as FormBody) : {};
}

/** One text value of a form field; the last one when the field was repeated; '' when missing. */
export function text(form: FormBody, name: string): string {
  const v = form[name];
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return v[v.length - 1] ?? '';
}

/** Every value of a repeated field (checkbox groups). */
export function list(form: FormBody, name: string): string[] {
  const v = form[name];
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : [...v];
}

/** Attributes of one labelled input. */
export interface FieldOptions {
  readonly label: string;
  readonly name: string;
  readonly type?: 'text' | 'email' | 'password' | 'url';
  /** Kept on re-render after an error; never set for passwords. */
  readonly value?: string;
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly hint?: string;
  /** Marks the field invalid and links it to the page's error message. */
  readonly invalid?: boolean;
  readonly autofocus?: boolean;
  readonly minlength?: number;
}

/** A labelled input: the label's `for` matches the input id; hints are tied by aria-describedby. */
export function field(o: FieldOptions): Html {
  const id = `f-${o.name}`;
  const hintId = o.hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, o.invalid ? 'form-error' : undefined].filter(Boolean).join(' ');
  return html`<label for="${id}">${o.label}</label>
${o.hint ? html`<p class="hint muted" id="${hintId}">${o.hint}</p>` : ''}
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${o.value !== undefined && o.type !== 'password' ? html` value="${o.value}"` : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${o.required ? html` required` : ''}${o.minlength ? html` minlength="${o.minlength}"` : ''}${o.invalid ? html` aria-invalid="true"` : ''}${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${o.autofocus ? html` autofocus` : ''}>`;
}

/** A checkbox with its label after it (label wraps nothing so `for` stays explicit). */
export function checkbox(o: { readonly name: string; readonly value: string; readonly label: string; readonly checked?: boolean; readonly idSuffix?: string }): Html {
  const id = `c-${o.name}-${o.idSuffix ?? o.value}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return html`<div class="check"><input type="checkbox" id="${id}" name="${o.name}" value="${o.value}"${o.checked ? html` checked` : ''}><label for="${id}">${o.label}</label></div>`;
}

/** The error of a failed form submission; focusable so the page can move focus to it. */
export function formError(message: string | undefined): HtmlValue {
  if (!message) return '';
  return html`<p class="notice error" id="form-error" role="alert" tabindex="-1">${message}</p>`;
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A one-button POST form (revoke, sign out...) with its CSRF field. */
export function postButton(o: { readonly action: string; readonly csrf: string; readonly label: string; readonly danger?: boolean; readonly hidden?: Readonly<Record<string, string>>; readonly accessibleLabel?: string }): Html {
  return html`<form class="inline" method="post" action="${o.action}">${csrfField(o.csrf)}${Object.entries(o.hidden ?? {}).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit"${o.danger ? html` class="danger"` : ''}${o.accessibleLabel ? html` aria-label="${o.accessibleLabel}"` : ''}>${o.label}</button></form>`;
}

/** A same-site path to go to after sign-in; anything else (other hosts, schemes, //) becomes '/'. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return '/';
  return next;
}

/** A route parameter as one string ('' when absent). */
export function param(req: Request, name: string): string {
  const v: unknown = req.params[name];
  return typeof v === 'string' ? v : '';
}
