/** Who is calling the LRS, as established by the auth middleware. */
export interface AuthContext {
  /** Credential key (Basic user name) or launch-token id. */
  readonly credentialKey: string;
  readonly name: string;
  /** Granted xAPI scopes. */
  readonly scopes: ReadonlySet<string>;
  /** Agent/Group JSON put in the `authority` of statements written by this caller. */
  readonly authority: Record<string, unknown>;
  readonly orgId?: string;
}
