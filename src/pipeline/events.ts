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

/** The events of one log entry: its `stored` event, then for a voiding statement the `voided` of its target (same seq). */
export function entryEvents(e: LogEntry): readonly PipelineEvent[] {
  const s = e.statement;
  const stored: PipelineEvent = { kind: 'stored', seq: s.seq, statement: s, orgIds: e.orgIds };
  const voided = voidedIdOf(s.statement);
  return voided === undefined ? [stored] : [stored, { kind: 'voided', seq: s.seq, voidedId: voided, voidingId: s.id }];
}

/**
 * Events of log entries, in seq order, at most `max` events but always every event of the first
 * entry. Returns the events and how many entries they cover (a voiding statement gives two
 * events: its `stored`, then the `voided` of its target at the same seq). `built[i]`, when given,
 * holds entry i's events already (entryEvents: the log window builds them once for every runner).
 */
export function eventsOf(entries: readonly LogEntry[], max: number, built?: readonly (readonly PipelineEvent[])[]): { events: PipelineEvent[]; entries: number } {
  const events: PipelineEvent[] = [];
  let used = 0;
  for (let i = 0; i < entries.length; i++) {
    const own = built?.[i] ?? entryEvents(entries[i]!);
    if (used > 0 && events.length + own.length > max) break;
    for (const ev of own) events.push(ev);
    used++;
  }
  return { events, entries: used };
}
