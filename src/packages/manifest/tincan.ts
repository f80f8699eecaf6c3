/** tincan.xml (xAPI packages as described by Rustici's TinCan launch convention) → {@link TinCanCourseModel}. */

import type { Element } from '@xmldom/xmldom';
import { COURSE_MODEL_VERSION, type TinCanActivity, type TinCanCourseModel } from '../course-model';
import { langMapOf, pickLang, pickText } from './lang-map';
import { refuseLaunchScheme } from './launch-url';
import { caseInsensitiveMatch, hasFile, isAbsoluteIri, resolveRef, urlOf } from './paths';
import type { Reporter } from './report';
import { attr, childNs, childrenNs } from './xml';

/** Parses a well-formed tincan.xml; returns undefined when it has nothing to launch. */
export function parseTinCanManifest(root: Element, manifestPath: string, files: ReadonlySet<string>, rep: Reporter): TinCanCourseModel | undefined {
  // Match children in the root's namespace, whatever it is: real packages use several spellings or none.
  const ns = [root.namespaceURI ?? null];
  if (root.localName !== 'tincan') {
    rep.error('required_element_missing', `root element of ${manifestPath} is <${root.localName}>, not <tincan>`, '/');
    return undefined;
  }
  const activitiesEl = childNs(root, ns, 'activities');
  if (!activitiesEl) {
    rep.error('required_element_missing', '<tincan> has no <activities> element', root);
    return undefined;
  }
  const seen = new Set<string>();
  const activities: TinCanActivity[] = [];
  for (const el of childrenNs(activitiesEl, ns, 'activity')) {
    const id = attr(el, 'id');
    if (!id) {
      rep.error('required_attribute_missing', '<activity> has no id attribute', el);
      continue;
    }
    if (!isAbsoluteIri(id)) rep.warn('invalid_iri', `<activity> id="${id}" is not an absolute IRI`, el);
    if (seen.has(id)) rep.warn('duplicate_identifier', `activity id "${id}" is used more than once`, el);
    seen.add(id);
    const activity: TinCanActivity = { id, name: langMapOf(childrenNs(el, ns, 'name')), description: langMapOf(childrenNs(el, ns, 'description')) };
    const type = attr(el, 'type');
    if (type !== undefined && type !== '') {
      if (!isAbsoluteIri(type)) rep.warn('invalid_iri', `<activity id="${id}"> type="${type}" is not an absolute IRI`, el);
      activity.type = type;
    }
    const launchEl = childNs(el, ns, 'launch');
    const launchText = launchEl?.textContent?.trim();
    if (launchEl && launchText) {
      const r = resolveRef('', launchText);
      if (r.kind === 'escape') rep.error('href_outside_package', `<launch>${launchText}</launch> of activity "${id}" points outside the package`, launchEl);
      else if (!refuseLaunchScheme(rep, `<launch> of activity "${id}"`, launchEl, launchText, urlOf(r))) {
        activity.launch = urlOf(r);
        if (r.kind === 'package' && !hasFile(files, r.path)) {
          const near = caseInsensitiveMatch(files, r.path);
          rep.error('launch_file_missing', `launch file ${r.path} of activity "${id}" is not in the package${near ? `; found ${near}, which differs in letter case` : ''}`, launchEl);
        }
      }
      const lang = attr(launchEl, 'lang');
      if (lang) activity.launchLang = lang;
    }
    activities.push(activity);
  }
  const main = activities.find((a) => a.launch !== undefined);
  if (!main) {
    rep.error('no_launchable_item', 'no <activity> in tincan.xml has a <launch> element', activitiesEl);
    return undefined;
  }
  const model: TinCanCourseModel = {
    modelVersion: COURSE_MODEL_VERSION,
    format: 'tincan',
    manifestPath,
    title: pickText(main.name) ?? main.id,
    launchables: activities
      .filter((a) => a.launch !== undefined)
      .map((a) => ({ id: a.id, title: pickText(a.name) ?? a.id, kind: 'activity' as const, launchUrl: a.launch!, external: /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(a.launch!) })),
    activities,
    mainActivityId: main.id,
  };
  const description = pickText(main.description);
  if (description) model.description = description;
  const language = pickLang(main.name) ?? main.launchLang;
  if (language) model.language = language;
  return model;
}
