/** Statements per statement_refs bucket: small enough that a bucket's index pages stay hot,
 * large enough that a query over a million statements seeks only ~250 buckets. */
export const BUCKET_SIZE = 4096;

/** The statement_refs bucket of a seq. */
export function bucketOf(seq: number): number {
  return Math.floor(seq / BUCKET_SIZE);
}
