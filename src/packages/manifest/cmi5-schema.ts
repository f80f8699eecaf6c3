/**
 * The element order of a cmi5 course structure (cmi5 13.2, CourseStructure.xsd): the XSD declares
 * sequences, so a structure whose elements come in another order (say an AU's <url> before its
 * <title>) does not conform and is refused (ADL's LMS test 207, requirement 13.2.0.0-1). Elements
 * of other namespaces are the XSD's `anyElement` (##other) extension point and are skipped.
 * Missing required elements are reported by the parser itself, with better words; this checks
 * only order and unknown cmi5 elements.
 */
import type { Element } from '@xmldom/xmldom';
import type { Reporter } from './report';
import { elementChildren } from './xml';

/** One step of a sequence: element names allowed at that position, and whether it repeats or may be absent. */
interface Step {
  readonly names: readonly string[];
  readonly min: 0 | 1;
  readonly many: boolean;
}

const one = (...names: string[]): Step => ({ names, min: 1, many: false });
const optional = (...names: string[]): Step => ({ names, min: 0, many: false });
const some = (...names: string[]): Step => ({ names, min: 1, many: true });

/** The content models of CourseStructure.xsd, by element local name. */
const SEQUENCES: Readonly<Record<string, readonly Step[]>> = {
  courseStructure: [one('course'), optional('objectives'), some('au', 'block')],
  course: [one('title'), one('description')],
  block: [one('title'), one('description'), optional('objectives'), some('au', 'block')],
  au: [one('title'), one('description'), optional('objectives'), one('url'), optional('launchParameters'), optional('entitlementKey')],
  title: [some('langstring')],
  description: [some('langstring')],
};

/**
 * Matches `children` against `steps` in order. Returns the first child that does not fit (an
 * unknown element, or one that comes after a later step's element), undefined when they fit.
 * Too few children is not reported here (the parser names what is missing).
 */
function firstMisplaced(children: readonly Element[], steps: readonly Step[]): Element | undefined {
  let s = 0;
  let usedInStep = 0;
  for (const c of children) {
    const name = c.localName ?? '';
    while (s < steps.length && !steps[s]!.names.includes(name)) {
      s++;
      usedInStep = 0;
    }
    const step = steps[s];
    if (!step) return c;
    if (usedInStep > 0 && !step.many) return c;
    usedInStep++;
  }
  return undefined;
}

function allowedAt(steps: readonly Step[]): string {
  return steps.map((st) => `<${st.names.join('|')}>${st.many ? (st.min ? '+' : '*') : st.min ? '' : '?'}`).join(', ');
}

/** The course structure's objectives (each with a title and a description, in any order) and AU/block objective references. */
function checkObjectives(el: Element, ns: readonly (string | null)[], referenceList: boolean, rep: Reporter): void {
  for (const c of elementChildren(el).filter((x) => ns.includes(x.namespaceURI ?? null))) {
    const ok = c.localName === 'objective' || (referenceList && c.localName === 'objectiveReference');
    if (!ok) {
      rep.error('schema_violation', `<${c.localName}> is not allowed in <objectives> (cmi5 13.2: only <objective> elements)`, c);
      continue;
    }
    if (referenceList) continue;
    for (const part of elementChildren(c).filter((x) => ns.includes(x.namespaceURI ?? null))) {
      if (part.localName !== 'title' && part.localName !== 'description') {
        rep.error('schema_violation', `<${part.localName}> is not allowed in an <objective> (cmi5 13.2: <title> and <description>)`, part);
      } else {
        checkElement(part, ns, rep, false);
      }
    }
  }
}

function checkElement(el: Element, ns: readonly (string | null)[], rep: Reporter, inCourseRoot: boolean): void {
  const name = el.localName ?? '';
  if (name === 'objectives') {
    checkObjectives(el, ns, !inCourseRoot, rep);
    return;
  }
  const steps = SEQUENCES[name];
  if (!steps) return;
  const own = elementChildren(el).filter((c) => ns.includes(c.namespaceURI ?? null));
  const bad = firstMisplaced(own, steps);
  if (bad) {
    rep.error(
      'schema_violation',
      `<${bad.localName}> is out of place in <${name}>: the cmi5 course structure schema (13.2) wants ${allowedAt(steps)}, in this order`,
      bad,
    );
  }
  for (const c of own) checkElement(c, ns, rep, name === 'courseStructure');
}

/** Reports every element of a cmi5 course structure that breaks the XSD's order (error `schema_violation`). */
export function checkCmi5Schema(root: Element, ns: readonly (string | null)[], rep: Reporter): void {
  checkElement(root, ns, rep, false);
}
