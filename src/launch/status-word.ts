/** The word a learner reads for a status, on the course page and in the player's contents. Pure. */

/** Passed, Failed, Completed, In progress or Not started. */
export function statusWord(p: { readonly completion: string; readonly success: string } | null | undefined): string {
  if (!p) return 'Not started';
  if (p.success === 'passed') return 'Passed';
  if (p.success === 'failed') return 'Failed';
  if (p.completion === 'completed') return 'Completed';
  if (p.completion === 'incomplete') return 'In progress';
  return 'Not started';
}
