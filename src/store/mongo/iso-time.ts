import { badRequest } from '../../errors';

/**
 * Normalises an ISO 8601 time to `YYYY-MM-DDTHH:mm:ss.sssZ`, the form `stored` is kept in, so
 * that times compare correctly as strings in queries and indexes.
 */
export function toIsoMillis(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${what} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}
