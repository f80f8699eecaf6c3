/** Validation of the catalog data an author edits (PATCH /api/courses/:id and the course form). */
import { badRequest } from '../errors';
import type { CoursePatch } from '../store/ports';

/** The editable fields, without updatedAt (the service sets it). */
export type CatalogPatch = Omit<CoursePatch, 'updatedAt' | 'state' | 'competencies'>;

const FIELDS = ['slug', 'title', 'description', 'language', 'estimatedMinutes', 'provider', 'ceCredits'] as const;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// BCP 47 shape (language, optional script/region/variants); not a registry check.
const LANGUAGE = /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$/;

function text(body: Record<string, unknown>, name: string, max: number, allowEmpty: boolean): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`property ${name} must be a string`);
  const t = v.trim();
  if (!allowEmpty && t === '') throw badRequest(`property ${name} must not be empty`);
  if (t.length > max) throw badRequest(`property ${name} must be at most ${max} characters, got ${t.length}`);
  return t;
}

/** A number property; '' and null clear it (forms send '' for an emptied field). */
function num(body: Record<string, unknown>, name: string, min: number, max: number, integer: boolean): number | null | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw badRequest(`property ${name} must be a number`);
  if (integer && !Number.isInteger(n)) throw badRequest(`property ${name} must be a whole number of minutes`);
  if (n < min || n > max) throw badRequest(`property ${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/**
 * Parses catalog data from a JSON body or a form. Unknown properties are refused (a typo must not
 * be silently ignored), except the form's `_csrf`.
 */
export function parseCatalogPatch(body: unknown, opts: { allowFormFields?: boolean } = {}): CatalogPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a JSON object of catalog fields');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if ((FIELDS as readonly string[]).includes(k)) continue;
    if (opts.allowFormFields && k === '_csrf') continue;
    throw badRequest(`property ${k} cannot be changed here; allowed: ${FIELDS.join(', ')}`);
  }
  const out: { -readonly [K in keyof CatalogPatch]: CatalogPatch[K] } = {};
  const title = text(b, 'title', 200, false);
  if (title !== undefined) out.title = title;
  const description = text(b, 'description', 10000, true);
  if (description !== undefined) out.description = description;
  const provider = text(b, 'provider', 200, false);
  if (provider !== undefined) out.provider = provider;
  const language = text(b, 'language', 35, false);
  if (language !== undefined) {
    if (!LANGUAGE.test(language)) throw badRequest(`property language must be a language tag such as en or fr-CA, got "${language}"`);
    out.language = language;
  }
  if (b['slug'] !== undefined) {
    if (b['slug'] === null || b['slug'] === '') out.slug = null;
    else {
      const slug = text(b, 'slug', 80, false)!;
      if (!SLUG.test(slug)) throw badRequest(`property slug must be lower-case letters, digits and single hyphens, got "${slug}"`);
      out.slug = slug;
    }
  }
  const minutes = num(b, 'estimatedMinutes', 1, 100000, true);
  if (minutes !== undefined) out.estimatedMinutes = minutes;
  const credits = num(b, 'ceCredits', 0, 1000, false);
  if (credits !== undefined) out.ceCredits = credits;
  return out;
}
