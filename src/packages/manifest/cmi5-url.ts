/**
 * Checks of a cmi5 AU `<url>` that the course model does not need but the spec requires, each
 * tested by ADL's LMS test suite with a package that must be refused:
 * - 13.1.4 (test 206): the URL conforms to RFC 1738, so it holds no space or other character a
 *   URL never contains unescaped;
 * - 8.1 (test 204): names in its query string must not collide with the launch parameters the
 *   LMS appends (endpoint, fetch, actor, registration, activityId);
 * - 14.2 (test 202): a course structure imported without a zip has only fully qualified URLs.
 */

/** The launch parameters of cmi5 8.1 that an AU URL's own query must not use. */
export const CMI5_LAUNCH_PARAMETERS: readonly string[] = ['endpoint', 'fetch', 'actor', 'registration', 'activityId'];

/** A problem with an AU URL: an error code and a message naming the AU. */
export interface AuUrlProblem {
  readonly code: 'invalid_url' | 'launch_parameter_conflict' | 'relative_url_without_package';
  readonly message: string;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
// Characters RFC 1738 never allows unescaped in a URL (space, controls, <>"{}|\^`).
const UNSAFE = /[\s<>"{}|\\^`\u0000-\u001f\u007f]/;

/** What is wrong with an AU's `<url>` (already trimmed); [] when nothing. `bare`: no zip package. */
export function auUrlProblems(url: string, auId: string, bare: boolean): AuUrlProblem[] {
  const out: AuUrlProblem[] = [];
  const bad = UNSAFE.exec(url);
  if (bad) {
    const what = bad[0] === ' ' ? 'a space' : `the character ${JSON.stringify(bad[0])}`;
    out.push({ code: 'invalid_url', message: `<url>${url}</url> of AU "${auId}" contains ${what}, which a URL never holds unescaped (cmi5 13.1.4, RFC 1738)` });
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    const query = url.slice(q + 1).split('#')[0] ?? '';
    const names = query.split('&').map((p) => safeDecode(p.split('=')[0] ?? ''));
    const clash = CMI5_LAUNCH_PARAMETERS.filter((n) => names.includes(n));
    if (clash.length > 0) {
      out.push({
        code: 'launch_parameter_conflict',
        message: `<url>${url}</url> of AU "${auId}" has ${clash.map((c) => `"${c}"`).join(', ')} in its query string: the LMS appends ${clash.length > 1 ? 'these launch parameters' : 'this launch parameter'} itself (cmi5 8.1)`,
      });
    }
  }
  if (bare && !SCHEME.test(url)) {
    out.push({
      code: 'relative_url_without_package',
      message: `<url>${url}</url> of AU "${auId}" is relative, but a course structure uploaded without a zip has no files: its URLs must be fully qualified (cmi5 14.2)`,
    });
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
