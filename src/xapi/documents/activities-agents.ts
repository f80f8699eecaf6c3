/**
 * The Activities resource (Communication 2.5: the canonical Activity object) and the Agents
 * resource (2.4: a Person object). Neither has documents; both are read-only.
 */
import { Router } from 'express';
import { AppError, badRequest } from '../../errors';
import { checkActivitiesAccess, checkAgentsAccess } from '../auth/restriction';
import { authorize } from '../auth/scopes';
import type { XapiDeps } from '../deps';
import { xapiLocals } from '../http/locals';
import { parseAgentParam } from '../model/agent-key';
import { activityIdParam, readParams, required } from './params';
import { handle, sendJson } from './send';

/** The Person object of Communication 2.4: every property an array, all present. */
export interface PersonJson {
  objectType: 'Person';
  name: string[];
  mbox: string[];
  mbox_sha1sum: string[];
  openid: string[];
  account: { homePage: string; name: string }[];
}

/** The Person for one Agent: the LRS keeps no directory, so it holds what the request gave. */
export function personOf(agent: Record<string, unknown>): PersonJson {
  const str = (v: unknown): string[] => (typeof v === 'string' ? [v] : []);
  const acc = agent['account'] as { homePage?: unknown; name?: unknown } | undefined;
  return {
    objectType: 'Person',
    name: str(agent['name']),
    mbox: str(agent['mbox']),
    mbox_sha1sum: str(agent['mbox_sha1sum']),
    openid: str(agent['openid']),
    account: acc && typeof acc.homePage === 'string' && typeof acc.name === 'string' ? [{ homePage: acc.homePage, name: acc.name }] : [],
  };
}

export function activitiesAgentsRouter(deps: XapiDeps): Router {
  const router = Router({ caseSensitive: false });

  router.get(
    '/activities',
    handle(async (req, res) => {
      authorize(xapiLocals(res).auth, 'activities', 'read');
      checkActivitiesAccess(xapiLocals(res).auth); // issue 4: not for launch tokens
      const what = 'GET/HEAD /activities';
      const id = activityIdParam(required(readParams(req.query as Record<string, unknown>, ['activityId'], what), 'activityId', what));
      const record = await deps.store.activities.findActivity(id);
      // Without a canonical definition the LRS still answers with an Activity object (2.5).
      sendJson(req, res, record ? { objectType: 'Activity', id, definition: record.definition } : { objectType: 'Activity', id });
    }),
  );

  router.get(
    '/agents',
    handle(async (req, res) => {
      authorize(xapiLocals(res).auth, 'agents', 'read');
      const what = 'GET/HEAD /agents';
      const raw = required(readParams(req.query as Record<string, unknown>, ['agent'], what), 'agent', what);
      const { agent, key } = parseAgentParam(raw, xapiLocals(res).xapiVersion);
      checkAgentsAccess(xapiLocals(res).auth, key); // issue 4: a launch token asks only about its learner
      // 2.4: the parameter is an Agent, "not a Person Object, nor is it a Group".
      if (agent['objectType'] === 'Group') throw badRequest('agent: must be an Agent, not a Group');
      sendJson(req, res, personOf(agent));
    }),
  );

  // The Activities and Agents resources are read-only (Communication 2.4, 2.5).
  router.all(['/activities', '/agents'], (req, _res, next) => {
    next(new AppError('method_not_allowed', `${req.method} is not allowed on ${req.path} (use GET or HEAD)`, { Allow: 'GET, HEAD' }));
  });

  return router;
}
