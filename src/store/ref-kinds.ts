/**
 * Index keys that say who owns a statement (`k|` the credential that wrote it, `g|` the
 * organization it belongs to) describe the statement itself, not what it is about. A statement
 * that references another (StatementRef) inherits the target's keys so that filters match it,
 * but never these: otherwise a statement written by one credential or organization would show
 * up in another's "mine" or organization-scoped reads.
 */
export function isInheritableRef(ref: string): boolean {
  return !ref.startsWith('k|') && !ref.startsWith('g|');
}
