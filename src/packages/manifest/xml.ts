/**
 * Safe XML parsing for package manifests and small namespace-aware DOM helpers.
 * Manifests are untrusted: a DOCTYPE (hence any entity declaration) is refused before parsing, which
 * rules out XXE and entity-expansion bombs whatever the parser would do, and the text size is capped.
 */

import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import type { Issue } from '../course-model';

/** Largest manifest we parse by default (a 1,000-AU cmi5 course is well under 2 MiB). */
export const DEFAULT_MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Outcome of {@link parseXml}. */
export type ParsedXml = { ok: true; root: Element } | { ok: false; issue: Issue };

/** Parses `text` as XML, refusing DOCTYPE/ENTITY declarations and anything larger than `maxBytes`. */
export function parseXml(text: string, fileName: string, maxBytes = DEFAULT_MAX_MANIFEST_BYTES): ParsedXml {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return fail('manifest_too_large', `${fileName} is ${bytes} bytes; manifests larger than ${maxBytes} bytes are refused`);
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Refuse rather than parse-and-ignore: a declaration can only serve entity tricks in a manifest.
  const decl = /<!(DOCTYPE|ENTITY)/i.exec(source);
  if (decl) {
    return fail('manifest_doctype', `${fileName} contains a <!${decl[1]!.toUpperCase()}> declaration; DTDs and entity declarations are refused for safety`);
  }
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      locator: true,
      onError: (level, message) => {
        // xmldom reports recoverable well-formedness errors at level 'error'; a manifest must be well-formed.
        if (level !== 'warning') problems.push(String(message).split('\n')[0] ?? String(message));
      },
    }).parseFromString(source, 'text/xml');
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return fail('manifest_not_well_formed', `${fileName} is not well-formed XML: ${message}`);
  }
  if (problems.length > 0) {
    return fail('manifest_not_well_formed', `${fileName} is not well-formed XML: ${problems[0]}`);
  }
  const root = doc.documentElement;
  if (!root) return fail('manifest_not_well_formed', `${fileName} has no root element`);
  return { ok: true, root };
}

function fail(code: string, message: string): ParsedXml {
  return { ok: false, issue: { code, message, path: '/' } };
}

/** Element children of `el`, in document order. */
export function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n: Node | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) out.push(n as Element);
  }
  return out;
}

/** Element children with local name `local` whose namespace is one of `ns` (null = no namespace). */
export function childrenNs(el: Element, ns: readonly (string | null)[], local: string): Element[] {
  return elementChildren(el).filter((c) => c.localName === local && ns.includes(c.namespaceURI ?? null));
}

/** First child as in {@link childrenNs}. */
export function childNs(el: Element, ns: readonly (string | null)[], local: string): Element | undefined {
  return childrenNs(el, ns, local)[0];
}

/** Un-namespaced attribute value, or undefined when absent. */
export function attr(el: Element, name: string): string | undefined {
  const a = el.getAttributeNode(name);
  return a && !a.namespaceURI ? a.value : el.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

/** Attribute in one of the namespaces `ns` (lenient: also accepts the local name with any casing when `loose`). */
export function attrNs(el: Element, ns: readonly string[], local: string, loose = false): string | undefined {
  for (const n of ns) {
    if (el.hasAttributeNS(n, local)) return el.getAttributeNS(n, local) ?? undefined;
  }
  if (loose) {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i);
      if (a && (a.localName ?? a.name).toLowerCase() === local.toLowerCase()) return a.value;
    }
  }
  return undefined;
}

/** Trimmed text content. */
export function textOf(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const t = (el.textContent ?? '').trim();
  return t;
}

/** `xml:base` of the element itself (not inherited). */
export function xmlBase(el: Element): string | undefined {
  return el.hasAttributeNS(XML_NS, 'base') ? (el.getAttributeNS(XML_NS, 'base') ?? undefined) : undefined;
}

/**
 * XPath-like location of `el`: each step is the local name, qualified by `[@identifier='…']` (or
 * `[@id='…']`) when the element has one, else by its position among same-named siblings when ambiguous.
 */
export function pathOf(el: Element): string {
  const steps: string[] = [];
  for (let n: Element | null = el; n && n.nodeType === 1; n = n.parentNode as Element | null) {
    const name = n.localName ?? n.nodeName;
    const id = n.getAttribute('identifier') || n.getAttribute('id') || n.getAttribute('ID');
    if (id) {
      const key = n.hasAttribute('identifier') ? 'identifier' : n.hasAttribute('id') ? 'id' : 'ID';
      steps.push(`${name}[@${key}='${id}']`);
    } else {
      const parent = n.parentNode as Element | null;
      const same = parent && parent.nodeType === 1 ? elementChildren(parent).filter((c) => c.localName === n!.localName) : [n];
      steps.push(same.length > 1 ? `${name}[${same.indexOf(n) + 1}]` : name);
    }
  }
  return '/' + steps.reverse().join('/');
}

/** Parses an xs:boolean; undefined for absent; `invalid` for anything else. */
export function parseBool(v: string | undefined): boolean | undefined | 'invalid' {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return 'invalid';
}

/** Parses a decimal; undefined for absent, NaN for invalid. */
export function parseDecimal(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}
