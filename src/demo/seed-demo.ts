import { createUser, DEMO_PASSWORD } from '../accounts/bootstrap-admin';
import type { AppServices } from '../deps';
import { courseIri } from '../launch/iris';
import type { Registration } from '../store/ports';
import type { AuthContext } from '../xapi/auth/auth-context';
import { storeStatements } from '../xapi/statements/write-service';
import { demoStatements, demoUuid, type DemoSitting } from './demo-statements';

/**
 * The demo learners whose records fill the demo reports: the demo sign-ins who learn (by email)
 * and a few colleagues created here, all in the demo member libraries. The story says how their
 * sitting of the demo course went; the demo staff member is still in it (My learning: Resume).
 */
export const DEMO_LEARNERS: readonly { readonly email: string; readonly name: string; readonly org: string; readonly story: DemoSitting['story'] }[] = [
  { email: 'staff@riverside.demo.learnhq.test', name: 'Sam Staff', org: 'riverside-library', story: 'inProgress' },
  { email: 'trustee@riverside.demo.learnhq.test', name: 'Tess Trustee', org: 'riverside-library', story: 'passed' },
  { email: 'amara@riverside.demo.learnhq.test', name: 'Amara Okafor', org: 'riverside-library', story: 'retook' },
  { email: 'ben@riverside.demo.learnhq.test', name: 'Ben Lindqvist', org: 'riverside-library', story: 'passed' },
  { email: 'chen@riverside.demo.learnhq.test', name: 'Chen Wei', org: 'riverside-library', story: 'failed' },
  { email: 'multi@demo.learnhq.test', name: 'Max Multi', org: 'harbor-cooperative', story: 'passed' },
  { email: 'dolores@harbor.demo.learnhq.test', name: 'Dolores Ruiz', org: 'harbor-cooperative', story: 'inProgress' },
  { email: 'eamon@harbor.demo.learnhq.test', name: 'Eamon Byrne', org: 'harbor-cooperative', story: 'passed' },
  { email: 'farah@harbor.demo.learnhq.test', name: 'Farah Haddad', org: 'harbor-cooperative', story: 'retook' },
];

/** LearnHQ's own writer for the demo records of one organization: they are filed under it. */
function demoAuth(publicUrl: string, orgId: string): AuthContext {
  return {
    credentialKey: 'learnhq:demo', name: 'LearnHQ demo content', scopes: new Set(['statements/write']),
    authority: { objectType: 'Agent', name: 'LearnHQ demo content', account: { homePage: publicUrl, name: 'demo' } },
    orgId, lmsWriter: true,
  };
}

/**
 * With the demo on, once (only while the store holds no statement): the demo learners (created
 * when missing, as learners of their library, with the demo password) register for the demo
 * course, and the statements of their sittings go through the Statement API's write path, filed
 * under each learner's organization. The pipeline projects them into progress and the reports,
 * so the demo analysts see their own organization's learning. Needs the demo organizations and
 * course (seedDemoAccounts, seedDemoCourse). Returns how many statements were stored.
 */
export async function seedDemoContent(s: AppServices): Promise<number> {
  if (!s.config.demo) return 0;
  if ((await s.store.statements.countStatements()) > 0) return 0;
  const provider = await s.store.accounts.findOrganizationBySlug('northwind-learning');
  const [course] = provider ? await s.store.courses.findCourses({ orgIds: [provider.id], limit: 1 }) : [];
  if (!course?.currentVersionId) {
    s.logger.info('no demo course: demo learning records skipped');
    return 0;
  }
  const at = s.now().toISOString();
  const byOrg = new Map<string, DemoSitting[]>();
  let i = 0;
  for (const l of DEMO_LEARNERS) {
    i += 1;
    const org = await s.store.accounts.findOrganizationBySlug(l.org);
    if (!org) continue;
    let user = await s.store.accounts.findUserByEmail(l.email);
    if (!user) {
      user = await createUser(s, { email: l.email, name: l.name, password: DEMO_PASSWORD, emailProven: true });
      await s.store.accounts.insertMembership({ userId: user.id, orgId: org.id, role: 'learner', learnerType: 'staff', createdAt: at });
    }
    const registration: Registration = { id: demoUuid(i), userId: user.id, courseId: course.id, versionId: course.currentVersionId, orgId: org.id, createdAt: at };
    await s.store.launch.insertRegistration(registration);
    byOrg.set(org.id, [...(byOrg.get(org.id) ?? []), { userId: user.id, name: user.name, registration: registration.id, story: l.story }]);
  }
  let stored = 0;
  let idBase = 1000;
  for (const [orgId, sittings] of byOrg) {
    const statements = demoStatements(s.now(), s.config.publicUrl, courseIri(s.config, course.id), course.title, sittings, idBase);
    idBase += 100_000;
    const ids = await storeStatements(s, { body: { json: statements as never, parts: new Map(), multipart: false }, version: '2.0.0', auth: demoAuth(s.config.publicUrl, orgId) });
    stored += ids.length;
  }
  await seedDemoOrganizing(s, course.id);
  s.logger.info({ statements: stored }, 'loaded demo learning records (set LEARNHQ_DEMO=false to skip)');
  return stored;
}

/**
 * What the organizers' pages show in the demo: a webinar Riverside publishes to every
 * organization, and the demo course assigned to Riverside's Children's Services unit (the demo
 * staff member's) with a due date ten days ahead. Called once, with the demo records.
 */
async function seedDemoOrganizing(s: AppServices, courseId: string): Promise<void> {
  const riverside = await s.store.accounts.findOrganizationBySlug('riverside-library');
  if (!riverside) return;
  const now = s.now();
  const at = now.toISOString();
  const day = (n: number, hour: number): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + n, hour)).toISOString();
  await s.store.catalog.upsertCatalogEntry({
    id: demoUuid(900), kind: 'webinar', orgId: riverside.id, provider: riverside.name, title: 'Story time online: what works',
    description: 'Riverside\'s children\'s librarians share what they learned running story times over video: rhymes, pacing, and keeping families coming back.',
    keywords: ['story time', 'early literacy'], competencies: [], language: 'en', format: 'online', durationMinutes: 60, ceCredits: 1,
    startsAt: day(14, 16), endsAt: day(14, 17), joinUrl: 'https://meet.example.org/riverside-story-time', capacity: 100,
    state: 'published', visibility: 'all', visibleOrgIds: [], createdAt: at, updatedAt: at,
  });
  const admin = await s.store.accounts.findUserByEmail('orgadmin@riverside.demo.learnhq.test');
  const kids = (await s.store.careers.findUnits(riverside.id)).find((u) => u.name === "Children's Services");
  if (kids) {
    await s.store.learning.insertAssignment({
      id: demoUuid(901), orgId: riverside.id, entryId: courseId, target: { kind: 'unit', unitId: kids.id }, dueAt: day(10, 23),
      required: true, createdBy: admin?.id ?? 'demo', createdAt: at,
    });
  }
}
