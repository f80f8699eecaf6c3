/**
 * What the LRS asks of the areas above it, without importing them (issue 13): the launch area
 * implements the session rules, the pipeline the after-store hook; the composition root
 * (src/compose.ts) plugs both into XapiDeps.
 */
import type { AuthContext } from './auth/auth-context';
import type { JsonObject } from './model/types';

/** A statement batch as the write path has it before the insert. */
export interface PendingBatch {
  /** The statements as the client sent them. */
  readonly raws: readonly JsonObject[];
  /** The same after the LRS filled id, stored, timestamp, version, authority. */
  readonly prepared: readonly JsonObject[];
  /** Where each statement is in the request, for error messages. */
  readonly paths: readonly string[];
}

/** Rules of launch sessions that must hold before the LRS answers (cmi5 AU sessions). */
export interface LaunchSessionRules {
  /** Checks a batch written with a launch token, before the insert; throws 403 when it breaks a rule. */
  checkStatements(auth: AuthContext, batch: PendingBatch): Promise<void>;
  /** True when a launch token belongs to a session that has ended (the token then reads only). */
  isEndedToken(tokenId: string): Promise<boolean>;
  /** A launch-token caller read an Agent Profile document (cmi5 11.0: learner preferences first). */
  noteAgentProfileRead(auth: AuthContext, profileId: string | undefined): Promise<void>;
}

/**
 * Called after every insert that stored statements, with the highest seq stored and the
 * statements; resolves when the write may be answered (the pipeline's read-your-writes
 * subscribers have seen it).
 */
export type StatementsStoredHook = (lastSeq: number | undefined, statements: readonly Readonly<Record<string, unknown>>[]) => Promise<void>;
