/** Read models shared by the API and the pages. */
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import type { Alignment, CompetencyItem, Evidence, Framework, SelfAssessment } from '../store/ports';
import { competencyOr404 } from './frameworks';

/** One competency as a person sees it: descriptors, learning aligned to it in their organizations, their own evidence. */
export interface CompetencyView {
  readonly framework: Pick<Framework, 'id' | 'orgId' | 'title' | 'uri' | 'scale'>;
  readonly item: Omit<CompetencyItem, 'raw'>;
  readonly children: readonly Omit<CompetencyItem, 'raw'>[];
  readonly alignments: readonly (Alignment & { readonly courseTitle?: string })[];
  readonly evidence: readonly Evidence[];
  readonly self: readonly SelfAssessment[];
}

export async function competencyView(s: AppServices, user: UserContext, frameworkId: string, identifier: string): Promise<CompetencyView> {
  const { framework, item } = await competencyOr404(s, frameworkId, identifier);
  const orgIds = user.isSiteAdmin ? undefined : [...user.roles.keys()];
  const [alignments, evidence, self, items] = await Promise.all([
    s.store.competency.findAlignments({ ...(orgIds ? { orgIds } : {}), frameworkId, itemIdentifier: identifier }),
    s.store.competency.findEvidence({ userId: user.userId, frameworkId, itemIdentifier: identifier }),
    s.store.competency.findSelfAssessments({ userId: user.userId, frameworkId, itemIdentifier: identifier }),
    s.store.competency.findItems({ frameworkId }),
  ]);
  const withTitles = [];
  for (const a of alignments) {
    const course = a.target.courseId !== undefined ? await s.store.courses.findCourse(a.target.courseId) : undefined;
    withTitles.push({ ...a, ...(course ? { courseTitle: course.title } : {}) });
  }
  const strip = ({ raw: _raw, ...rest }: CompetencyItem): Omit<CompetencyItem, 'raw'> => rest;
  return {
    framework: { id: framework.id, orgId: framework.orgId, title: framework.title, uri: framework.uri, scale: framework.scale },
    item: strip(item),
    children: items.filter((i) => i.parentIdentifier === item.identifier).map(strip),
    alignments: withTitles,
    evidence,
    self,
  };
}
