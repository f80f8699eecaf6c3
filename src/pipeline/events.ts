import type { LogEntry } from '../store/ports';
import { VOIDED_VERB_ID } from '../xapi/model/types';
import type { PipelineEvent } from './types';

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The statement a voiding statement voids (Data 2.3.2), lower case; undefined for any other statement. */
export function voidedIdOf(statement: Readonly<Record<string, unknown>>): string | undefined {
  if (obj(statement['verb'])?.['id'] !== VOIDED_VERB_ID) return undefined;
  const o = obj(statement['object']);
  return o && o['objectType'] === 'StatementRef' && typeof o['id'] === 'string' ? o['id'].toLowerCase() : undefined;
}

/**
 * Events of log entries, in seq order, at most `max` events but always every event of the first
 * entry. Returns the events and how many entries they cover (a voiding statement gives two
 * events: its `stored`, then the `voided` of its target at the same seq).
 */
export function eventsOf(entries: readonly LogEntry[], max: number): { events: PipelineEvent[]; entries: number } {
  const events: PipelineEvent[] = [];
  let used = 0;
  for (const e of entries) {
    const s = e.statement;
    const voided = voidedIdOf(s.statement);
    const size = voided !== undefined ? 2 : 1;
    if (used > 0 && events.length + size > max) break;
    events.push({ kind: 'stored', seq: s.seq, statement: s, orgIds: e.orgIds });
    if (voided !== undefined) events.push({ kind: 'voided', seq: s.seq, voidedId: voided, voidingId: s.id });
    used++;
  }
  return { events, entries: used };
}
