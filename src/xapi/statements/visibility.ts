/**
 * Which stored statements a writer may see, for the two write-path rules that must not turn the
 * LRS into an existence oracle across organizations (issue 11 items 2 and 5):
 *
 * - Voiding: a credential restricted to its organization (or a launch token) may void only a
 *   statement it can read. A target it cannot read answers 404 whether it exists in another
 *   organization or nowhere, and nothing is stored.
 * - Reused ids: statement ids are unique across the whole LRS, so an id another organization used
 *   cannot be taken. It answers 409 "not available" whatever the content, so neither the 204 of an
 *   equivalent copy nor the 409 of a different one tells anything about the hidden statement.
 *
 * Site credentials read everything, and LearnHQ's own writers (AuthContext.lmsWriter) are not narrowed:
 * for them every stored statement is visible.
 */
import { conflict, notFound } from '../../errors';
import type { AuthContext } from '../auth/auth-context';
import { readRestrictionRefs } from '../auth/restriction';
import type { XapiDeps } from '../deps';

/** Answers whether the caller may read a statement id. */
export interface Visibility {
  has(id: string): boolean;
}

const EVERYTHING: Visibility = { has: () => true };

/**
 * What `auth` may read among the stored ids `ids`: everything for an unrestricted caller (even
 * ids not stored), otherwise those of `ids` inside its restriction (src/xapi/auth/restriction.ts
 * readRestrictionRefs) and nothing else. One store read at most.
 */
export async function visibleIds(deps: XapiDeps, auth: AuthContext, ids: readonly string[]): Promise<Visibility> {
  const restriction = readRestrictionRefs(auth);
  if (restriction.length === 0 || auth.lmsWriter) return EVERYTHING;
  return new Set(ids.length === 0 ? [] : await deps.store.statements.findStatementIdsWithRefs(ids, restriction));
}

/** 404 for a voiding target the caller cannot read; the same words whether it exists elsewhere or not at all. */
export function targetNotVisible(path: string, target: string): never {
  throw notFound(`${path}.object.id: no statement ${target} that this credential may void (a credential voids only statements it can read)`);
}

/** 409 for a stored id the caller cannot read, whatever the content sent. */
export function idNotAvailable(path: string, id: string): never {
  throw conflict(`${path}.id: statement id ${id} is not available; send the statement with another id`);
}
