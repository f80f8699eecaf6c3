import { registerErasureStep } from '../accounts/erasure';

/**
 * Erasure of a person takes them out of every unit (as member and as manager) and drops the role
 * profiles recorded for them and their career plans, in every organization they belong to. Registered once by createApp.
 */
export function registerCareersErasure(): void {
  registerErasureStep('careers', async (s, person) => {
    let n = await s.store.careers.deleteUnitPeopleOfUser(person.userId);
    n += await s.store.careers.deleteCareerPlans(person.userId);
    const orgs = new Set((await s.store.accounts.findMemberships({ userId: person.userId })).map((m) => m.orgId));
    for (const orgId of orgs) {
      for (const r of await s.store.careers.findPersonRoleProfiles({ orgId, userId: person.userId })) {
        if (await s.store.careers.deletePersonRoleProfile(orgId, person.userId, r.profileId)) n += 1;
      }
    }
    return n;
  });
}
