/** `<item>` trees of SCORM organizations, with the 1.2 and 2004 per-item extensions. */

import type { Element } from '@xmldom/xmldom';
import type { CompletionThreshold, DataMap, HideLmsUi, PackageFormat, ScormItem, TimeLimitAction } from '../course-model';
import { appendParameters, caseInsensitiveMatch, hasFile } from './paths';
import type { Reporter } from './report';
import { idAttr, idKey } from './scorm-ids';
import type { ResourceEntry } from './scorm-resources';
import { ADLCP, ADLNAV, IMSSS } from './scorm-namespaces';
import { effectiveSequencing, objectiveIds, readSequencing, type SequencingParts } from './scorm2004-sequencing';
import { attr, childNs, childrenNs, textOf } from './xml';

/** What item parsing needs from the rest of the manifest. */
export interface ItemContext {
  format: PackageFormat;
  cp: readonly (string | null)[];
  /** Resources by {@link idKey} of their identifier. */
  resources: Map<string, ResourceEntry>;
  /** sequencingCollection entries by {@link idKey} of their ID. */
  collection: Map<string, SequencingParts>;
  files: ReadonlySet<string>;
  /** Identifiers of organizations and items seen so far (duplicate detection). */
  seen: Set<string>;
  rep: Reporter;
}

const TIME_LIMIT_ACTIONS: readonly TimeLimitAction[] = ['exit,message', 'exit,no message', 'continue,message', 'continue,no message'];
const HIDE_TOKENS: readonly HideLmsUi[] = ['previous', 'continue', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll'];

/** Reads the `<item>` children of an organization or item. */
export function readItems(parent: Element, ctx: ItemContext): ScormItem[] {
  return childrenNs(parent, ctx.cp, 'item').flatMap((el) => {
    const item = readItem(el, ctx);
    return item ? [item] : [];
  });
}

function readItem(el: Element, ctx: ItemContext): ScormItem | undefined {
  const { rep } = ctx;
  const identifier = idAttr(el, 'identifier');
  if (!identifier) {
    rep.error('required_attribute_missing', '<item> has no identifier attribute', el);
    return undefined;
  }
  if (ctx.seen.has(identifier)) rep.warn('duplicate_identifier', `identifier "${identifier}" is used by more than one organization/item`, el);
  ctx.seen.add(identifier);
  const title = textOf(childNs(el, ctx.cp, 'title'));
  if (!title) rep.warn('required_element_missing', `<item identifier="${identifier}"> has no <title>; its identifier is shown instead`, el);
  const item: ScormItem = {
    identifier,
    title: title || identifier,
    isVisible: rep.bool(el, 'isvisible', attr(el, 'isvisible'), true),
    children: readItems(el, ctx),
  };
  const parameters = attr(el, 'parameters');
  if (parameters !== undefined && parameters !== '') item.parameters = parameters;

  const ref = idAttr(el, 'identifierref');
  if (ref !== undefined) {
    const entry = ctx.resources.get(idKey(ref));
    if (!entry) {
      rep.error('unresolved_reference', `<item identifier="${identifier}"> identifierref="${ref}" matches no resource`, el);
    } else if (item.children.length > 0) {
      rep.warn('cluster_with_resource', `<item identifier="${identifier}"> has child items and also references resource "${ref}"; the resource is not launched`, el);
      item.resourceIdentifier = entry.resource.identifier;
    } else {
      item.resourceIdentifier = entry.resource.identifier;
      item.scormType = entry.resource.scormType;
      if (!entry.launch) {
        if (!entry.resource.href) rep.error('required_attribute_missing', `<resource identifier="${ref}"> launched by item "${identifier}" has no href`, entry.element);
      } else {
        item.launchUrl = appendParameters(entry.launch.url, parameters);
        if (!entry.launch.external && entry.launch.path !== undefined && !hasFile(ctx.files, entry.launch.path)) {
          const near = caseInsensitiveMatch(ctx.files, entry.launch.path);
          rep.error('launch_file_missing', `launch file ${entry.launch.path} of resource "${ref}" (item "${identifier}") is not in the package${near ? `; found ${near}, which differs in letter case` : ''}`, entry.element);
        }
      }
    }
  } else if (item.children.length === 0 && ctx.format === 'scorm2004') {
    rep.warn('leaf_without_resource', `<item identifier="${identifier}"> has neither child items nor an identifierref; it cannot be launched`, el);
  }

  if (ctx.format === 'scorm12') read12(el, item, rep);
  else read2004(el, item, ctx);
  return item;
}

function timeLimitAction(el: Element | undefined, rep: Reporter): TimeLimitAction | undefined {
  const raw = textOf(el);
  if (!el || raw === undefined || raw === '') return undefined;
  const norm = raw.toLowerCase().replace(/\s*,\s*/, ',').replace(/\s+/g, ' ');
  if ((TIME_LIMIT_ACTIONS as readonly string[]).includes(norm)) return norm as TimeLimitAction;
  rep.warn('unknown_value', `<${el.localName}>${raw}</${el.localName}> is not one of ${TIME_LIMIT_ACTIONS.join(' | ')}; ignored`, el);
  return undefined;
}

function read12(el: Element, item: ScormItem, rep: Reporter): void {
  const prerequisites = textOf(childNs(el, ADLCP, 'prerequisites'));
  if (prerequisites) item.prerequisites = prerequisites;
  const ms = childNs(el, ADLCP, 'masteryscore');
  const mastery = ms ? rep.decimal(ms, 'value', textOf(ms), 0, 100) : undefined;
  if (mastery !== undefined) item.masteryScore = mastery;
  const mta = textOf(childNs(el, ADLCP, 'maxtimeallowed'));
  if (mta) item.maxTimeAllowed = mta;
  const tla = timeLimitAction(childNs(el, ADLCP, 'timelimitaction'), rep);
  if (tla) item.timeLimitAction = tla;
  const dfl = childNs(el, ADLCP, 'datafromlms');
  if (dfl && (dfl.textContent ?? '') !== '') item.dataFromLms = dfl.textContent ?? '';
}

function read2004(el: Element, item: ScormItem, ctx: ItemContext): void {
  const { rep } = ctx;
  const ct = childNs(el, ADLCP, 'completionThreshold');
  if (ct) {
    const threshold = readCompletionThreshold(ct, rep);
    if (threshold) item.completionThreshold = threshold;
  }
  const tla = timeLimitAction(childNs(el, ADLCP, 'timeLimitAction'), rep);
  if (tla) item.timeLimitAction = tla;
  const dfl = childNs(el, ADLCP, 'dataFromLMS');
  if (dfl && (dfl.textContent ?? '') !== '') item.dataFromLms = dfl.textContent ?? '';
  item.sequencing = sequencingOf(el, ctx);
  const hide = readHideLmsUi(el, rep);
  if (hide.length > 0) item.hideLmsUi = hide;
  const data = childNs(el, ADLCP, 'data');
  if (data) item.dataMaps = readDataMaps(data, rep);
}

/** Effective sequencing of an organization or item: its own `<imsss:sequencing>` merged with its IDRef target. */
export function sequencingOf(el: Element, ctx: ItemContext): NonNullable<ScormItem['sequencing']> {
  const seqEl = childNs(el, IMSSS, 'sequencing');
  const own = seqEl ? readSequencing(seqEl, ctx.rep) : undefined;
  let collection: SequencingParts | undefined;
  if (own?.idRef !== undefined) {
    collection = ctx.collection.get(idKey(own.idRef));
    if (!collection) ctx.rep.error('unresolved_reference', `<imsss:sequencing IDRef="${own.idRef}"> matches no sequencing in <imsss:sequencingCollection>`, seqEl);
  }
  // 4th edition objective maps are checked against the item's objectives merged with its collection's.
  const seq = effectiveSequencing(own, collection, (a) => {
    ctx.rep.error('unresolved_reference', `<adlseq:objective objectiveID="${a.objectiveId}"> matches no imsss objective of activity "${attr(el, 'identifier')?.trim() ?? ''}"${collection ? ' or of its sequencing collection' : ''}`, a.element);
  });
  const ids = objectiveIds(seq);
  const rules = [...seq.sequencingRules.preCondition, ...seq.sequencingRules.exitCondition, ...seq.sequencingRules.postCondition];
  for (const r of rules) {
    for (const c of r.conditions) {
      if (c.referencedObjective !== undefined && !ids.has(c.referencedObjective)) {
        ctx.rep.error('unresolved_reference', `<imsss:ruleCondition referencedObjective="${c.referencedObjective}"> names no objective of activity "${attr(el, 'identifier') ?? ''}"`, seqEl ?? el);
      }
    }
  }
  return seq;
}

/** `adlcp:completionThreshold`: 3rd edition text value or 4th edition attributes. */
export function readCompletionThreshold(ct: Element, rep: Reporter): CompletionThreshold | undefined {
  const text = textOf(ct);
  const hasAttrs = ['completedByMeasure', 'minProgressMeasure', 'progressWeight'].some((a) => ct.hasAttribute(a));
  if (!hasAttrs) {
    if (!text) return undefined;
    const v = rep.decimal(ct, 'value', text, 0, 1);
    return v === undefined ? undefined : { completedByMeasure: true, minProgressMeasure: v, progressWeight: 1 };
  }
  return {
    completedByMeasure: rep.bool(ct, 'completedByMeasure', attr(ct, 'completedByMeasure'), false),
    minProgressMeasure: rep.decimal(ct, 'minProgressMeasure', attr(ct, 'minProgressMeasure'), 0, 1, 1) ?? 1,
    progressWeight: rep.decimal(ct, 'progressWeight', attr(ct, 'progressWeight'), 0, 1, 1) ?? 1,
  };
}

function readHideLmsUi(el: Element, rep: Reporter): HideLmsUi[] {
  const pres = childNs(el, ADLNAV, 'presentation');
  const nav = pres ? childNs(pres, ADLNAV, 'navigationInterface') : undefined;
  if (!nav) return [];
  const out: HideLmsUi[] = [];
  for (const h of childrenNs(nav, ADLNAV, 'hideLMSUI')) {
    const t = rep.token(h, 'value', textOf(h), HIDE_TOKENS);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

function readDataMaps(data: Element, rep: Reporter): DataMap[] {
  return childrenNs(data, ADLCP, 'map').flatMap((m) => {
    const targetId = idAttr(m, 'targetID');
    if (!targetId) {
      rep.error('required_attribute_missing', '<adlcp:map> has no targetID', m);
      return [];
    }
    return [{
      targetId,
      readSharedData: rep.bool(m, 'readSharedData', attr(m, 'readSharedData'), true),
      writeSharedData: rep.bool(m, 'writeSharedData', attr(m, 'writeSharedData'), false),
    }];
  });
}
