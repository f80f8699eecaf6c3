/** imsmanifest.xml (SCORM 1.2 and 2004) → {@link ScormCourseModel}. */

import type { Element } from '@xmldom/xmldom';
import { COURSE_MODEL_VERSION, type Launchable, type ScormCourseModel, type ScormItem, type ScormOrganization, type Sequencing } from '../course-model';
import { joinBase } from './paths';
import type { Reporter } from './report';
import { detectScormEdition } from './scorm-edition';
import { idAttr, idKey } from './scorm-ids';
import { readCompletionThreshold, readItems, sequencingOf, type ItemContext } from './scorm-items';
import { ADLCP, ADLSEQ, IMSSS } from './scorm-namespaces';
import { readResources } from './scorm-resources';
import { effectiveSequencing, readSequencing, type SequencingParts } from './scorm2004-sequencing';
import { attr, attrNs, childNs, childrenNs, elementChildren, textOf, xmlBase } from './xml';

/** Parses a well-formed imsmanifest.xml; returns undefined when it is too broken to model. */
export function parseScormManifest(root: Element, manifestPath: string, files: ReadonlySet<string>, rep: Reporter): ScormCourseModel | undefined {
  if (root.localName !== 'manifest') {
    rep.error('required_element_missing', `root element of ${manifestPath} is <${root.localName}>, not <manifest>`, '/');
    return undefined;
  }
  const { format, edition } = detectScormEdition(root, rep);
  const cp = [root.namespaceURI ?? null];
  const identifier = idAttr(root, 'identifier');
  if (!identifier) rep.warn('required_attribute_missing', '<manifest> has no identifier attribute', root);

  const manifestBase = joinBase('', xmlBase(root));
  if (manifestBase === 'escape') rep.error('href_outside_package', '<manifest> xml:base points outside the package', root);
  const resourcesEl = childNs(root, cp, 'resources');
  if (!resourcesEl) rep.error('required_element_missing', '<manifest> has no <resources> element', root);
  const resources = resourcesEl ? readResources(resourcesEl, cp, manifestBase === 'escape' ? '' : manifestBase, files, rep) : new Map();

  const collection = new Map<string, SequencingParts>();
  const collectionEl = format === 'scorm2004' ? childNs(root, IMSSS, 'sequencingCollection') : undefined;
  if (collectionEl) {
    for (const s of childrenNs(collectionEl, IMSSS, 'sequencing')) {
      const parts = readSequencing(s, rep);
      if (!parts.id) rep.error('required_attribute_missing', '<imsss:sequencing> in <imsss:sequencingCollection> has no ID', s);
      else if (collection.has(idKey(parts.id))) rep.warn('duplicate_identifier', `sequencingCollection ID "${parts.id}" is used more than once; the first one is used`, s);
      else collection.set(idKey(parts.id), parts);
    }
  }

  const ctx: ItemContext = { format, cp, resources, collection, files, seen: new Set(), rep };
  const orgsEl = childNs(root, cp, 'organizations');
  if (!orgsEl) {
    rep.error('required_element_missing', '<manifest> has no <organizations> element', root);
    return undefined;
  }
  const organizations = childrenNs(orgsEl, cp, 'organization').flatMap((o) => {
    const org = readOrganization(o, ctx);
    return org ? [org] : [];
  });
  const first = organizations[0];
  if (!first) {
    rep.error('required_element_missing', '<organizations> has no <organization>', orgsEl);
    return undefined;
  }
  const wanted = idAttr(orgsEl, 'default');
  let defaultOrg = first;
  if (wanted !== undefined) {
    const found = organizations.find((o) => idKey(o.identifier) === idKey(wanted));
    if (!found) rep.error('unresolved_reference', `<organizations default="${wanted}"> matches no organization`, orgsEl);
    else defaultOrg = found;
  } else if (format === 'scorm2004') {
    rep.warn('required_attribute_missing', `<organizations> has no default attribute; using the first organization "${first.identifier}"`, orgsEl);
  }

  const launchables = collectLaunchables(defaultOrg.items);
  if (launchables.length === 0) {
    rep.error('no_launchable_item', `organization "${defaultOrg.identifier}" has no item that launches a resource with an href`, orgsEl);
  }

  const lom = findLom(root, cp);
  const model: ScormCourseModel = {
    modelVersion: COURSE_MODEL_VERSION,
    format,
    edition,
    manifestPath,
    identifier: identifier ?? '',
    title: defaultOrg.title || lom.title || identifier || manifestPath,
    launchables,
    defaultOrganization: defaultOrg.identifier,
    organizations,
    resources: [...resources.values()].map((r) => r.resource),
  };
  const version = attr(root, 'version');
  if (version) model.version = version;
  if (lom.description) model.description = lom.description;
  if (lom.language) model.language = lom.language;
  if (collection.size > 0) {
    const coll: Record<string, Sequencing> = {};
    for (const parts of collection.values()) coll[parts.id ?? ''] = effectiveSequencing(parts, undefined);
    model.sequencingCollection = coll;
  }
  return model;
}

function readOrganization(el: Element, ctx: ItemContext): ScormOrganization | undefined {
  const { rep } = ctx;
  const identifier = idAttr(el, 'identifier');
  if (!identifier) {
    rep.error('required_attribute_missing', '<organization> has no identifier attribute', el);
    return undefined;
  }
  if (ctx.seen.has(identifier)) rep.warn('duplicate_identifier', `identifier "${identifier}" is used by more than one organization/item`, el);
  ctx.seen.add(identifier);
  const title = textOf(childNs(el, ctx.cp, 'title'));
  if (!title) rep.warn('required_element_missing', `<organization identifier="${identifier}"> has no <title>`, el);
  const items = readItems(el, ctx);
  if (items.length === 0) rep.error('required_element_missing', `<organization identifier="${identifier}"> has no <item>`, el);
  const org: ScormOrganization = { identifier, title: title || identifier, items };
  if (ctx.format === 'scorm2004') {
    org.objectivesGlobalToSystem = rep.bool(el, 'adlseq:objectivesGlobalToSystem', attrNs(el, ADLSEQ, 'objectivesGlobalToSystem'), true);
    org.sharedDataGlobalToSystem = rep.bool(el, 'adlcp:sharedDataGlobalToSystem', attrNs(el, ADLCP, 'sharedDataGlobalToSystem'), true);
    org.sequencing = sequencingOf(el, ctx);
    const ct = childNs(el, ADLCP, 'completionThreshold');
    const threshold = ct ? readCompletionThreshold(ct, rep) : undefined;
    if (threshold) org.completionThreshold = threshold;
  }
  return org;
}

function collectLaunchables(items: ScormItem[]): Launchable[] {
  const out: Launchable[] = [];
  const walk = (list: ScormItem[]): void => {
    for (const it of list) {
      if (it.launchUrl !== undefined && it.children.length === 0) {
        out.push({ id: it.identifier, title: it.title, kind: it.scormType ?? 'sco', launchUrl: it.launchUrl, external: /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(it.launchUrl) });
      }
      walk(it.children);
    }
  };
  walk(items);
  return out;
}

/** Inline LOM metadata (1.2 imsmd or 2004 LOM, matched by local name): title, description, language. */
function findLom(root: Element, cp: readonly (string | null)[]): { title?: string; description?: string; language?: string } {
  const metadata = childNs(root, cp, 'metadata');
  const lom = metadata ? elementChildren(metadata).find((e) => e.localName === 'lom') : undefined;
  const general = lom ? elementChildren(lom).find((e) => e.localName === 'general') : undefined;
  if (!general) return {};
  const str = (name: string): string | undefined => {
    const holder = elementChildren(general).find((e) => e.localName === name);
    if (!holder) return undefined;
    const s = elementChildren(holder).find((e) => e.localName === 'string' || e.localName === 'langstring');
    return textOf(s ?? holder) || undefined;
  };
  const out: { title?: string; description?: string; language?: string } = {};
  const title = str('title');
  const description = str('description');
  const language = textOf(elementChildren(general).find((e) => e.localName === 'language'));
  if (title) out.title = title;
  if (description) out.description = description;
  if (language) out.language = language;
  return out;
}
