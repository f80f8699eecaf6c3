/**
 * Launch URLs a package may declare (SCORM resource href, TinCan <launch>, cmi5 AU <url>): a file
 * of the package, or an http(s) address. Anything else — javascript:, data:, vbscript:, file:,
 * blob: — would run or load something other than web content in the player's frame, so it is
 * refused at import with a report entry (issue 11), not only blocked later by the player's CSP.
 */
import type { Element } from '@xmldom/xmldom';
import type { Reporter } from './report';

const WEB_SCHEMES = new Set(['http', 'https']);

/**
 * The scheme a browser reads from `raw`, lower-cased, or undefined for a relative reference. As
 * the WHATWG URL parser does, leading and trailing controls and spaces are dropped and tabs and
 * line breaks removed anywhere, so "java&#9;script:" is seen as the javascript: it would become.
 */
export function launchScheme(raw: string): string | undefined {
  const s = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Reports an error and returns true when one of `urls` (the launch URL as written, then as
 * resolved against its base) has a scheme other than http or https.
 */
export function refuseLaunchScheme(rep: Reporter, what: string, at: Element, ...urls: readonly string[]): boolean {
  for (const url of urls) {
    const scheme = launchScheme(url);
    if (scheme === undefined || WEB_SCHEMES.has(scheme)) continue;
    rep.error(
      'launch_url_scheme',
      `${what} "${urls[0]}" uses the scheme "${scheme}:"; a launch URL must be a file of the package or an http(s) address`,
      at,
    );
    return true;
  }
  return false;
}
