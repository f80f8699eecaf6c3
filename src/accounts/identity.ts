import type { Config } from '../config';
import type { User } from '../store/ports';

/** The xAPI Agent that stands for a person everywhere (player, LRS, reports). */
export interface XapiIdentity {
  readonly objectType: 'Agent';
  readonly name: string;
  readonly account: { readonly homePage: string; readonly name: string };
  /** Only when the person allows their email to be shared and proved it is theirs. */
  readonly mbox?: string;
}

/**
 * A person's stable xAPI identity: an account on the site's home page named by the user id (ids
 * never change, emails may). The mbox is added only when the person allows it (shareEmail) and
 * proved the address (emailVerifiedAt).
 * Note: an xAPI Agent with both account and mbox is not valid as an actor (exactly one inverse
 * functional identifier); callers that write statements should use `xapiActor`.
 */
export function xapiIdentity(user: Pick<User, 'id' | 'name' | 'email' | 'shareEmail' | 'emailVerifiedAt'>, config: Pick<Config, 'publicUrl'>): XapiIdentity {
  return {
    objectType: 'Agent',
    name: user.name,
    account: { homePage: config.publicUrl, name: user.id },
    // An unproven address is not the person's yet (issue 11): it is not part of their identity.
    ...(user.shareEmail && user.emailVerifiedAt !== undefined ? { mbox: `mailto:${user.email}` } : {}),
  };
}

/** The identity as a statement actor: the account only (one identifier per Agent, xAPI 2.4.2.1). */
export function xapiActor(user: Pick<User, 'id' | 'name'>, config: Pick<Config, 'publicUrl'>): XapiIdentity {
  return { objectType: 'Agent', name: user.name, account: { homePage: config.publicUrl, name: user.id } };
}
