/**
 * Statement builders for the data-validation conformance tables: each returns a fresh, valid
 * fragment (agent, group, activity, context...) that a case then breaks in one place. Built in
 * code from the xAPI Data rules; the point is "valid except for X", so every default must pass.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, headers, type Json, type Version } from './support';

export type { Json, Version };

/** One row of a data-validation table. */
export interface Case {
  readonly name: string;
  /** Versions the row applies to (default both). */
  readonly versions?: readonly Version[];
  readonly build: () => unknown;
  readonly expect: 200 | 400;
}

export const uuid = (): string => randomUUID();
export const BAD_UUID_LONG = 'AA97B177-9383-4934-8543-0F91A7A028368';
export const BAD_UUID_LETTER = 'MA97B177-9383-4934-8543-0F91A7A02836';
export const SHA1 = 'cd9b00a5611f94eaa7b1661edab976068e364975';
export const SHA256 = '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a';

export const agent = (over: Json = {}): Json => ({ objectType: 'Agent', name: 'Learner', mbox: `mailto:l-${uuid()}@example.org`, ...over });
export const agentNoIfi = (over: Json = {}): Json => ({ objectType: 'Agent', name: 'Learner', ...over });
export const anonGroup = (over: Json = {}): Json => ({
  objectType: 'Group',
  name: 'Anonymous group',
  member: [agent(), { name: 'Member two', account: { homePage: 'http://example.org/home', name: `m-${uuid()}` } }],
  ...over,
});
export const identifiedGroup = (over: Json = {}): Json => ({ objectType: 'Group', name: 'Team', openid: 'http://openid.example.org/team', ...over });

export const verb = (over: Json = {}): Json => ({ id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-GB': 'attended', 'en-US': 'attended' }, ...over });

export const activity = (definition: Json = {}, over: Json = {}): Json => ({
  objectType: 'Activity',
  id: `http://www.example.com/meetings/occurances/${uuid()}`,
  definition: {
    name: { 'en-GB': 'example meeting', 'en-US': 'example meeting' },
    description: { 'en-GB': 'An example meeting.', 'en-US': 'An example meeting.' },
    type: 'http://adlnet.gov/expapi/activities/meeting',
    moreInfo: 'http://virtualmeeting.example.com/345256',
    extensions: { 'http://example.com/profiles/meetings/extension/location': 'X:\\meetings\\minutes\\examplemeeting.one' },
    ...definition,
  },
  ...over,
});

const component = (id: string, text: string): Json => ({ id, description: { 'en-US': text } });

/** A valid definition for each interactionType, with the component lists it allows. */
export const interaction: Readonly<Record<string, () => Json>> = {
  'true-false': () => ({ interactionType: 'true-false', correctResponsesPattern: ['true'] }),
  choice: () => ({ interactionType: 'choice', correctResponsesPattern: ['a[,]b'], choices: [component('a', 'A'), component('b', 'B')] }),
  'fill-in': () => ({ interactionType: 'fill-in', correctResponsesPattern: ['Bob'] }),
  'long-fill-in': () => ({ interactionType: 'long-fill-in', correctResponsesPattern: ['{case_matters=false}{lang=en}To store and provide access'] }),
  matching: () => ({
    interactionType: 'matching', correctResponsesPattern: ['1[.]a'], source: [component('1', 'One')], target: [component('a', 'A')],
  }),
  performance: () => ({ interactionType: 'performance', correctResponsesPattern: ['pong[.]1:[,]dg[.]:10'], steps: [component('pong', 'Pong'), component('dg', 'DG')] }),
  sequencing: () => ({ interactionType: 'sequencing', correctResponsesPattern: ['a[,]b'], choices: [component('a', 'A'), component('b', 'B')] }),
  likert: () => ({ interactionType: 'likert', correctResponsesPattern: ['likert_3'], scale: [component('likert_0', 'Bad'), component('likert_3', 'Good')] }),
  numeric: () => ({ interactionType: 'numeric', correctResponsesPattern: ['4[:]'] }),
  other: () => ({ interactionType: 'other', correctResponsesPattern: ['(35.937432,-86.868896)'] }),
};

export const statementRef = (over: Json = {}): Json => ({ objectType: 'StatementRef', id: uuid(), ...over });

export const result = (over: Json = {}): Json => ({
  score: { scaled: 0.95, raw: 95, min: 0, max: 100 },
  success: true,
  completion: true,
  response: 'We agreed on some example actions.',
  duration: 'PT1H0M0S',
  extensions: { 'http://example.com/profiles/meetings/resultextensions/minuteslocation': 'X:\\meetings\\minutes' },
  ...over,
});

export const context = (over: Json = {}): Json => ({
  registration: uuid(),
  revision: 'rev_10_3_2',
  platform: 'Example virtual meeting software',
  language: 'tlh',
  statement: statementRef(),
  contextActivities: { parent: [{ objectType: 'Activity', id: 'http://www.example.com/meetings/series/267' }] },
  extensions: { 'http://example.com/profiles/meetings/contextextensions/airspeed': '600mph' },
  ...over,
});

/** A context without revision/platform, valid whatever the statement's object is. */
export const neutralContext = (over: Json = {}): Json => {
  const c = context(over);
  delete c.revision;
  delete c.platform;
  return c;
};

export const attachment = (over: Json = {}): Json => ({
  usageType: 'http://example.com/attachment-usage/test',
  display: { 'en-US': 'A test attachment' },
  description: { 'en-US': 'A test attachment (description)' },
  contentType: 'text/plain; charset=ascii',
  length: 27,
  sha2: SHA256,
  fileUrl: 'http://over.there.com/file.txt',
  ...over,
});

/** A complete valid statement (actor, verb, Activity object); `over` replaces top-level keys. */
export const stmt = (over: Json = {}): Json => ({ actor: agent(), verb: verb(), object: activity(), ...over });

/** A SubStatement object; `over` replaces its keys. */
export const sub = (over: Json = {}): Json => ({ objectType: 'SubStatement', actor: agent(), verb: verb(), object: activity(), ...over });

/** A statement whose object is a SubStatement built with `over`. */
export const inSub = (over: Json = {}): Json => stmt({ object: sub(over) });

/** Deletes one top-level key of a copy. */
export const without = (o: Json, key: string): Json => {
  const c = { ...o };
  delete c[key];
  return c;
};

/** POST one statement as the suite does (JSON body, version header, Basic auth). */
export function post(t: TestApp, body: unknown, version: Version): Promise<Response> {
  return request(t.app).post(`${BASE}/statements`).set(headers(t, version)).send(body as object);
}

/** Registers the rows of `cases` as one jest test each, for every version they apply to. */
export function runCases(getApp: () => TestApp, title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const version of ['2.0.0', '1.0.3'] as const) {
      const rows = cases.filter((c) => (c.versions ?? ['2.0.0', '1.0.3']).includes(version));
      if (rows.length === 0) continue;
      describe(`xAPI ${version}`, () => {
        it.each(rows.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
          const res = await post(getApp(), c.build(), version);
          // The body is in the message so a failing row shows the LRS's reason at once.
          expect({ status: res.status, body: res.status === c.expect ? undefined : res.body }).toEqual({
            status: c.expect,
            body: undefined,
          });
        });
      });
    }
  });
}
