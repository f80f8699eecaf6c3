import type { AppServices } from '../deps';
import type { RoleCompetency } from '../store/ports';

/** Demo competency ids: placeholders in the demo's own namespace until the competency area (issue 14) seeds its framework. */
const C = (slug: string): string => `https://learnhq.example.org/competencies/${slug}`;
const need = (slug: string, targetLevel: number): RoleCompetency => ({ competencyId: C(slug), targetLevel });

/** Demo role profiles, written for LearnHQ (levels on a 1-4 scale: aware, practising, proficient, leading). */
export const DEMO_ROLE_PROFILES: readonly { readonly org: string; readonly name: string; readonly description: string; readonly shared: boolean; readonly competencies: readonly RoleCompetency[] }[] = [
  {
    org: 'riverside-library', name: 'Branch Manager', shared: false,
    description: 'Runs a branch: its staff, budget, building and its place in the neighbourhood.',
    competencies: [need('people-management', 3), need('budgeting', 3), need('community-engagement', 3), need('reference-services', 2), need('facilities-safety', 2)],
  },
  {
    org: 'riverside-library', name: "Children's Services Librarian", shared: false,
    description: 'Plans story times and early literacy programmes, and helps families find what they need.',
    competencies: [need('early-literacy', 3), need('childrens-collection', 3), need('program-planning', 2), need('reference-services', 2), need('child-safeguarding', 3)],
  },
  {
    org: 'northwind-learning', name: 'Library Board Trustee', shared: true,
    description: 'Governs the library on behalf of the community: policy, budget approval, advocacy and hiring the director.',
    competencies: [need('library-governance', 3), need('budgeting', 2), need('advocacy', 2), need('open-meetings-law', 2)],
  },
];

/** Demo units of Riverside Library, and who is in them (by demo email). */
const DEMO_UNITS = [
  { key: 'main', name: 'Main Library' },
  { key: 'kids', name: "Children's Services", parent: 'main' },
  { key: 'east', name: 'East Branch' },
  { key: 'board', name: 'Board of Trustees' },
] as const;
const DEMO_UNIT_MEMBERS = [
  { email: 'staff@riverside.demo.learnhq.test', unit: 'kids', role: "Children's Services Librarian" },
  { email: 'trustee@riverside.demo.learnhq.test', unit: 'board', role: 'Library Board Trustee' },
] as const;

/**
 * With the demo on: role profiles (Riverside's own, Northwind's shared trustee profile and
 * Riverside's adopted copy of it), Riverside's units and the demo staff in them. Once: it does
 * nothing when Riverside has a role profile already. Returns how many profiles it created.
 */
export async function seedDemoCareers(s: AppServices): Promise<number> {
  if (!s.config.demo) return 0;
  const slugs = new Map<string, string>();
  for (const o of await s.store.accounts.findOrganizations()) slugs.set(o.slug, o.id);
  const riverside = slugs.get('riverside-library');
  if (riverside === undefined || (await s.store.careers.findRoleProfiles({ orgId: riverside })).length > 0) return 0;
  const at = s.now().toISOString();
  const byName = new Map<string, { id: string; orgId: string }>();
  let n = 0;
  for (const p of DEMO_ROLE_PROFILES) {
    const orgId = slugs.get(p.org);
    if (orgId === undefined) continue;
    const id = `demo-role-${p.name.toLowerCase().replace(/[^a-z]+/g, '-')}`;
    await s.store.careers.insertRoleProfile({ id, orgId, name: p.name, description: p.description, competencies: p.competencies, shared: p.shared, createdAt: at, updatedAt: at });
    byName.set(p.name, { id, orgId });
    n += 1;
  }
  const trustee = byName.get('Library Board Trustee');
  const trusteeSource = DEMO_ROLE_PROFILES.find((p) => p.name === 'Library Board Trustee');
  if (trustee && trusteeSource) {
    const id = 'demo-role-riverside-trustee';
    await s.store.careers.insertRoleProfile({
      id, orgId: riverside, name: trusteeSource.name, description: trusteeSource.description, competencies: trusteeSource.competencies,
      shared: false, source: { orgId: trustee.orgId, profileId: trustee.id }, createdAt: at, updatedAt: at,
    });
    byName.set(`riverside:${trusteeSource.name}`, { id, orgId: riverside });
    n += 1;
  }
  const unitIds = new Map<string, string>();
  for (const u of DEMO_UNITS) {
    const id = `demo-unit-${u.key}`;
    const parentId = 'parent' in u ? unitIds.get(u.parent) : undefined;
    await s.store.careers.insertUnit({ id, orgId: riverside, name: u.name, ...(parentId ? { parentId } : {}), createdAt: at });
    unitIds.set(u.key, id);
  }
  for (const m of DEMO_UNIT_MEMBERS) {
    const user = await s.store.accounts.findUserByEmail(m.email);
    const unitId = unitIds.get(m.unit);
    if (!user || !unitId) continue;
    await s.store.careers.insertUnitPerson({ orgId: riverside, unitId, userId: user.id, kind: 'member', createdAt: at });
    const profile = byName.get(`riverside:${m.role}`) ?? byName.get(m.role);
    if (profile && profile.orgId === riverside) await s.store.careers.insertPersonRoleProfile({ orgId: riverside, userId: user.id, profileId: profile.id, since: at });
  }
  s.logger.info({ roleProfiles: n }, 'loaded demo role profiles and units (LEARNHQ_DEMO)');
  return n;
}
