import type { ScormItem } from '../../../src/packages/course-model';
import type { DocumentKey, DocumentStore, StoredDocument, WriteCondition } from '../../../src/store/ports/documents';
import { attemptStateOf, learnerCommentsOf, objectivesOf, xapiResponse } from '../../../src/launch/scorm/profile-cmi';
import {
  ACTIVITY_PROFILE_ID, ACTIVITY_STATE_ID, ATTEMPT_STATE_ID, activityProfileOf, scoAttemptFor, writeProfileDocuments,
} from '../../../src/launch/scorm/profile-documents';

/** An in-memory DocumentStore with real compare-and-set, and a hook to race a writer in. */
function memoryDocs(): { docs: DocumentStore; map: Map<string, StoredDocument>; beforeUpsert: { fn?: () => void } } {
  const map = new Map<string, StoredDocument>();
  const k = (key: DocumentKey): string => JSON.stringify([key.kind, key.activityId, key.agentKey, key.registration, key.docId]);
  const beforeUpsert: { fn?: () => void } = {};
  const docs: DocumentStore = {
    findDocument: async (key) => map.get(k(key)),
    findDocumentIds: async () => [],
    findLastUpdated: async () => undefined,
    upsertDocument: async (doc: StoredDocument, cond: WriteCondition) => {
      const hook = beforeUpsert.fn;
      beforeUpsert.fn = undefined;
      hook?.();
      const cur = map.get(k(doc.key));
      if (cond && 'absent' in cond && cur) return false;
      if (cond && 'etag' in cond && cur?.etag !== cond.etag) return false;
      map.set(k(doc.key), doc);
      return true;
    },
    deleteDocument: async () => true,
    deleteDocuments: async () => 0,
    findDocumentsByAgent: async () => [],
    deleteDocumentsByAgent: async () => 0,
  };
  return { docs, map, beforeUpsert };
}

const item = (over: Partial<ScormItem> = {}): ScormItem => ({ identifier: 'i1', title: 'One', isVisible: true, children: [], ...over });
const json = (d: StoredDocument | undefined): unknown => (d ? JSON.parse(d.content.toString('utf8')) : undefined);

describe('SCORM profile documents', () => {
  it('numbers SCO attempts within one course attempt and never lists one twice', () => {
    const base = 'http://x/sco/attempts/a1';
    expect(scoAttemptFor([], base, false)).toEqual({ attemptIri: base, attempts: [base] });
    const one = ['http://x/sco/attempts/a0', base];
    expect(scoAttemptFor(one, base, false)).toEqual({ attemptIri: base, attempts: one });
    const two = scoAttemptFor(one, base, true);
    expect(two).toEqual({ attemptIri: `${base}-2`, attempts: [...one, `${base}-2`] });
    expect(scoAttemptFor(two.attempts, base, false).attemptIri).toBe(`${base}-2`);
    // Another attempt id that merely starts with this one is not ours.
    expect(scoAttemptFor([`${base}-x`], base, false).attemptIri).toBe(base);
  });

  it('builds the activity profile from the manifest item', () => {
    expect(activityProfileOf('scorm12', item({ masteryScore: 75, maxTimeAllowed: '00:30:00', timeLimitAction: 'continue,no message', dataFromLms: 'x=1' })))
      .toEqual({ scaled_passing_score: 0.75, max_time_allowed: 1800, time_limit_action: 'continue,no message', launch_data: 'x=1' });
    expect(activityProfileOf('scorm2004', item({ completionThreshold: { completedByMeasure: false, minProgressMeasure: 0.5, progressWeight: 1 } }))).toEqual({});
  });

  it('keeps only schema-valid attempt state values and converts SCORM 1.2 times', () => {
    expect(attemptStateOf('scorm12', { cmi: { core: { credit: 'credit', lesson_mode: 'browse', lesson_location: 'p', total_time: '01:00:05' }, student_preference: { audio: '-1', language: 'english', text: '0' } } }))
      .toEqual({ credit: 'credit', mode: 'browse', location: 'p', preferences: { audio_captioning: 0 }, total_time: 'PT1H0M5S' });
    expect(attemptStateOf('scorm2004', { cmi: { credit: 'maybe', mode: '', total_time: 'PT', learner_preference: { delivery_speed: '2' } } }))
      .toEqual({ preferences: { delivery_speed: 2 } });
  });

  it('reads objectives and comments, and converts SCORM 1.2 responses', () => {
    expect(objectivesOf('scorm12', { cmi: { objectives: { 0: { id: 'o', status: 'failed', score: { raw: '20' } } } } }))
      .toEqual([{ id: 'o', completion: 'incomplete', success: 'failed', description: '', scaled: 0.2, raw: 20 }]);
    expect(learnerCommentsOf('scorm2004', { cmi: { comments_from_learner: { childArray: [{ comment: 'hi', location: 'l', timestamp: 't' }, { comment: '' }] } } }))
      .toEqual([{ index: 0, comment: 'hi', location: 'l', timestamp: 't' }]);
    expect(xapiResponse('scorm12', 'sequencing', 'c, a ,b')).toBe('c[,]a[,]b');
    expect(xapiResponse('scorm12', 'true-false', '0')).toBe('false');
    expect(xapiResponse('scorm2004', 'choice', 'a,b')).toBe('a,b');
  });

  it('writes the three documents, leaves unchanged ones alone and survives a concurrent writer', async () => {
    const { docs, map, beforeUpsert } = memoryDocs();
    const input = {
      version: 'scorm12' as const, item: item({ masteryScore: 80 }), scoActivityId: 'http://x/sco', baseAttemptIri: 'http://x/sco/attempts/a1',
      agentKey: 'mbox:mailto:a@b.c', startsNewAttempt: false, attemptState: { location: 'p1' }, at: '2024-01-01T00:00:00.000Z',
    };
    expect(await writeProfileDocuments(docs, input)).toBe('http://x/sco/attempts/a1');
    const key = (kind: DocumentKey['kind'], activityId: string, docId: string, agentKey = input.agentKey): DocumentKey => ({ kind, activityId, agentKey, registration: '', docId });
    expect(json(map.get(JSON.stringify(['activityProfile', 'http://x/sco', '', '', ACTIVITY_PROFILE_ID])))).toEqual({ scaled_passing_score: 0.8 });
    expect(json(await docs.findDocument(key('state', 'http://x/sco', ACTIVITY_STATE_ID)))).toEqual({ attempts: ['http://x/sco/attempts/a1'] });
    expect(json(await docs.findDocument(key('state', 'http://x/sco/attempts/a1', ATTEMPT_STATE_ID)))).toEqual({ location: 'p1' });

    // Same content later: nothing is rewritten (the `updated` time stays).
    await writeProfileDocuments(docs, { ...input, at: '2024-01-02T00:00:00.000Z' });
    expect([...map.values()].map((d) => d.updated)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);

    // Another writer adds an attempt between our read and our write: both attempts survive.
    const listKey = key('state', 'http://x/sco', ACTIVITY_STATE_ID);
    const stateKey = JSON.stringify(['state', 'http://x/sco', input.agentKey, '', ACTIVITY_STATE_ID]);
    beforeUpsert.fn = undefined;
    const origFind = docs.findDocument;
    let raced = false;
    docs.findDocument = async (k) => {
      const d = await origFind(k);
      if (!raced && k.docId === ACTIVITY_STATE_ID) {
        raced = true;
        beforeUpsert.fn = () => {
          const content = Buffer.from(JSON.stringify({ attempts: ['http://x/sco/attempts/a1', 'http://x/sco/attempts/other'] }));
          map.set(stateKey, { key: listKey, contentType: 'application/json', content, etag: '"other"', updated: 'x' });
        };
      }
      return d;
    };
    expect(await writeProfileDocuments(docs, { ...input, startsNewAttempt: true })).toBe('http://x/sco/attempts/a1-2');
    expect(json(await origFind(listKey))).toEqual({ attempts: ['http://x/sco/attempts/a1', 'http://x/sco/attempts/other', 'http://x/sco/attempts/a1-2'] });
  });
});
