/**
 * Package-relative URL arithmetic: xml:base chains, href resolution, the SCORM launch-parameter rule,
 * file-existence checks against the zip's file list, and the IRI check used by xAPI and cmi5 ids.
 */

/** A reference resolved against the package: inside it, outside it (absolute URL), or escaping it. */
export type Resolved =
  | { kind: 'package'; path: string; suffix: string }
  | { kind: 'external'; url: string }
  | { kind: 'escape' };

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Resolves `ref` against `base` (a package-relative directory such as `sco1/` or '' for the root, or
 * an absolute URL). `path` is normalised (`.`/`..` removed, percent-encoding kept) and `suffix` is the
 * query and fragment of `ref`. A path that climbs above the root or starts with `/` is an escape.
 */
export function resolveRef(base: string, ref: string): Resolved {
  const r = ref.trim();
  if (SCHEME.test(r)) return { kind: 'external', url: r };
  if (SCHEME.test(base)) {
    try {
      return { kind: 'external', url: new URL(r, base).href };
    } catch {
      return { kind: 'escape' };
    }
  }
  if (r.startsWith('/') || r.startsWith('\\') || base.startsWith('/')) return { kind: 'escape' };
  const cut = r.search(/[?#]/);
  const pathPart = cut < 0 ? r : r.slice(0, cut);
  const suffix = cut < 0 ? '' : r.slice(cut);
  const segments: string[] = [];
  for (const seg of (base + pathPart).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.length === 0) return { kind: 'escape' };
      segments.pop();
    } else segments.push(seg);
  }
  const trailing = pathPart.endsWith('/') && segments.length > 0 ? '/' : '';
  return { kind: 'package', path: segments.join('/') + trailing, suffix };
}

/**
 * Combines an outer base with an element's own xml:base. xml:base values are treated as directories
 * (a missing trailing slash is added) because that is how authoring tools write them and players read them.
 */
export function joinBase(outer: string, own: string | undefined): string | 'escape' {
  if (own === undefined || own.trim() === '') return outer;
  const dir = own.trim().endsWith('/') ? own.trim() : own.trim() + '/';
  const r = resolveRef(outer, dir);
  if (r.kind === 'escape') return 'escape';
  if (r.kind === 'external') return r.url.endsWith('/') ? r.url : r.url + '/';
  return r.path === '' ? '' : r.path.endsWith('/') ? r.path : r.path + '/';
}

/** Full URL text of a resolved reference. */
export function urlOf(r: Exclude<Resolved, { kind: 'escape' }>): string {
  return r.kind === 'external' ? r.url : r.path + r.suffix;
}

/**
 * Appends an item's `parameters` to a launch URL following SCORM CAM (2004 3rd/4th ed. §3.4.1.9,
 * same rule for 1.2): strip leading `?` and `&`; a parameter starting with `#` is appended only when
 * the URL has no fragment yet; otherwise join with `&` when the URL already has a query, else `?`.
 * The query part goes before any existing fragment so the fragment stays last.
 */
export function appendParameters(url: string, parameters: string | undefined): string {
  if (parameters === undefined) return url;
  const p = parameters.replace(/^[?&]+/, '');
  if (p === '') return url;
  if (p.startsWith('#')) return url.includes('#') ? url : url + p;
  const hash = url.indexOf('#');
  const head = hash < 0 ? url : url.slice(0, hash);
  const frag = hash < 0 ? '' : url.slice(hash);
  return head + (head.includes('?') ? '&' : '?') + p + frag;
}

/**
 * True when the package file list has `path` (tried as written, then percent-decoded, since zip entry
 * names are stored decoded while hrefs may be URL-encoded).
 */
export function hasFile(files: ReadonlySet<string>, path: string): boolean {
  if (files.has(path)) return true;
  try {
    const decoded = decodeURIComponent(path);
    return decoded !== path && files.has(decoded);
  } catch {
    return false;
  }
}

/** Finds a file differing only by letter case, to make "missing file" messages actionable. */
export function caseInsensitiveMatch(files: ReadonlySet<string>, path: string): string | undefined {
  const want = safeDecode(path).toLowerCase();
  for (const f of files) if (f.toLowerCase() === want) return f;
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Absolute IRI check (RFC 3987 shape, as the xAPI spec requires for activity ids): a scheme, a colon,
 * then no whitespace or characters that are never allowed in an IRI.
 */
export function isAbsoluteIri(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/.test(value);
}
