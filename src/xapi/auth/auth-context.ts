/**
 * What a launch token (src/accounts/launch-tokens.ts) confines its bearer to: one learner's
 * statements and State in one registration. See src/xapi/auth/restriction.ts for the rules.
 */
export interface LaunchRestriction {
  /** The LearnHQ person the token was issued for. */
  readonly userId: string;
  /** agentKey() of the learner's Agent: the only actor it may write as, read and keep State for. */
  readonly agentKey: string;
  /** Lower-case registration UUID: the only registration it may write, read and keep State in. */
  readonly registration: string;
  /** The launched activity (informational; statements may be about its sub-activities too). */
  readonly activityId: string;
  /** The cmi5 session of this token has ended (terminated or abandoned): every request is 403. */
  readonly ended?: boolean;
}

/** Who is calling the LRS, as established by the auth middleware. */
export interface AuthContext {
  /** Credential key (Basic user name) or `launch:<token id>` for a launch token. */
  readonly credentialKey: string;
  readonly name: string;
  /** Granted xAPI scopes. */
  readonly scopes: ReadonlySet<string>;
  /** Agent/Group JSON put in the `authority` of statements written by this caller. */
  readonly authority: Record<string, unknown>;
  /**
   * Owning organization. Statements it writes belong to it (`g|` key); a Basic credential with
   * an organization reads only that organization's statements (src/xapi/org-scope.ts).
   */
  readonly orgId?: string;
  /** Set for launch tokens only: everything outside it is refused. */
  readonly restriction?: LaunchRestriction;
  /**
   * Set by LearnHQ's own writers on a learner's behalf (the SCORM player's server side, the cmi5
   * LMS): they file statements under `orgId`, the registration's organization, but are not that
   * organization's credential, so the organization rules on writes (who may write about whom,
   * which statements may be voided or resent) do not narrow them, as they do not a launch token.
   */
  readonly lmsWriter?: true;
}
