/**
 * Resources the access matrix needs for the competency routes (issue 14): a framework of A with
 * an item, a badge of A, a signing key and an issued credential, and fresh alignments,
 * self-assessments and credentials for the cells that consume them.
 */
import { randomUUID } from 'node:crypto';
import { keyUrl, activeKey } from '../../../src/competency/badge-keys';
import { issueCredential } from '../../../src/competency/badges';
import { importPackage } from '../../../src/competency/frameworks';
import type { BadgeClass } from '../../../src/store/ports';
import { casePackage } from '../../fixtures/case-package';
import type { World } from './fixture';

export interface CompetencyCells {
  readonly frameworkId: string;
  readonly itemId: string;
  readonly badgeId: string;
  readonly kid: string;
  readonly credentialUuid: string;
  freshAlignment(): Promise<string>;
  /** A fresh learner of A with a self-assessment there; returns their id. */
  freshSelfAssessed(): Promise<string>;
  freshCredentialUuid(): Promise<string>;
  /** A minimal valid CASE package (fresh identifiers). */
  casePackage(): Record<string, unknown>;
}

export async function competencyCells(w: World): Promise<CompetencyCells> {
  const ids = new Map<string, string>();
  const { framework } = await importPackage(w.services, w.orgA.id, casePackage({ ids, categories: 1, perCategory: 2 }));
  const itemId = ids.get('C1.1') as string;
  const badge: BadgeClass = { id: randomUUID(), orgId: w.orgA.id, name: 'Matrix badge', description: 'd', criteria: 'c', frameworkId: framework.id, itemIdentifier: itemId, level: 1, createdAt: new Date().toISOString() };
  await w.store.competency.upsertBadge(badge);
  const key = await activeKey(w.services, w.orgA.id);
  const freshCredentialUuid = async (): Promise<string> => (await issueCredential(w.services, badge, w.people.learnerA.id)).id.replace('urn:uuid:', '');
  return {
    frameworkId: framework.id,
    itemId,
    badgeId: badge.id,
    kid: keyUrl(w.services, key).split('/').pop() as string,
    credentialUuid: await freshCredentialUuid(),
    async freshAlignment() {
      const id = randomUUID();
      await w.store.competency.insertAlignment({
        id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: itemId, target: { kind: 'activity' }, activityId: `https://tool.example.org/${id}`,
        activityIds: [`https://tool.example.org/${id}`], level: 1, rule: { kind: 'completed' }, createdBy: 'matrix', createdAt: new Date().toISOString(),
      });
      return id;
    },
    async freshSelfAssessed() {
      const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
      await w.store.competency.upsertSelfAssessment({ userId: p.id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: itemId, level: 1, at: new Date().toISOString() });
      return p.id;
    },
    freshCredentialUuid,
    casePackage: () => casePackage({ categories: 1, perCategory: 1 }),
  };
}
