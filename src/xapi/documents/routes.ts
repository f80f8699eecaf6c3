/**
 * HTTP of the State (/activities/state), Activity Profile (/activities/profile) and Agent Profile
 * (/agents/profile) resources, plus /activities and /agents. Parse, call the service, respond.
 */
import { Router, type Request, type Response } from 'express';
import { checkDocumentBoundaries, documentNotFoundMessage } from '../auth/restriction';
import { authorize, type XapiResource } from '../auth/scopes';
import type { XapiDeps } from '../deps';
import { readRawBody } from '../http/body';
import { xapiLocals } from '../http/locals';
import { parseAgentParam } from '../model/agent-key';
import type { DocumentKey, DocumentKind, DocumentScope } from '../../store/ports';
import { activitiesAgentsRouter } from './activities-agents';
import { readPreconditions } from './conditions';
import { activityIdParam, docIdParam, readParams, registrationParam, required, sinceParam } from './params';
import { handle, sendBody, sendJson } from './send';
import { deleteDocument, postDocument, putDocument } from './service';

/** What differs between the three document resources. */
interface ResourceSpec {
  readonly kind: DocumentKind;
  readonly path: string;
  readonly scope: XapiResource;
  readonly idParam: 'stateId' | 'profileId';
  readonly activity: boolean;
  readonly agent: boolean;
  readonly registration: boolean;
  /** Profiles require If-Match/If-None-Match to overwrite; State is exempt (ADR 0002). */
  readonly requirePrecondition: boolean;
  /** DELETE without an id deletes the whole scope (State only). */
  readonly bulkDelete: boolean;
}

const RESOURCES: readonly ResourceSpec[] = [
  { kind: 'state', path: '/activities/state', scope: 'state', idParam: 'stateId', activity: true, agent: true, registration: true, requirePrecondition: false, bulkDelete: true },
  { kind: 'activityProfile', path: '/activities/profile', scope: 'activityProfile', idParam: 'profileId', activity: true, agent: false, registration: false, requirePrecondition: true, bulkDelete: false },
  { kind: 'agentProfile', path: '/agents/profile', scope: 'agentProfile', idParam: 'profileId', activity: false, agent: true, registration: false, requirePrecondition: true, bulkDelete: false },
];

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

interface Target {
  readonly scope: DocumentScope;
  /** The document id, undefined when the request is about every document of the scope. */
  readonly docId?: string;
  readonly since?: string;
}

function parseTarget(spec: ResourceSpec, method: Method, req: Request, res: Response): Target {
  const what = `${method === 'GET' ? 'GET/HEAD' : method} ${spec.path}`;
  const allowed = [
    ...(spec.activity ? ['activityId'] : []),
    ...(spec.agent ? ['agent'] : []),
    ...(spec.registration ? ['registration'] : []),
    spec.idParam,
    ...(method === 'GET' ? ['since'] : []),
  ];
  const p = readParams(req.query as Record<string, unknown>, allowed, what);
  const activityId = spec.activity ? activityIdParam(required(p, 'activityId', what)) : '';
  const agentKey = spec.agent ? parseAgentParam(required(p, 'agent', what), xapiLocals(res).xapiVersion).key : '';
  const reg = p.get('registration');
  const registration = reg === undefined ? undefined : registrationParam(reg);
  const rawId = p.get(spec.idParam);
  const idRequired = method === 'PUT' || method === 'POST' || (method === 'DELETE' && !spec.bulkDelete);
  if (idRequired) required(p, spec.idParam, what);
  const since = p.get('since');
  return {
    scope: { kind: spec.kind, activityId, agentKey, ...(registration !== undefined ? { registration } : {}) },
    ...(rawId !== undefined ? { docId: docIdParam(spec.idParam, rawId) } : {}),
    ...(since !== undefined ? { since: sinceParam(since) } : {}),
  };
}

function keyOf(t: Target, docId: string): DocumentKey {
  return { kind: t.scope.kind, activityId: t.scope.activityId, agentKey: t.scope.agentKey, registration: t.scope.registration ?? '', docId };
}

function documentRoutes(router: Router, spec: ResourceSpec, deps: XapiDeps): void {
  const store = deps.store.documents;

  router.get(
    spec.path,
    handle(async (req, res) => {
      authorize(xapiLocals(res).auth, spec.scope, 'read');
      const t = parseTarget(spec, 'GET', req, res);
      await checkDocumentBoundaries(deps, xapiLocals(res).auth, { ...t.scope, ...(t.docId !== undefined ? { docId: t.docId } : {}) }, 'read'); // issue 4: launch token, organization
      if (t.docId === undefined) {
        // "All state data for this context (Activity + Agent [+ registration if specified])":
        // without a registration, the ids of every registration are listed.
        const [ids, last] = await Promise.all([store.findDocumentIds(t.scope, t.since), store.findLastUpdated(t.scope, t.since)]);
        // Last-Modified of a list: the newest document in it (1.0.3 Communication 2.2 SHOULD).
        if (last !== undefined) res.setHeader('Last-Modified', new Date(last).toUTCString());
        sendJson(req, res, ids);
        return;
      }
      if (spec.kind === 'agentProfile') await deps.launchRules?.noteAgentProfileRead(xapiLocals(res).auth, t.docId); // cmi5 11.0
      const doc = await store.findDocument(keyOf(t, t.docId));
      if (!doc) {
        res.status(404).json({ error: 'not_found', message: documentNotFoundMessage(spec.kind, t.docId) });
        return;
      }
      res.setHeader('ETag', doc.etag);
      res.setHeader('Last-Modified', new Date(doc.updated).toUTCString());
      sendBody(req, res, 200, doc.contentType, doc.content);
    }),
  );

  const write = (method: 'PUT' | 'POST') =>
    handle(async (req, res) => {
      authorize(xapiLocals(res).auth, spec.scope, 'write');
      const t = parseTarget(spec, method, req, res);
      await checkDocumentBoundaries(deps, xapiLocals(res).auth, { ...t.scope, ...(t.docId !== undefined ? { docId: t.docId } : {}) }, 'write'); // issue 4: launch token, organization
      const content = await readRawBody(req, res, deps.config.maxDocumentBytes);
      const contentType = (res.locals as { rawBodyType?: string }).rawBodyType ?? req.get('Content-Type') ?? '';
      const w = {
        key: keyOf(t, t.docId ?? ''),
        content,
        contentType,
        preconditions: readPreconditions((n) => req.get(n)),
        requirePreconditionOnExisting: spec.requirePrecondition,
        // Issue 11: 1.0.3 profile PUTs need a precondition even to create (src/xapi/documents/service.ts).
        requirePreconditionOnNew: spec.requirePrecondition && method === 'PUT' && xapiLocals(res).xapiVersion === '1.0.3',
        now: deps.now,
      };
      const stored = method === 'PUT' ? await putDocument(store, w) : await postDocument(store, w);
      res.setHeader('ETag', stored.etag);
      res.status(204).end();
    });
  router.put(spec.path, write('PUT'));
  router.post(spec.path, write('POST'));

  router.delete(
    spec.path,
    handle(async (req, res) => {
      authorize(xapiLocals(res).auth, spec.scope, 'write');
      const t = parseTarget(spec, 'DELETE', req, res);
      await checkDocumentBoundaries(deps, xapiLocals(res).auth, { ...t.scope, ...(t.docId !== undefined ? { docId: t.docId } : {}) }, 'write'); // issue 4: launch token, organization
      if (t.docId === undefined) {
        // Without a registration, every state of the activity+agent goes (any registration).
        await store.deleteDocuments(t.scope);
      } else {
        await deleteDocument(store, keyOf(t, t.docId), readPreconditions((n) => req.get(n)));
      }
      res.status(204).end();
    }),
  );
}

/** Routes of the three document resources and of /activities and /agents. */
export function documentsRouter(deps: XapiDeps): Router {
  const router = Router({ caseSensitive: false });
  for (const spec of RESOURCES) documentRoutes(router, spec, deps);
  router.use(activitiesAgentsRouter(deps));
  return router;
}
