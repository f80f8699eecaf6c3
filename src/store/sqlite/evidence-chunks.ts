/**
 * How the statement writer thread splits a large evidence request (statement-writer-thread.ts,
 * ADR 0039): by person, so that each (person, competency) pair is read and written in one chunk.
 */
import type { Evidence } from '../ports';

/**
 * Rows grouped by person (first-seen order, a person's rows in their order), people packed into
 * chunks of at most `size` pieces; a person with more pieces than that is a chunk alone.
 */
export function evidenceChunks(rows: readonly Evidence[], size: number): Evidence[][] {
  const byPerson = new Map<string, Evidence[]>();
  for (const row of rows) {
    const list = byPerson.get(row.userId);
    if (list) list.push(row);
    else byPerson.set(row.userId, [row]);
  }
  const chunks: Evidence[][] = [];
  let chunk: Evidence[] = [];
  for (const pieces of byPerson.values()) {
    if (chunk.length > 0 && chunk.length + pieces.length > size) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push(...pieces);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
