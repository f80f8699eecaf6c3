import { randomUUID } from 'node:crypto';
import { caseUriBase, importPackage } from '../competency/frameworks';
import { matchChanged } from '../competency/alignments';
import { competencyEvidenceSubscriber } from '../competency/evidence-subscriber';
import type { AppServices } from '../deps';
import { courseIri } from '../launch/iris';
import { storeStatements } from '../xapi/statements/write-service';
import { demoCompetencyId, demoCompetencyPackage } from './demo-competencies';

/**
 * Demo competencies, once (when the demo framework is not there yet): the framework published by
 * Northwind Learning, the demo course aligned to three of its competencies, an outside quiz IRI
 * aligned to a fourth, and statements of the demo staff member that earn evidence, so a newcomer's
 * demo learner has a profile. The pipeline's evidence subscriber projects the statements (here
 * directly when no pipeline runs; it is idempotent, so a later replay changes nothing).
 */
export async function seedDemoCompetencies(s: AppServices): Promise<boolean> {
  if (!s.config.demo) return false;
  const org = await s.store.accounts.findOrganizationBySlug('northwind-learning');
  if (!org) return false;
  const pkg = demoCompetencyPackage(caseUriBase(s), s.now().toISOString());
  const identifier = String((pkg['CFDocument'] as { identifier: string }).identifier);
  if (await s.store.competency.findFrameworkByIdentifier(org.id, identifier)) return false;
  const { framework } = await importPackage(s, org.id, pkg);
  const author = await s.store.accounts.findUserByEmail('author@northwind.demo.learnhq.test');
  const [course] = await s.store.courses.findCourses({ orgIds: [org.id], limit: 1 });
  const at = s.now().toISOString();
  const quiz = `${s.config.publicUrl}/demo/activities/privacy-quiz`;
  type Rule = { kind: 'completed' } | { kind: 'passed' } | { kind: 'scaled'; min: number };
  const aligned: { code: string; activityIds: string[]; level: number; rule: Rule; validDays?: number; courseId?: string }[] = [
    ...(course ? [
      { code: 'PS.1', activityIds: [courseIri(s.config, course.id)], level: 2, rule: { kind: 'completed' as const }, courseId: course.id },
      { code: 'PS.5', activityIds: [courseIri(s.config, course.id)], level: 1, rule: { kind: 'completed' as const }, courseId: course.id },
      { code: 'CE.4', activityIds: [courseIri(s.config, course.id)], level: 1, rule: { kind: 'passed' as const }, courseId: course.id },
    ] : []),
    { code: 'TE.2', activityIds: [quiz], level: 2, rule: { kind: 'scaled', min: 0.8 }, validDays: 365 },
  ];
  for (const a of aligned) {
    await s.store.competency.insertAlignment({
      id: randomUUID(), orgId: org.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId(a.code),
      target: a.courseId !== undefined ? { kind: 'course', courseId: a.courseId } : { kind: 'activity' },
      activityId: a.activityIds[0] as string, activityIds: a.activityIds, level: a.level, rule: a.rule,
      ...(a.validDays ? { validDays: a.validDays } : {}), createdBy: author?.id ?? 'demo', createdAt: at,
    });
  }
  await matchChanged(s);
  if (course) await s.store.courses.updateCourse(course.id, { competencies: ['PS.1', 'PS.5', 'CE.4'].map((c) => `${framework.id}|${demoCompetencyId(c)}`), updatedAt: at });

  // The demo staff member completed the course and passed the privacy quiz.
  const staff = await s.store.accounts.findUserByEmail('staff@riverside.demo.learnhq.test');
  const riverside = await s.store.accounts.findOrganizationBySlug('riverside-library');
  if (!staff || !riverside) return true;
  const actor = { objectType: 'Agent', name: staff.name, account: { homePage: s.config.publicUrl, name: staff.id } };
  const day = (n: number): string => new Date(s.now().getTime() - n * 86_400_000).toISOString();
  const statements = [
    ...(course ? [{ id: randomUUID(), actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } }, object: { objectType: 'Activity', id: courseIri(s.config, course.id) }, result: { completion: true }, timestamp: day(20) }] : []),
    { id: randomUUID(), actor, verb: { id: 'http://adlnet.gov/expapi/verbs/scored', display: { 'en-US': 'scored' } }, object: { objectType: 'Activity', id: quiz, definition: { name: { 'en-US': 'Patron privacy quiz' } } }, result: { score: { scaled: 0.9 } }, timestamp: day(320) },
  ];
  const ids = await storeStatements(s, {
    body: { json: statements, parts: new Map(), multipart: false }, version: '1.0.3',
    auth: { credentialKey: 'demo', name: 'LearnHQ demo content', scopes: new Set(['all']), authority: { objectType: 'Agent', name: 'LearnHQ demo', account: { homePage: s.config.publicUrl, name: 'demo' } }, orgId: riverside.id, lmsWriter: true },
  });
  // The running pipeline projects them; without one (a seeding script), project them here.
  if (!s.pipeline) {
    const stored = await s.store.statements.findStatementsByIds(ids);
    await competencyEvidenceSubscriber(s, { cacheMs: 0 }).handle(stored.sort((a, b) => a.seq - b.seq).map((st) => ({ kind: 'stored' as const, seq: st.seq, statement: st, orgIds: [riverside.id] })));
  }
  // A self-assessment waiting for Riverside's administrator.
  await s.store.competency.upsertSelfAssessment({ userId: staff.id, orgId: riverside.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('CE.3'), level: 2, at });
  return true;
}
