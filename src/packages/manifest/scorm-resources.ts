/** `<resources>` of a SCORM manifest: identifiers, types, resolved hrefs and files. */

import type { Element } from '@xmldom/xmldom';
import type { ScormResource } from '../course-model';
import { refuseLaunchScheme } from './launch-url';
import { caseInsensitiveMatch, hasFile, joinBase, resolveRef, urlOf } from './paths';
import type { Reporter } from './report';
import { idAttr, idKey } from './scorm-ids';
import { ADLCP } from './scorm-namespaces';
import { attr, attrNs, childrenNs, xmlBase } from './xml';

/** A parsed resource plus what launch resolution needs. */
export interface ResourceEntry {
  resource: ScormResource;
  element: Element;
  /** Resolved href, absent when the resource has none or it escapes the package. */
  launch?: { url: string; external: boolean; path?: string };
}

/** Reads every `<resource>` into a map by {@link idKey} of its identifier; reports escapes, missing files and dangling dependencies. */
export function readResources(resourcesEl: Element, cp: readonly (string | null)[], manifestBase: string, files: ReadonlySet<string>, rep: Reporter): Map<string, ResourceEntry> {
  const out = new Map<string, ResourceEntry>();
  const resourcesBase = joinBase(manifestBase, xmlBase(resourcesEl));
  if (resourcesBase === 'escape') rep.error('href_outside_package', '<resources> xml:base points outside the package', resourcesEl);
  const base0 = resourcesBase === 'escape' ? manifestBase : resourcesBase;
  for (const el of childrenNs(resourcesEl, cp, 'resource')) {
    const identifier = idAttr(el, 'identifier');
    if (!identifier) {
      rep.error('required_attribute_missing', '<resource> has no identifier attribute', el);
      continue;
    }
    if (out.has(idKey(identifier))) {
      rep.warn('duplicate_identifier', `resource identifier "${identifier}" is used more than once; the first one is used`, el);
      continue;
    }
    const type = attr(el, 'type');
    if (!type) rep.warn('required_attribute_missing', `<resource identifier="${identifier}"> has no type attribute (expected webcontent)`, el);
    const rawScormType = attrNs(el, ADLCP, 'scormType', true);
    let scormType: 'sco' | 'asset' = 'sco';
    if (rawScormType === undefined) {
      // A SCO launched as an asset would lose all tracking; an asset launched as a SCO merely never calls the API.
      rep.warn('required_attribute_missing', `<resource identifier="${identifier}"> has no adlcp:scormType; treated as sco`, el);
    } else if (rawScormType.trim().toLowerCase() === 'asset' || rawScormType.trim().toLowerCase() === 'sco') {
      scormType = rawScormType.trim().toLowerCase() as 'sco' | 'asset';
    } else {
      rep.warn('unknown_value', `<resource identifier="${identifier}"> adlcp:scormType="${rawScormType}" is not sco or asset; treated as sco`, el);
    }
    const ownBase = joinBase(base0, xmlBase(el));
    if (ownBase === 'escape') rep.error('href_outside_package', `<resource identifier="${identifier}"> xml:base points outside the package`, el);
    const base = ownBase === 'escape' ? base0 : ownBase;
    const resource: ScormResource = { identifier, type: type ?? '', scormType, files: [], dependencies: [] };
    const entry: ResourceEntry = { resource, element: el };
    const href = attr(el, 'href');
    if (href !== undefined && href.trim() !== '') {
      const r = resolveRef(base, href);
      if (r.kind === 'escape') rep.error('href_outside_package', `<resource identifier="${identifier}"> href="${href}" points outside the package`, el);
      else if (!refuseLaunchScheme(rep, `<resource identifier="${identifier}"> href`, el, href, urlOf(r))) {
        resource.href = urlOf(r);
        entry.launch = r.kind === 'external' ? { url: r.url, external: true } : { url: urlOf(r), external: false, path: r.path };
      }
    }
    for (const f of childrenNs(el, cp, 'file')) {
      const fh = attr(f, 'href');
      if (!fh) {
        rep.warn('required_attribute_missing', `<file> of resource "${identifier}" has no href`, f);
        continue;
      }
      const r = resolveRef(base, fh);
      if (r.kind === 'escape') {
        rep.error('href_outside_package', `<file href="${fh}"> of resource "${identifier}" points outside the package`, f);
        continue;
      }
      resource.files.push(urlOf(r));
      if (r.kind === 'package' && !hasFile(files, r.path)) {
        const near = caseInsensitiveMatch(files, r.path);
        rep.warn('file_missing', `<file href="${fh}"> of resource "${identifier}" is not in the package${near ? ` (found ${near}, which differs in letter case)` : ''}`, f);
      }
    }
    for (const d of childrenNs(el, cp, 'dependency')) {
      const ref = idAttr(d, 'identifierref');
      if (ref) resource.dependencies.push(ref);
      else rep.warn('required_attribute_missing', `<dependency> of resource "${identifier}" has no identifierref`, d);
    }
    out.set(idKey(identifier), entry);
  }
  for (const { resource, element } of out.values()) {
    for (const dep of resource.dependencies) {
      if (!out.has(idKey(dep))) rep.error('unresolved_reference', `<dependency identifierref="${dep}"> of resource "${resource.identifier}" matches no resource`, element);
    }
  }
  return out;
}
