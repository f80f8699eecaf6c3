import { caseUriBase } from '../competency/frameworks';
import type { AppServices } from '../deps';
import type { RoleCompetency } from '../store/ports';
import { demoCompetencyId } from './demo-competencies';

/** A competency of the demo framework (src/demo/demo-competencies.ts) by its code, with the level the role needs. */
interface Need { readonly code: string; readonly targetLevel: number }
const need = (code: string, targetLevel: number): Need => ({ code, targetLevel });

/**
 * Demo role profiles, written for LearnHQ, over the demo competency framework's competencies
 * (its scale: 1 aware, 2 practising, 3 leading).
 */
export const DEMO_ROLE_PROFILES: readonly { readonly org: string; readonly name: string; readonly description: string; readonly shared: boolean; readonly needs: readonly Need[] }[] = [
  {
    org: 'riverside-library', name: 'Branch Manager', shared: false,
    description: 'Runs a branch: its staff, budget, building and its place in the neighbourhood.',
    needs: [need('LE.2', 3), need('LE.3', 3), need('CE.1', 2), need('PS.1', 2), need('PS.5', 2)],
  },
  {
    org: 'riverside-library', name: "Children's Services Librarian", shared: false,
    description: 'Plans story times and early literacy programmes, and helps families find what they need.',
    needs: [need('CE.3', 3), need('CO.1', 2), need('PS.3', 3), need('PS.1', 2), need('CE.4', 2)],
  },
  {
    org: 'northwind-learning', name: 'Library Board Trustee', shared: true,
    description: 'Governs the library on behalf of the community: policy, budget approval, advocacy and hiring the director.',
    needs: [need('TG.1', 3), need('TG.3', 2), need('TG.5', 2), need('TG.2', 2)],
  },
];

/** The role competencies of a demo profile: the demo framework's item URIs on this site (the same URIs its import gives the items). */
export function demoRoleCompetencies(s: Pick<AppServices, 'config'>, needs: readonly Need[]): RoleCompetency[] {
  return needs.map((n) => ({ competencyId: `${caseUriBase(s)}${demoCompetencyId(n.code)}`, targetLevel: n.targetLevel }));
}

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
    await s.store.careers.insertRoleProfile({ id, orgId, name: p.name, description: p.description, competencies: demoRoleCompetencies(s, p.needs), shared: p.shared, createdAt: at, updatedAt: at });
    byName.set(p.name, { id, orgId });
    n += 1;
  }
  const trustee = byName.get('Library Board Trustee');
  const trusteeSource = DEMO_ROLE_PROFILES.find((p) => p.name === 'Library Board Trustee');
  if (trustee && trusteeSource) {
    const id = 'demo-role-riverside-trustee';
    await s.store.careers.insertRoleProfile({
      id, orgId: riverside, name: trusteeSource.name, description: trusteeSource.description, competencies: demoRoleCompetencies(s, trusteeSource.needs),
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
