/** Tells SCORM 1.2 from 2004 and the 2004 edition, from schemaversion first, then from namespaces. */

import type { Element } from '@xmldom/xmldom';
import type { ScormEdition } from '../course-model';
import type { Reporter } from './report';
import { ADLCP12, ADLCP2004, ADLSEQ, CP12, IMSSS } from './scorm-namespaces';
import { childNs, elementChildren, textOf } from './xml';

const BY_SCHEMAVERSION: Record<string, ScormEdition> = {
  '1.2': '1.2',
  'cam1.3': '2004-2nd',
  '2004.2ndedition': '2004-2nd',
  '2004.3rdedition': '2004-3rd',
  '2004.4thedition': '2004-4th',
};

/** The detected format and edition of an imsmanifest.xml. */
export function detectScormEdition(root: Element, rep: Reporter): { format: 'scorm12' | 'scorm2004'; edition: ScormEdition } {
  const cp = [root.namespaceURI ?? null];
  const metadata = childNs(root, cp, 'metadata');
  const raw = metadata ? textOf(childNs(metadata, cp, 'schemaversion')) : undefined;
  const used = namespacesUsed(root);
  const looks12 = CP12.includes(root.namespaceURI ?? '') || ADLCP12.some((n) => used.has(n));
  const looks2004 = ADLCP2004.some((n) => used.has(n)) || IMSSS.some((n) => used.has(n));
  if (raw !== undefined && raw !== '') {
    const key = raw.toLowerCase().replace(/\s+/g, '').replace(/^2004/, '2004.');
    const edition = BY_SCHEMAVERSION[key] ?? BY_SCHEMAVERSION[raw.toLowerCase().replace(/\s+/g, '')];
    if (edition) {
      if (edition === '1.2' && looks2004 && !looks12) rep.warn('schema_mismatch', `<schemaversion>${raw}</schemaversion> says SCORM 1.2 but the manifest uses SCORM 2004 namespaces`, metadata);
      return { format: edition === '1.2' ? 'scorm12' : 'scorm2004', edition };
    }
    rep.warn('unknown_value', `<schemaversion>${raw}</schemaversion> is not a known SCORM version (1.2, CAM 1.3, 2004 3rd Edition, 2004 4th Edition); guessing from namespaces`, metadata);
  } else {
    rep.warn('missing_schemaversion', '<metadata><schemaversion> is missing; the SCORM version was guessed from the namespaces', '/manifest');
  }
  if (looks12 && !looks2004) return { format: 'scorm12', edition: '1.2' };
  return { format: 'scorm2004', edition: fourthEditionMarkers(root) ? '2004-4th' : '2004-3rd' };
}

function namespacesUsed(root: Element): Set<string> {
  const out = new Set<string>();
  const walk = (el: Element): void => {
    if (el.namespaceURI) out.add(el.namespaceURI);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (a?.namespaceURI) out.add(a.namespaceURI);
      // xmlns declarations count too: a manifest may declare adlcp without using it on elements.
      if (a && (a.name === 'xmlns' || a.name.startsWith('xmlns:'))) out.add(a.value);
    }
    for (const c of elementChildren(el)) walk(c);
  };
  walk(root);
  return out;
}

/** Elements that only 4th edition defines: adlcp:data, adlseq:objectives, attribute-form completionThreshold. */
function fourthEditionMarkers(root: Element): boolean {
  let found = false;
  const walk = (el: Element): void => {
    if (found) return;
    const ns = el.namespaceURI ?? '';
    if (ADLCP2004.includes(ns) && el.localName === 'data') found = true;
    if (ADLSEQ.includes(ns) && el.localName === 'objectives') found = true;
    if (ADLCP2004.includes(ns) && el.localName === 'completionThreshold' && (el.hasAttribute('minProgressMeasure') || el.hasAttribute('completedByMeasure') || el.hasAttribute('progressWeight'))) found = true;
    for (const c of elementChildren(el)) walk(c);
  };
  walk(root);
  return found;
}
