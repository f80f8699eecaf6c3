/** Statement fixtures built in code for the xAPI unit tests. */
import type { JsonObject, JsonValue } from '../../../src/xapi/model/types';

export const AGENT: JsonObject = { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' };
export const AGENT2: JsonObject = { mbox_sha1sum: 'cd9b00a5611f94eaa7b1661edab976068e364975' };
export const ACCOUNT_AGENT: JsonObject = { account: { homePage: 'http://www.example.com', name: 'user-42' } };
export const OPENID_AGENT: JsonObject = { openid: 'http://openid.example.org/12345' };
export const VERB: JsonObject = { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended', de: 'besuchte' } };
export const ACTIVITY: JsonObject = {
  objectType: 'Activity',
  id: 'http://www.example.com/meetings/occurances/34534',
  definition: {
    name: { 'en-US': 'example meeting', 'fr-FR': 'réunion' },
    description: { 'en-US': 'An example meeting' },
    type: 'http://adlnet.gov/expapi/activities/meeting',
    moreInfo: 'http://virtualmeeting.example.com/345256',
    extensions: { 'http://example.com/ext/room': 'B1', 'http://example.com/ext/null': null },
  },
};
export const ANON_GROUP: JsonObject = { objectType: 'Group', member: [AGENT, AGENT2] };
export const ID_GROUP: JsonObject = { objectType: 'Group', name: 'Team', mbox: 'mailto:team@example.com', member: [ACCOUNT_AGENT] };
export const UUID1 = 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0';
export const UUID2 = '7ccd3322-e1a5-411a-a67d-6a735c76f119';
export const REGISTRATION = 'ec531277-b57b-4c15-8d91-d292c5b2b8f7';

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** A minimal valid statement. */
export function baseStatement(): JsonObject {
  return clone({ actor: AGENT, verb: VERB, object: ACTIVITY });
}

/** A statement using most properties, valid in 2.0.0. */
export function fullStatement(): JsonObject {
  return clone({
    id: UUID1,
    actor: AGENT,
    verb: VERB,
    object: ACTIVITY,
    result: {
      score: { scaled: 0.95, raw: 95, min: 0, max: 100 },
      success: true,
      completion: true,
      response: 'We agreed on some example actions.',
      duration: 'PT1H0M0S',
      extensions: { 'http://example.com/profiles/meetings/resultextensions/minuteslocation': 'X:\\meetings\\minutes' },
    },
    context: {
      registration: REGISTRATION,
      instructor: ACCOUNT_AGENT,
      team: ANON_GROUP,
      contextActivities: {
        parent: [{ id: 'http://www.example.com/meetings/series/267', objectType: 'Activity' }],
        category: { id: 'http://www.example.com/meetings/categories/teammeeting' },
        other: [{ id: 'http://www.example.com/meetings/occurances/34257' }],
      },
      revision: 'r2',
      platform: 'LMS',
      language: 'en',
      statement: { objectType: 'StatementRef', id: UUID2 },
      extensions: { 'http://example.com/profiles/meetings/contextextensions/topic': 'Example' },
      contextAgents: [{ objectType: 'contextAgent', agent: OPENID_AGENT, relevantTypes: ['http://example.com/types/coach'] }],
      contextGroups: [{ objectType: 'contextGroup', group: ID_GROUP }],
    },
    timestamp: '2013-05-18T05:32:34.804+02:00',
    attachments: [
      {
        usageType: 'http://example.com/attachment-usage/test',
        display: { 'en-US': 'A test attachment' },
        description: { 'en-US': 'A test attachment (description)' },
        contentType: 'text/plain; charset=ascii',
        length: 27,
        sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
        fileUrl: 'http://over.there.com/file.txt',
      },
    ],
  });
}

export function subStatement(): JsonObject {
  return clone({
    objectType: 'SubStatement',
    actor: AGENT2,
    verb: { id: 'http://example.com/verbs/will-visit' },
    object: ACTIVITY,
    result: { duration: 'PT1.2369S' },
    context: { contextActivities: { parent: { id: 'http://example.com/sub/parent' } }, instructor: ANON_GROUP },
    timestamp: '2020-01-01T10:00:00+01:00',
  });
}

type PathPart = string | number;

function parsePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const seg of path.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    for (let m = re.exec(seg); m; m = re.exec(seg)) parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  }
  return parts;
}

/** A copy of `obj` with the value at `path` (e.g. "context.contextAgents[0].agent") set; undefined deletes. */
export function withValue(obj: JsonObject, path: string, value: JsonValue | undefined): JsonObject {
  const out = clone(obj);
  const parts = parsePath(path);
  let cur: Record<string | number, unknown> = out;
  parts.slice(0, -1).forEach((p, i) => {
    if (cur[p] === undefined) cur[p] = typeof parts[i + 1] === 'number' ? [] : {};
    cur = cur[p] as Record<string | number, unknown>;
  });
  const last = parts[parts.length - 1] as PathPart;
  if (value === undefined) delete cur[last];
  else cur[last] = clone(value);
  return out;
}
