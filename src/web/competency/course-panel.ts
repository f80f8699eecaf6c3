import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import type { Html } from '../html';
import { courseCompetenciesView, ruleText } from './views';

/** The competencies a course is aligned to, as its course page shows them (alignments of the course's own organization). */
export async function courseCompetencyPanel(s: AppServices, _user: UserContext, courseId: string): Promise<Html> {
  const course = await s.store.courses.findCourse(courseId);
  if (!course) return courseCompetenciesView([]);
  const list = await s.store.competency.findAlignments({ courseId, orgIds: [course.orgId] });
  const out = [];
  for (const a of list) {
    const f = await s.store.competency.findFramework(a.frameworkId);
    const [item] = await s.store.competency.findItems({ frameworkId: a.frameworkId, identifiers: [a.itemIdentifier], includeRetired: true });
    if (!f || !item) continue;
    out.push({
      href: `/competencies/${encodeURIComponent(f.id)}/items/${encodeURIComponent(item.identifier)}`,
      name: `${item.humanCodingScheme ? `${item.humanCodingScheme} ` : ''}${item.abbreviatedStatement ?? item.fullStatement}`,
      level: f.scale.find((l) => l.rank === a.level)?.name ?? String(a.level),
      rule: ruleText(a),
    });
  }
  return courseCompetenciesView(out);
}
