/**
 * Shared fixtures for the conformance tests: requests shaped the way the ADL LRS conformance
 * suite sends them (hand-built query strings, multipart bodies, version headers), built in code.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';

export type Version = '2.0.0' | '1.0.3';
export type Json = Record<string, unknown>;

export const BASE = '/xapi';

/** A fresh app for one test file; close it in afterAll. */
export async function openApp(): Promise<TestApp> {
  return createTestApp();
}

/** Headers of an ordinary authenticated request at `version`. */
export function headers(t: TestApp, version: Version = '2.0.0'): Record<string, string> {
  return { 'X-Experience-API-Version': version, Authorization: t.auth };
}

/**
 * A query string as the suite writes it: strings and numbers bare (not percent-encoded),
 * objects as encodeURIComponent(JSON). Keeping the suite's encoding catches parsers that
 * choke on raw ':' and '/' in IRIs.
 */
export function qs(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? encodeURIComponent(JSON.stringify(v)) : String(v)}`)
    .join('&');
}

export function uuid(): string {
  return randomUUID();
}

export function mbox(prefix = 'learner'): string {
  return `mailto:${prefix}-${uuid()}@example.org`;
}

/** A plain valid statement with a unique actor, verb and activity. */
export function statement(over: Json = {}): Json {
  const tag = uuid();
  return {
    actor: { objectType: 'Agent', name: 'Conformance Learner', mbox: mbox() },
    verb: { id: `http://example.org/verbs/attempted/${tag}`, display: { 'en-US': 'attempted', 'en-GB': 'attempted (GB)' } },
    object: {
      objectType: 'Activity',
      id: `http://example.org/activities/${tag}`,
      definition: {
        name: { 'en-US': 'Activity name', 'en-GB': 'Activity name (GB)' },
        description: { 'en-US': 'Activity description', 'en-GB': 'Activity description (GB)' },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        moreInfo: 'http://example.org/more-info',
        interactionType: 'fill-in',
        correctResponsesPattern: ['answer'],
        extensions: { 'http://example.org/ext/level': 3 },
      },
    },
    ...over,
  };
}

/** A statement with context: registration, an instructor and a category activity. */
export function contextStatement(over: Json = {}): Json {
  const tag = uuid();
  return statement({
    context: {
      registration: uuid(),
      instructor: { objectType: 'Agent', name: 'Instructor', mbox: mbox('instructor') },
      contextActivities: {
        category: [{
          objectType: 'Activity',
          id: `http://example.org/category/${tag}`,
          definition: {
            name: { 'en-US': 'Category', 'en-GB': 'Category (GB)' },
            description: { 'en-US': 'Category description', 'en-GB': 'Category description (GB)' },
          },
        }],
      },
    },
    ...over,
  });
}

export function voiding(targetId: string, over: Json = {}): Json {
  return {
    actor: { objectType: 'Agent', mbox: mbox('admin') },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
    object: { objectType: 'StatementRef', id: targetId },
    ...over,
  };
}

/** One part of a multipart request body. */
export interface Part {
  readonly headers: readonly string[];
  readonly body: string | Buffer;
}

export const BOUNDARY = '-------314159265358979323846';

/** "--b CRLF headers CRLF CRLF body CRLF" per part, then "--b--" CRLF. */
export function multipart(parts: readonly Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.map((h) => `${h}\r\n`).join('')}\r\n`));
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body) : p.body);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export function jsonPart(value: unknown): Part {
  return { headers: ['Content-Type: application/json'], body: JSON.stringify(value) };
}

export function attachmentPart(content: string | Buffer, sha2: string, type = 'text/plain'): Part {
  return { headers: [`Content-Type: ${type}`, 'Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${sha2}`], body: content };
}

/** POST /statements with a JSON body. */
export function postStatements(t: TestApp, body: unknown, version: Version = '2.0.0'): Promise<Response> {
  return request(t.app).post(`${BASE}/statements`).set(headers(t, version)).send(body as object);
}

export function putStatement(t: TestApp, id: string, body: unknown, version: Version = '2.0.0'): Promise<Response> {
  return request(t.app).put(`${BASE}/statements?statementId=${id}`).set(headers(t, version)).send(body as object);
}

export function getStatements(t: TestApp, query: string, version: Version = '2.0.0', extra: Record<string, string> = {}): Promise<Response> {
  return request(t.app).get(`${BASE}/statements${query ? `?${query}` : ''}`).set({ ...headers(t, version), ...extra });
}

/** Stores one statement and returns its id (fails the test when the LRS refuses it). */
export async function store(t: TestApp, body: Json, version: Version = '2.0.0'): Promise<string> {
  const res = await postStatements(t, body, version);
  if (res.status !== 200) throw new Error(`storing a fixture statement failed: ${res.status} ${res.text}`);
  const ids = res.body as string[];
  return ids[0]!;
}

/** The response body as text, whatever its content type. */
export function textOf(res: Response): string {
  if (typeof res.text === 'string' && res.text.length > 0) return res.text;
  if (Buffer.isBuffer(res.body)) return res.body.toString('utf8');
  return '';
}

/** Supertest parser that keeps any body as a string (multipart answers). */
export function asText(res: Response, cb: (err: Error | null, body: string) => void): void {
  // At parse time supertest hands over the raw IncomingMessage, not the finished Response.
  const stream = res as unknown as NodeJS.ReadableStream & { setEncoding(e: string): void };
  let data = '';
  stream.setEncoding('utf8');
  stream.on('data', (c: string) => { data += c; });
  stream.on('end', () => cb(null, data));
}
