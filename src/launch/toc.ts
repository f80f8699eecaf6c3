/**
 * The table of contents of a course version as the learner sees it: the SCORM organization tree
 * (sections are the items that hold others) or the cmi5 blocks, with the launchable units as
 * leaves. Pure: built from the course model.
 */
import type { Cmi5Node, CourseModel, ScormItem } from '../packages/course-model';
import { pickText } from '../packages/manifest/lang-map';

/** One entry: a section (children, no unitId) or a unit the learner can open (unitId). */
export interface TocNode {
  readonly title: string;
  /** The launchable unit (SCORM item identifier, cmi5 AU id, TinCan activity id); absent for a section. */
  readonly unitId?: string;
  readonly children: readonly TocNode[];
}

function scormNode(item: ScormItem, units: ReadonlySet<string>): TocNode[] {
  if (item.children.length > 0) {
    const children = item.children.flatMap((c) => scormNode(c, units));
    return children.length > 0 ? [{ title: item.title, children }] : [];
  }
  return units.has(item.identifier) ? [{ title: item.title, unitId: item.identifier, children: [] }] : [];
}

function cmi5Node(node: Cmi5Node, titles: ReadonlyMap<string, string>, language: string | undefined): TocNode[] {
  if (node.kind === 'au') return [{ title: titles.get(node.id) ?? node.id, unitId: node.id, children: [] }];
  const children = node.children.flatMap((c) => cmi5Node(c, titles, language));
  return children.length > 0 ? [{ title: pickText(node.title, language) ?? node.id, children }] : [];
}

/** The course's contents in course order; units only where the model can launch them. */
export function tocOf(model: CourseModel): TocNode[] {
  const units = new Set(model.launchables.map((l) => l.id));
  if (model.format === 'scorm12' || model.format === 'scorm2004') {
    const org = model.organizations.find((o) => o.identifier === model.defaultOrganization) ?? model.organizations[0];
    return (org?.items ?? []).flatMap((i) => scormNode(i, units));
  }
  if (model.format === 'cmi5') {
    const titles = new Map(model.launchables.map((l) => [l.id, l.title]));
    return model.children.flatMap((n) => cmi5Node(n, titles, model.language));
  }
  return model.launchables.map((l) => ({ title: l.title, unitId: l.id, children: [] }));
}

/** The unit ids of a table of contents, in order. */
export function tocUnits(nodes: readonly TocNode[]): string[] {
  return nodes.flatMap((n) => (n.unitId !== undefined ? [n.unitId] : tocUnits(n.children)));
}
