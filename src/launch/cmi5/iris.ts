/**
 * LMS-generated activity ids of a cmi5 course (cmi5 8.1 activityId, 9.3.9 satisfied). The spec
 * requires them to differ from the publisher's ids in cmi5.xml and to stay the same across
 * launches and registrations, so they are derived from the course id and the publisher id:
 * course `<courseIri>`, block `<courseIri>/blocks/<id>`, AU `<courseIri>/aus/<id>`.
 */
import type { Config } from '../../config';
import type { Cmi5Au, Cmi5Block, Cmi5CourseModel, Cmi5Node } from '../../packages/course-model';
import { courseIri } from '../iris';

/** The LMS course id used as object of the course's satisfied statement. */
export function cmi5CourseIri(config: Pick<Config, 'publicUrl'>, courseId: string): string {
  return courseIri(config, courseId);
}

/** The LMS block id used as object of a block's satisfied statement. */
export function cmi5BlockIri(config: Pick<Config, 'publicUrl'>, courseId: string, blockId: string): string {
  return `${courseIri(config, courseId)}/blocks/${encodeURIComponent(blockId)}`;
}

/** The activityId an AU gets in its launch URL and uses in its cmi5 defined statements. */
export function cmi5AuIri(config: Pick<Config, 'publicUrl'>, courseId: string, auId: string): string {
  return `${courseIri(config, courseId)}/aus/${encodeURIComponent(auId)}`;
}

/** Every AU of a course in course order (depth-first). */
export function allAus(nodes: readonly Cmi5Node[]): Cmi5Au[] {
  return nodes.flatMap((n) => (n.kind === 'au' ? [n] : allAus(n.children)));
}

/** Every block of a course in course order (depth-first, parents before children). */
export function allBlocks(nodes: readonly Cmi5Node[]): Cmi5Block[] {
  return nodes.flatMap((n) => (n.kind === 'block' ? [n, ...allBlocks(n.children)] : []));
}

/** The AU with this publisher id; undefined when the course has none. */
export function findAu(model: Cmi5CourseModel, auId: string): Cmi5Au | undefined {
  return allAus(model.children).find((a) => a.id === auId);
}
