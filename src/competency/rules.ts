/** Whether a statement meets an alignment's rule (pure). */
import type { AlignmentRule } from '../store/ports';
import { COMPETENCY_IRI } from './vocab';

type Json = Readonly<Record<string, unknown>>;

const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * completed: verb completed or result.completion true; passed: verb passed or result.success true;
 * scaled: result.score.scaled ≥ min; satisfied: the cmi5/ADL satisfied verb; verb: that verb.
 */
export function meetsRule(rule: AlignmentRule, statement: Json): boolean {
  const verb = String(obj(statement['verb'])?.['id'] ?? '');
  const result = obj(statement['result']);
  switch (rule.kind) {
    case 'completed':
      return verb === COMPETENCY_IRI.completed || result?.['completion'] === true;
    case 'passed':
      return verb === COMPETENCY_IRI.passed || result?.['success'] === true;
    case 'scaled': {
      const scaled = obj(result?.['score'])?.['scaled'];
      return typeof scaled === 'number' && scaled >= rule.min;
    }
    case 'satisfied':
      return verb === COMPETENCY_IRI.satisfied;
    case 'verb':
      return verb === rule.verb;
  }
}

/** The LearnHQ person a statement's actor is (an account on the site's home page), if any. */
export function personOf(statement: Json, publicUrl: string): string | undefined {
  const actor = obj(statement['actor']);
  const account = obj(actor?.['account']);
  if (!account || actor?.['objectType'] === 'Group') return undefined;
  const home = String(account['homePage'] ?? '').replace(/\/$/, '');
  if (home !== publicUrl.replace(/\/$/, '')) return undefined;
  const name = account['name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}
