/**
 * Identifiers in SCORM manifests as matched against each other. Their schema types (xs:ID,
 * xs:IDREF, xs:anyURI) collapse surrounding white space, and some packages write a reference
 * percent-encoded (`%20` for a space) where the identifier is written plainly or the other way
 * round; ADL's SCORM 2004 4th edition conformance packages include both. So identifiers are
 * trimmed when read, and references are matched on a key that is trimmed and percent-decoded.
 */
import type { Element } from '@xmldom/xmldom';
import { attr } from './xml';

/** An attribute holding an identifier, trimmed; undefined when absent. */
export function idAttr(el: Element, name: string): string | undefined {
  return attr(el, name)?.trim();
}

/** The key an identifier or a reference to one is matched by: trimmed and percent-decoded. */
export function idKey(id: string): string {
  const t = id.trim();
  if (!t.includes('%')) return t;
  try {
    return decodeURIComponent(t).trim();
  } catch {
    return t;
  }
}
