/**
 * cmi5.xml (course structure, cmi5 spec §13) → {@link Cmi5CourseModel}.
 * Defaults from the spec: moveOn NotApplicable, launchMethod AnyWindow; masteryScore is a decimal 0–1;
 * an AU url is absolute or relative to the course structure file (here, the package root).
 */

import type { Element } from '@xmldom/xmldom';
import {
  COURSE_MODEL_VERSION,
  type Cmi5Au,
  type Cmi5Block,
  type Cmi5CourseModel,
  type Cmi5MoveOn,
  type Cmi5Node,
  type Cmi5Objective,
  type Launchable,
} from '../course-model';
import { checkCmi5Schema } from './cmi5-schema';
import { auUrlProblems } from './cmi5-url';
import { langStrings, pickLang, pickText } from './lang-map';
import { refuseLaunchScheme } from './launch-url';
import { caseInsensitiveMatch, hasFile, isAbsoluteIri, resolveRef, urlOf } from './paths';
import type { Reporter } from './report';
import { attr, childNs, childrenNs, elementChildren, textOf } from './xml';

const MOVE_ON: readonly Cmi5MoveOn[] = ['Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable'];

interface Ctx {
  ns: readonly (string | null)[];
  files: ReadonlySet<string>;
  /** A course structure uploaded without a zip (cmi5 14.2): no files, absolute URLs only. */
  bare: boolean;
  rep: Reporter;
  /** Ids seen so far, with the element kind that used each (course, block, au, objective). */
  seen: Map<string, string>;
  objectiveIds: Set<string>;
  launchables: Launchable[];
}

/** Options of {@link parseCmi5Manifest}. */
export interface Cmi5ParseOptions {
  /** The structure came without a zip package (cmi5 14.2): every AU URL must be fully qualified. */
  readonly bare?: boolean;
}

/** Parses a well-formed cmi5.xml; returns undefined when it has no course or no AU. */
export function parseCmi5Manifest(root: Element, manifestPath: string, files: ReadonlySet<string>, rep: Reporter, options: Cmi5ParseOptions = {}): Cmi5CourseModel | undefined {
  const ns = [root.namespaceURI ?? null];
  if (root.localName !== 'courseStructure') {
    rep.error('required_element_missing', `root element of ${manifestPath} is <${root.localName}>, not <courseStructure>`, '/');
    return undefined;
  }
  const courseEl = childNs(root, ns, 'course');
  if (!courseEl) {
    rep.error('required_element_missing', '<courseStructure> has no <course> element', root);
    return undefined;
  }
  checkCmi5Schema(root, ns, rep);
  const ctx: Ctx = { ns, files, bare: options.bare ?? false, rep, seen: new Map(), objectiveIds: new Set(), launchables: [] };
  const courseId = checkedId(courseEl, ctx) ?? '';
  const title = langStrings(childNs(courseEl, ns, 'title'));
  if (Object.keys(title).length === 0) rep.error('required_element_missing', '<course> has no <title><langstring>', courseEl);
  const description = langStrings(childNs(courseEl, ns, 'description'));
  if (Object.keys(description).length === 0) rep.warn('required_element_missing', '<course> has no <description><langstring>', courseEl);

  const objectives: Cmi5Objective[] = [];
  const objectivesEl = childNs(root, ns, 'objectives');
  for (const o of objectivesEl ? childrenNs(objectivesEl, ns, 'objective') : []) {
    const id = checkedId(o, ctx);
    if (id === undefined) continue;
    ctx.objectiveIds.add(id);
    objectives.push({ id, title: langStrings(childNs(o, ns, 'title')), description: langStrings(childNs(o, ns, 'description')) });
  }

  const children = readNodes(root, ctx);
  if (ctx.launchables.length === 0) {
    rep.error('no_launchable_item', 'cmi5.xml has no <au>', root);
    return undefined;
  }
  const model: Cmi5CourseModel = {
    modelVersion: COURSE_MODEL_VERSION,
    format: 'cmi5',
    manifestPath,
    title: pickText(title) ?? courseId,
    launchables: ctx.launchables,
    course: { id: courseId, title, description },
    objectives,
    children,
  };
  const desc = pickText(description);
  if (desc) model.description = desc;
  const lang = pickLang(title);
  if (lang) model.language = lang;
  return model;
}

/** Blocks and AUs directly under `parent`, in document order. */
function readNodes(parent: Element, ctx: Ctx): Cmi5Node[] {
  const out: Cmi5Node[] = [];
  for (const el of elementChildren(parent)) {
    if (!ctx.ns.includes(el.namespaceURI ?? null)) continue;
    if (el.localName === 'au') {
      const au = readAu(el, ctx);
      if (au) out.push(au);
    } else if (el.localName === 'block') {
      const block = readBlock(el, ctx);
      if (block) out.push(block);
    }
  }
  return out;
}

function readBlock(el: Element, ctx: Ctx): Cmi5Block | undefined {
  const id = checkedId(el, ctx);
  if (id === undefined) return undefined;
  const block: Cmi5Block = { kind: 'block', id, ...texts(el, ctx), objectives: objectiveRefs(el, ctx), children: readNodes(el, ctx) };
  if (block.children.length === 0) ctx.rep.warn('empty_block', `<block id="${id}"> contains no AU or block`, el);
  return block;
}

function readAu(el: Element, ctx: Ctx): Cmi5Au | undefined {
  const { rep } = ctx;
  const id = checkedId(el, ctx);
  if (id === undefined) return undefined;
  const urlEl = childNs(el, ctx.ns, 'url');
  const rawUrl = textOf(urlEl);
  if (!urlEl || !rawUrl) {
    rep.error('required_element_missing', `<au id="${id}"> has no <url>`, el);
    return undefined;
  }
  for (const problem of auUrlProblems(rawUrl, id, ctx.bare)) rep.error(problem.code, problem.message, urlEl);
  const r = resolveRef('', rawUrl);
  if (r.kind === 'escape') {
    if (!ctx.bare) rep.error('href_outside_package', `<url>${rawUrl}</url> of AU "${id}" points outside the package`, urlEl);
    return undefined;
  }
  if (refuseLaunchScheme(rep, `<url> of AU "${id}"`, urlEl, rawUrl, urlOf(r))) return undefined;
  if (r.kind === 'package' && !ctx.bare && !hasFile(ctx.files, r.path)) {
    const near = caseInsensitiveMatch(ctx.files, r.path);
    rep.error('launch_file_missing', `launch file ${r.path} of AU "${id}" is not in the package${near ? `; found ${near}, which differs in letter case` : ''}`, urlEl);
  }
  const au: Cmi5Au = {
    kind: 'au',
    id,
    ...texts(el, ctx),
    objectives: objectiveRefs(el, ctx),
    url: urlOf(r),
    moveOn: rep.token(el, 'moveOn', attr(el, 'moveOn'), MOVE_ON, 'NotApplicable'),
    launchMethod: rep.token(el, 'launchMethod', attr(el, 'launchMethod'), ['AnyWindow', 'OwnWindow'] as const, 'AnyWindow'),
  };
  const mastery = rep.decimal(el, 'masteryScore', attr(el, 'masteryScore'), 0, 1);
  if (mastery !== undefined) au.masteryScore = mastery;
  const lp = childNs(el, ctx.ns, 'launchParameters');
  // cmi5 13.1: leading and trailing white space is removed on import (CDATA and indented text carry it).
  const lpText = (lp?.textContent ?? '').trim();
  if (lpText !== '') au.launchParameters = lpText;
  const ek = textOf(childNs(el, ctx.ns, 'entitlementKey'));
  if (ek) au.entitlementKey = ek;
  const at = attr(el, 'activityType');
  if (at) {
    if (!isAbsoluteIri(at)) rep.warn('invalid_iri', `<au id="${id}"> activityType="${at}" is not an absolute IRI`, el);
    au.activityType = at;
  }
  ctx.launchables.push({ id, title: pickText(au.title) ?? id, kind: 'au', launchUrl: au.url, external: r.kind === 'external' });
  return au;
}

function texts(el: Element, ctx: Ctx): { title: Cmi5Au['title']; description: Cmi5Au['description'] } {
  const title = langStrings(childNs(el, ctx.ns, 'title'));
  if (Object.keys(title).length === 0) ctx.rep.error('required_element_missing', `<${el.localName} id="${attr(el, 'id') ?? ''}"> has no <title><langstring>`, el);
  const description = langStrings(childNs(el, ctx.ns, 'description'));
  if (Object.keys(description).length === 0) ctx.rep.warn('required_element_missing', `<${el.localName} id="${attr(el, 'id') ?? ''}"> has no <description><langstring>`, el);
  return { title, description };
}

function objectiveRefs(el: Element, ctx: Ctx): string[] {
  const holder = childNs(el, ctx.ns, 'objectives');
  if (!holder) return [];
  // The XSD's element is <objective idref>; <objectiveReference idref> is read as well (earlier drafts wrote it).
  return elementChildren(holder).filter((c) => ctx.ns.includes(c.namespaceURI ?? null) && (c.localName === 'objective' || c.localName === 'objectiveReference')).flatMap((ref) => {
    const idref = attr(ref, 'idref')?.trim();
    if (!idref) {
      ctx.rep.error('required_attribute_missing', '<objectiveReference> has no idref', ref);
      return [];
    }
    if (!ctx.objectiveIds.has(idref)) {
      ctx.rep.error('unresolved_reference', `<${ref.localName} idref="${idref}"> of ${el.localName} "${attr(el, 'id') ?? ''}" matches no course <objective>`, ref);
    }
    return [idref];
  });
}

/**
 * The element's `id`, trimmed (cmi5 13.1: leading/trailing whitespace is removed on import):
 * required; an absolute IRI (cmi5 3.0: ids are fully qualified IRIs, not references; ADL test 201);
 * unique among the elements of its kind (13.1.2-13.1.4; test 205). The same id on elements of two
 * kinds (a course and its only AU, as some tools write) is a warning: LearnHQ derives its own ids
 * per kind, so nothing clashes.
 */
function checkedId(el: Element, ctx: Ctx): string | undefined {
  const id = attr(el, 'id')?.trim();
  const kind = el.localName ?? '';
  if (!id) {
    ctx.rep.error('required_attribute_missing', `<${kind}> has no id attribute`, el);
    return undefined;
  }
  if (!isAbsoluteIri(id)) ctx.rep.error('invalid_iri', `<${kind}> id="${id}" is not an absolute IRI (cmi5 3.0: ids are fully qualified IRIs)`, el);
  const before = ctx.seen.get(id);
  if (before === kind) ctx.rep.error('duplicate_identifier', `id "${id}" is used by more than one <${kind}> (cmi5 13.1: ids are unique in a course structure)`, el);
  else if (before !== undefined) ctx.rep.warn('duplicate_identifier', `id "${id}" is used by a <${before}> and a <${kind}>`, el);
  else ctx.seen.set(id, kind);
  return id;
}
