/**
 * Who an assignment reaches and how far they are (issue 18): the audience of its target (a
 * person, everyone with a role in the organization, the members of a unit and the units below)
 * and, per person, whether they completed the entry. Reminders and the assignments page share it.
 */
import { assignmentAudience } from '../catalog/extension-points';
import type { AppServices } from '../deps';
import type { Assignment } from '../store/ports';

/** The people an assignment reaches (user ids, no duplicates). */
export async function audienceOf(s: AppServices, a: Assignment): Promise<string[]> {
  switch (a.target.kind) {
    case 'person': return [a.target.userId];
    case 'role': {
      const role = a.target.role;
      return [...new Set((await s.store.accounts.findMemberships({ orgId: a.orgId })).filter((m) => m.role === role).map((m) => m.userId))];
    }
    case 'unit': return [...new Set((await assignmentAudience('unit')?.list(s, a.orgId, a.target)) ?? [])];
  }
}

/** Whether the person completed (or passed, or attended) the catalog entry. */
export async function hasCompleted(s: AppServices, userId: string, entryId: string): Promise<boolean> {
  const rows = await s.store.progress.findProgress({ userId, courseId: entryId, limit: 20 });
  if (rows.some((r) => r.completion === 'completed' || r.success === 'passed' || r.satisfied)) return true;
  return (await s.store.learning.findOpportunityRegistrations({ entryId, userId })).some((r) => r.state === 'attended');
}

/** How an assignment stands: people it reaches, how many are done, how many are past the due date and not done. */
export interface AssignmentStatus {
  readonly people: number;
  readonly done: number;
  readonly overdue: number;
}

export async function assignmentStatus(s: AppServices, a: Assignment): Promise<AssignmentStatus> {
  const people = await audienceOf(s, a);
  let done = 0;
  for (const userId of people) if (await hasCompleted(s, userId, a.entryId)) done += 1;
  const late = a.dueAt !== undefined && a.dueAt < s.now().toISOString();
  return { people: people.length, done, overdue: late ? people.length - done : 0 };
}
