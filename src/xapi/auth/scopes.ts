import { forbidden } from '../../errors';
import type { AuthContext } from './auth-context';

/** The xAPI scopes (xAPI Communication, OAuth scope table). */
export const XAPI_SCOPES = [
  'statements/write',
  'statements/read/mine',
  'statements/read',
  'state',
  'define',
  'profile',
  'all/read',
  'all',
] as const;
export type XapiScope = (typeof XAPI_SCOPES)[number];

export type XapiResource = 'statements' | 'state' | 'activityProfile' | 'agentProfile' | 'activities' | 'agents';
export type Access = 'read' | 'write';

/**
 * Decides whether the caller may perform `access` on `resource`. Returns 'all' when unrestricted,
 * 'mine' when the caller may only read statements it wrote itself (statements/read/mine);
 * throws 403 otherwise.
 */
export function authorize(auth: AuthContext, resource: XapiResource, access: Access): 'all' | 'mine' {
  const s = auth.scopes;
  if (s.has('all')) return 'all';
  if (access === 'read' && s.has('all/read')) return 'all';
  switch (resource) {
    case 'statements':
      if (access === 'write' && s.has('statements/write')) return 'all';
      if (access === 'read' && s.has('statements/read')) return 'all';
      if (access === 'read' && s.has('statements/read/mine')) return 'mine';
      break;
    case 'state':
      if (s.has('state')) return 'all';
      break;
    case 'activityProfile':
    case 'agentProfile':
      if (s.has('profile')) return 'all';
      break;
    case 'activities':
    case 'agents':
      // Reading what the LRS knows of an activity or agent is part of reading its records.
      if (access === 'read' && (s.has('statements/read') || s.has('profile') || s.has('define'))) return 'all';
      break;
  }
  throw forbidden(`the credential's scopes (${[...s].join(', ') || 'none'}) do not allow ${access} access to ${resource}`);
}

/** True when statements written by the caller may define activities (scope define or all). */
export function mayDefine(auth: AuthContext): boolean {
  return auth.scopes.has('all') || auth.scopes.has('define');
}
