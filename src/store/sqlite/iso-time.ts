import { badRequest } from '../../errors';

/**
 * Normalises an ISO 8601 time to `YYYY-MM-DDTHH:mm:ss.sssZ` so that times compare as strings
 * (the SQLite columns and indexes order them as text). Finer fractions are truncated, which keeps
 * `since` exclusive and `until` inclusive correct at millisecond resolution.
 */
export function toIsoMillis(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${what} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}
