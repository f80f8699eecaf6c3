/**
 * Format checks for xAPI's special data types (Data 4.x): IRIs, UUIDs, RFC 5646 language tags,
 * ISO 8601 timestamps and durations. Pure predicates; callers turn a false into a 400.
 */

// An absolute IRI: a scheme (RFC 3986 3.1) then at least one character, and none of the
// characters RFC 3987 excludes from IRIs (space, controls, <>"{}|\^`).
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/;

/** An absolute IRI (or IRL/URI: xAPI only requires a scheme and no forbidden characters). */
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && IRI.test(value);
}

// 8-4-4-4-12 hex, any version and variant (Data 4.1.1 asks only for RFC 4122 string form).
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A mailto IRI with an address (Data 2.4.2.3). The scheme may be in any case: RFC 3986 3.1 makes
 * schemes case-insensitive, so "MAILTO:" is the same IRI (agent keys lower-case it).
 */
export function isMailtoIri(value: unknown): value is string {
  return typeof value === 'string' && /^mailto:[^\s@:/]+@[^\s@]+$/i.test(value);
}

export function isSha1Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-fA-F]{40}$/.test(value);
}

/** Internet media type (RFC 6838 type/subtype with optional parameters). */
export function isMediaType(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/.test(value);
}

const GRANDFATHERED = new Set(
  [
    'en-GB-oed', 'i-ami', 'i-bnn', 'i-default', 'i-enochian', 'i-hak', 'i-klingon', 'i-lux', 'i-mingo',
    'i-navajo', 'i-pwn', 'i-tao', 'i-tay', 'i-tsu', 'sgn-BE-FR', 'sgn-BE-NL', 'sgn-CH-DE', 'art-lojban',
    'cel-gaulish', 'no-bok', 'no-nyn', 'zh-guoyu', 'zh-hakka', 'zh-min', 'zh-min-nan', 'zh-xiang',
  ].map((t) => t.toLowerCase()),
);

// RFC 5646 section 2.1 langtag production (case-insensitive), private-use tags separately.
const LANGTAG = new RegExp(
  '^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})' + // language (+ extlang)
    '(?:-[a-z]{4})?' + // script
    '(?:-(?:[a-z]{2}|[0-9]{3}))?' + // region
    '((?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)' + // variants
    '((?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)' + // extensions
    '(?:-x(?:-[a-z0-9]{1,8})+)?$', // private use
  'i',
);
const PRIVATE_USE = /^x(?:-[a-z0-9]{1,8})+$/i;

/** A well-formed RFC 5646 language tag (no registry look-up). */
export function isLanguageTag(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  const lower = value.toLowerCase();
  if (GRANDFATHERED.has(lower) || PRIVATE_USE.test(value)) return true;
  const m = LANGTAG.exec(value);
  if (!m) return false;
  // RFC 5646 2.2.5/2.2.6: a variant or an extension singleton must not repeat.
  const variants = (m[1] ?? '').toLowerCase().split('-').filter(Boolean);
  if (new Set(variants).size !== variants.length) return false;
  const singletons = (m[2] ?? '').toLowerCase().split('-').filter((s) => s.length === 1);
  return new Set(singletons).size === singletons.length;
}

/** A parsed ISO 8601 / RFC 3339 date-time. `offsetMinutes` is undefined when no zone was given. */
export interface ParsedTimestamp {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Fraction-of-second digits exactly as given (may be empty). */
  readonly fraction: string;
  readonly offsetMinutes?: number;
}

const TS_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const TS_BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?([Zz]|([+-])(\d{2})(\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0); // day 0 of the next month = last day of this one
  return d.getUTCDate();
}

/**
 * Parses an ISO 8601 date-time (extended or basic format, RFC 3339's space separator allowed).
 * Returns undefined when malformed, out of range, or when it uses a "-00" zone offset, which
 * RFC 3339 4.3 reserves for "unknown local offset" and xAPI forbids.
 */
export function parseTimestamp(value: unknown): ParsedTimestamp | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TS_EXTENDED.exec(value) ?? TS_BASIC.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes: number | undefined;
  if (m[8] !== undefined) {
    if (m[8] === 'Z' || m[8] === 'z') offsetMinutes = 0;
    else {
      const oh = Number(m[10]);
      const om = m[11] === undefined ? 0 : Number(m[11]);
      if (oh > 23 || om > 59) return undefined;
      if (m[9] === '-' && oh === 0 && om === 0) return undefined;
      offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
    }
  }
  return { year, month, day, hour, minute, second, fraction: m[7] ?? '', offsetMinutes };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The same instant in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, keeping every fraction digit given.
 * A timestamp without a zone is taken as UTC.
 */
export function timestampToUtc(ts: ParsedTimestamp): string {
  const d = new Date(0);
  d.setUTCFullYear(ts.year, ts.month - 1, ts.day);
  d.setUTCHours(ts.hour, ts.minute - (ts.offsetMinutes ?? 0), ts.second, 0);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${pad(-y, 6)}` : y > 9999 ? `+${pad(y, 6)}` : pad(y, 4);
  const frac = ts.fraction === '' ? '' : `.${ts.fraction}`;
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}Z`;
}

/** One component of an ISO 8601 duration, e.g. { value: '1.2369', designator: 'S', inTime: true }. */
interface DurationPart {
  readonly whole: string;
  readonly sep: string;
  readonly fraction: string;
  readonly designator: string;
  readonly inTime: boolean;
}

const DATE_ORDER = 'YMD';
const TIME_ORDER = 'HMS';

function parseDurationParts(value: string): DurationPart[] | undefined {
  if (!value.startsWith('P')) return undefined;
  if (/^P\d+(?:[.,]\d+)?W$/.test(value)) {
    const m = /^P(\d+)(?:([.,])(\d+))?W$/.exec(value);
    return m ? [{ whole: m[1] ?? '', sep: m[2] ?? '', fraction: m[3] ?? '', designator: 'W', inTime: false }] : undefined;
  }
  const parts: DurationPart[] = [];
  const re = /(\d+)(?:([.,])(\d+))?([A-Z])|T/g;
  let pos = 1;
  let inTime = false;
  let lastIndex = -1;
  let sawT = false;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    if (m.index !== pos) return undefined;
    pos = re.lastIndex;
    if (m[0] === 'T') {
      if (sawT) return undefined;
      sawT = true;
      inTime = true;
      lastIndex = -1;
      continue;
    }
    const designator = m[4] ?? '';
    const idx = (inTime ? TIME_ORDER : DATE_ORDER).indexOf(designator);
    if (idx <= lastIndex) return undefined; // unknown designator or out of order
    lastIndex = idx;
    parts.push({ whole: m[1] ?? '', sep: m[2] ?? '', fraction: m[3] ?? '', designator, inTime });
  }
  if (pos !== value.length || parts.length === 0) return undefined;
  if (sawT && !parts.some((p) => p.inTime)) return undefined; // "P1DT" has an empty time part
  // ISO 8601 4.4.3.2: only the lowest-order component given may carry a decimal fraction.
  if (parts.slice(0, -1).some((p) => p.fraction !== '')) return undefined;
  return parts;
}

/** An ISO 8601:2004 4.4.3.2 duration (PnYnMnDTnHnMnS or PnW); the alternative format is rejected. */
export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && parseDurationParts(value) !== undefined;
}

/**
 * Cuts the seconds of a valid duration to 0.01 s (Data 4.6: the LRS may truncate to that
 * precision; truncating, never rounding, keeps the stored value at most what was sent).
 * Returns the input unchanged when there is nothing to cut or it is not a duration.
 */
export function truncateDuration(value: string): string {
  const parts = parseDurationParts(value);
  if (!parts) return value;
  const last = parts[parts.length - 1];
  if (!last || last.designator !== 'S' || !last.inTime || last.fraction.length <= 2) return value;
  const m = /(\d+)([.,])(\d+)S$/.exec(value);
  if (!m) return value;
  return `${value.slice(0, m.index)}${m[1]}${m[2]}${(m[3] ?? '').slice(0, 2)}S`;
}
