/**
 * The course score of a SCORM 2004 attempt: the root activity's measure from the SN measure
 * rollup (SN 4th edition RB.1.1), not an average of the SCOs' scores. Each cluster's measure is
 * the weighted mean of its tracked children's measures, weighted by each child's
 * `objectiveMeasureWeight` (default 1); a child whose measure is unknown still counts its weight
 * (so two default SCOs, one scored 0.8, give 0.4, as SCORM Cloud reports); a cluster with no
 * known child measure, or whose children all weigh 0, has none. A manifest that weighs every SCO
 * 0 (as ADL's and Rustici's sequencing examples do when "no score is rolled up") thus gives the
 * course no score. Computed here rather than read from scorm-again's engine, which reports 0 for
 * an all-zero weighting and leaves unknown children out of the denominator.
 */
import type { ScormCourseModel, ScormItem } from '../../packages/course-model';

function measureOf(items: readonly ScormItem[], scaled: ReadonlyMap<string, number>): number | undefined {
  let counted = 0;
  let total = 0;
  let valid = false;
  for (const item of items) {
    if (item.sequencing && !item.sequencing.deliveryControls.tracked) continue;
    const weight = item.sequencing?.rollupRules.objectiveMeasureWeight ?? 1;
    counted += weight;
    const m = item.children.length > 0 ? measureOf(item.children, scaled) : scaled.get(item.identifier);
    if (m !== undefined) {
      total += m * weight;
      valid = true;
    }
  }
  return valid && counted > 0 ? total / counted : undefined;
}

/** The course's scaled score from the SCOs' scaled scores (by item identifier); undefined when the rollup gives none. */
export function courseMeasure(model: ScormCourseModel, scaledByScoId: ReadonlyMap<string, number>): number | undefined {
  const org = model.organizations.find((o) => o.identifier === model.defaultOrganization);
  if (!org) return undefined;
  const m = measureOf(org.items, scaledByScoId);
  return m === undefined ? undefined : Math.round(m * 10000) / 10000;
}
