import { html, type Html, type HtmlValue } from './html';

export interface NavUser {
  readonly name: string;
  readonly isSiteAdmin: boolean;
  /** Roles the user holds anywhere; decides which navigation links show. */
  readonly roles: ReadonlySet<string>;
}

export interface PageOptions {
  readonly title: string;
  readonly user?: NavUser;
  /** CSRF token for forms on the page (also used by the sign-out form). */
  readonly csrfToken?: string;
  /** Extra <script type="module" src> bundles (served from /static). */
  readonly scripts?: readonly string[];
  /** A flash message shown above the content. */
  readonly notice?: { readonly kind: 'info' | 'error'; readonly text: string };
  readonly body: HtmlValue;
}

/** The page shell shared by every server-rendered page: skip link, header, navigation, main. */
export function page(o: PageOptions): Html {
  const u = o.user;
  const link = (href: string, label: string): Html => html`<li><a href="${href}">${label}</a></li>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · LearnHQ</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${(o.scripts ?? []).map((s) => html`<script type="module" src="${s}"></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <a class="brand" href="/">LearnHQ</a>
  ${u
    ? html`<nav aria-label="Main"><ul>
        ${link('/catalog', 'Catalog')}
        ${link('/my-learning', 'My learning')}
        ${link('/competencies', 'Competencies')}
        ${link('/teams', 'Teams and roles')}
        ${link('/me', 'My account')}
        ${u.roles.has('author') || u.isSiteAdmin ? link('/author', 'Author console') : ''}
        ${u.roles.has('analyst') || u.roles.has('manager') || u.roles.has('orgAdmin') || u.isSiteAdmin ? link('/reports', 'Reports') : ''}
        ${u.roles.has('author') || u.roles.has('orgAdmin') || u.roles.has('manager') || u.isSiteAdmin ? link('/organize', 'Organize') : ''}
        ${u.roles.has('orgAdmin') || u.roles.has('manager') || u.isSiteAdmin ? link('/self-reports/approvals', 'Approvals') : ''}
        ${u.roles.has('orgAdmin') || u.isSiteAdmin ? link('/admin', 'Administration') : ''}
      </ul></nav>
      <form class="signout" method="post" action="/sign-out">
        <input type="hidden" name="_csrf" value="${o.csrfToken ?? ''}">
        <span>${u.name}</span> <button type="submit">Sign out</button>
      </form>`
    : html`<nav aria-label="Main"><ul>${link('/sign-in', 'Sign in')}</ul></nav>`}
</header>
<main id="main" tabindex="-1">
${o.notice ? html`<p class="notice ${o.notice.kind}" role="${o.notice.kind === 'error' ? 'alert' : 'status'}">${o.notice.text}</p>` : ''}
${o.body}
</main>
</body>
</html>`;
}
