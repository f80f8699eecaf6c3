import type { Filter } from 'mongodb';
import { badRequest } from '../../errors';
import type { StatementPage, StatementQuery, StoredStatement } from '../ports';
import type { Collections, StatementDoc } from './collections';
import { toIsoMillis } from './iso-time';
import type { BlockMath } from './seq-blocks';

export type StatementRow = Pick<StatementDoc, '_id' | 'seq' | 'stored' | 'voided' | 'json'>;
export const ROW_PROJECTION = { _id: 1, seq: 1, stored: 1, voided: 1, json: 1 } as const;

export function rowToStored(row: StatementRow): StoredStatement {
  return {
    id: row._id,
    seq: row.seq,
    stored: row.stored,
    voided: row.voided,
    statement: JSON.parse(row.json) as Record<string, unknown>,
  };
}

/**
 * Rarer kinds of key first: MongoDB bounds a multikey index scan on the first `$all` element
 * and filters the rest, so the most selective key should lead.
 */
const KIND_PRIORITY = ['r|', 'A|', 'O|', 'k|', 'a|', 'o|', 'v|'];

/**
 * Answers StatementQuery: a conjunction of refs, voided excluded, in seq order. `since`/`until`
 * first become seq bounds through the stored range recorded on each seq block (seq-blocks.ts):
 * blocks of several instances fill in parallel, so stored is not ordered by seq across blocks,
 * but every statement lies within its block's [lo, hi]. The main query is then one range of the
 * refs+seq index, and the stored condition itself is kept, so the bounds only narrow the scan.
 */
export function createStatementFinder(c: Collections, math: BlockMath): <T>(query: StatementQuery, map: (row: StatementRow) => T) => Promise<{ statements: T[]; nextAfterSeq?: number }> {
  async function seqBounds(q: StatementQuery, since?: string, until?: string): Promise<[number, number] | undefined> {
    let lo = 0; // exclusive
    let hi = Number.MAX_SAFE_INTEGER; // inclusive
    if (since !== undefined) {
      // The first block that may hold a statement stored after `since`.
      const first = await c.seqBlocks.find({ hi: { $gt: since } }, { projection: { k: 1 } }).sort({ k: 1 }).limit(1).next();
      if (!first) return undefined;
      lo = math.first(first.k) - 1;
    }
    if (until !== undefined) {
      // The last block that may hold a statement stored at or before `until`.
      const last = await c.seqBlocks.find({ lo: { $lte: until } }, { projection: { k: 1 } }).sort({ k: -1 }).limit(1).next();
      if (!last) return undefined;
      hi = math.last(last.k);
    }
    if (q.afterSeq !== undefined) {
      if (q.ascending) lo = Math.max(lo, q.afterSeq);
      else hi = Math.min(hi, q.afterSeq - 1);
    }
    return lo < hi ? [lo, hi] : undefined;
  }

  return async (q, map) => {
    if (!Number.isInteger(q.limit) || q.limit < 1) throw badRequest(`limit must be an integer >= 1, got ${q.limit}`);
    const since = q.since !== undefined ? toIsoMillis(q.since, 'since') : undefined;
    const until = q.until !== undefined ? toIsoMillis(q.until, 'until') : undefined;
    const range = await seqBounds(q, since, until);
    if (!range) return { statements: [] };

    const filter: Filter<StatementDoc> = { seq: { $gt: range[0], $lte: range[1] }, voided: false };
    const refs = [...new Set(q.allRefs)].sort((a, b) => rank(a) - rank(b));
    if (refs.length === 1) filter.refs = refs[0];
    else if (refs.length > 1) filter.refs = { $all: refs };
    if (since !== undefined || until !== undefined) {
      filter.stored = { ...(since !== undefined ? { $gt: since } : {}), ...(until !== undefined ? { $lte: until } : {}) };
    }

    const rows = await c.statements
      .find(filter, { projection: ROW_PROJECTION })
      .sort({ seq: q.ascending ? 1 : -1 })
      .limit(q.limit + 1)
      .toArray();
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    return {
      statements: page.map(map),
      ...(more && last ? { nextAfterSeq: last.seq } : {}),
    };
  };
}

function rank(ref: string): number {
  const i = KIND_PRIORITY.indexOf(ref.slice(0, 2));
  return i < 0 ? KIND_PRIORITY.length : i;
}
