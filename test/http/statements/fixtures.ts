import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

export const V2 = { 'X-Experience-API-Version': '2.0.0' };
export const V1 = { 'X-Experience-API-Version': '1.0.3' };

/** A minimal valid statement with a fresh activity id (so filters isolate it). */
export function makeStatement(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', name: 'Ann', mbox: `mailto:ann-${randomUUID()}@example.com` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced', 'en-GB': 'experienced (GB)' } },
    object: {
      objectType: 'Activity',
      id: `http://example.com/activities/${randomUUID()}`,
      definition: { name: { 'en-US': 'Course', 'en-GB': 'Course GB' }, description: { 'en-US': 'A course', 'en-GB': 'A course GB' } },
    },
    ...over,
  };
}

/** A voiding statement for `id`. */
export function voiding(id: string): Record<string, unknown> {
  return {
    actor: { mbox: 'mailto:admin@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
    object: { objectType: 'StatementRef', id },
  };
}

/** supertest helpers bound to one app and credential. */
export function client(app: RequestListener, auth: string, version: Record<string, string> = V2) {
  return {
    post: (body: unknown) => request(app).post('/xapi/statements').set(version).set('Authorization', auth).send(body as object),
    put: (id: string, body: unknown) =>
      request(app).put(`/xapi/statements?statementId=${id}`).set(version).set('Authorization', auth).send(body as object),
    get: (query: Record<string, string | number | boolean> = {}) =>
      request(app).get('/xapi/statements').query(query).set(version).set('Authorization', auth),
    getUrl: (url: string) => request(app).get(url).set(version).set('Authorization', auth),
  };
}
