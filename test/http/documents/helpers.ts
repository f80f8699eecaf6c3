/** Shared builders of the document-resource HTTP tests. */
import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';

export const V2 = { 'X-Experience-API-Version': '2.0.0' } as const;
export const V1 = { 'X-Experience-API-Version': '1.0.3' } as const;

/** A test app on a fresh in-memory SQLite store. */
export function documentsTestApp(): Promise<TestApp> {
  return createTestApp();
}

export function agent(name: string = randomUUID()): Record<string, unknown> {
  return { objectType: 'Agent', account: { homePage: 'http://example.com/agents', name } };
}

export function activityId(): string {
  return `http://example.com/activities/${randomUUID()}`;
}

/** Query string in the conformance suite's style: objects as JSON, everything URL-encoded. */
export function qs(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
}

export type Method = 'get' | 'head' | 'put' | 'post' | 'delete';

/** A request to `/xapi<path>?<params>` with auth and version set. */
export function call(app: RequestListener, auth: string, method: Method, path: string, params: Record<string, unknown>, version: Record<string, string> = V2): request.Test {
  const q = qs(params);
  return request(app)[method](`/xapi${path}${q ? `?${q}` : ''}`).set(version).set('Authorization', auth);
}

/** Collects the raw response bytes (supertest parses only text and JSON by itself). */
export function binaryParser(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
