import { createHash } from 'node:crypto';
import type { DocumentKey, DocumentKind, DocumentStore, StoredDocument } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

const etagOf = (content: Buffer): string => `"${createHash('sha1').update(content).digest('hex')}"`;

function key(over: Partial<DocumentKey> = {}): DocumentKey {
  return {
    kind: 'state',
    activityId: `http://example.com/act/${unique('a')}`,
    agentKey: `mbox:mailto:${unique('u')}@example.com`,
    registration: '',
    docId: unique('doc'),
    ...over,
  };
}

function doc(k: DocumentKey, content: string | Buffer, updated = new Date().toISOString(), contentType = 'application/json'): StoredDocument {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { key: k, contentType, content: bytes, etag: etagOf(bytes), updated };
}

/** DocumentStore contract: byte-exact storage, compare-and-set writes, listing and bulk deletes. */
export function documentsContract(open: OpenStore): void {
  describe('documents', () => {
    const store = useStore(open);
    const docs = (): DocumentStore => store().documents;

    it('returns undefined for a document that was never stored', async () => {
      expect(await docs().findDocument(key())).toBeUndefined();
    });

    it('stores any bytes and content type and returns them exactly', async () => {
      const bytes = Buffer.from([0, 1, 2, 255, 254, 0x80, 10, 13, 0]);
      const d = doc(key({ kind: 'agentProfile', activityId: '' }), bytes, '2024-01-02T03:04:05.678Z', 'application/octet-stream');
      expect(await docs().upsertDocument(d, undefined)).toBe(true);
      const found = await docs().findDocument(d.key);
      expect(found).toBeDefined();
      expect(Buffer.compare(found!.content, bytes)).toBe(0);
      expect(found).toMatchObject({ key: d.key, contentType: 'application/octet-stream', etag: d.etag, updated: d.updated });
    });

    it('keeps documents apart by kind, activity, agent, registration and id', async () => {
      const base = key({ registration: '9a3c9c7e-4d0e-4f4b-9d38-0f0f0f0f0f0f' });
      const variants: DocumentKey[] = [
        base,
        { ...base, kind: 'activityProfile' },
        { ...base, activityId: `${base.activityId}x` },
        { ...base, agentKey: `${base.agentKey}x` },
        { ...base, registration: '' },
        { ...base, docId: `${base.docId}x` },
      ];
      for (const [i, k] of variants.entries()) await docs().upsertDocument(doc(k, `{"n":${i}}`), undefined);
      for (const [i, k] of variants.entries()) {
        expect((await docs().findDocument(k))?.content.toString()).toBe(`{"n":${i}}`);
      }
    });

    it('replaces unconditionally and the latest write wins', async () => {
      const k = key();
      await docs().upsertDocument(doc(k, 'first', undefined, 'text/plain'), undefined);
      await docs().upsertDocument(doc(k, 'second', undefined, 'text/plain'), undefined);
      expect((await docs().findDocument(k))?.content.toString()).toBe('second');
    });

    it('writes with {absent} only when no document exists', async () => {
      const k = key({ kind: 'activityProfile', agentKey: '' });
      expect(await docs().upsertDocument(doc(k, '{"a":1}'), { absent: true })).toBe(true);
      expect(await docs().upsertDocument(doc(k, '{"a":2}'), { absent: true })).toBe(false);
      expect((await docs().findDocument(k))?.content.toString()).toBe('{"a":1}');
    });

    it('writes with {etag} only when the stored ETag matches', async () => {
      const k = key();
      const first = doc(k, '{"v":1}');
      await docs().upsertDocument(first, undefined);
      expect(await docs().upsertDocument(doc(k, '{"v":2}'), { etag: '"0000000000000000000000000000000000000000"' })).toBe(false);
      expect((await docs().findDocument(k))?.etag).toBe(first.etag);
      expect(await docs().upsertDocument(doc(k, '{"v":3}'), { etag: first.etag })).toBe(true);
      expect((await docs().findDocument(k))?.content.toString()).toBe('{"v":3}');
      // The old ETag no longer matches once replaced.
      expect(await docs().upsertDocument(doc(k, '{"v":4}'), { etag: first.etag })).toBe(false);
    });

    it('fails an {etag} write when the document does not exist', async () => {
      const k = key();
      const d = doc(k, 'x');
      expect(await docs().upsertDocument(d, { etag: d.etag })).toBe(false);
      expect(await docs().findDocument(k)).toBeUndefined();
    });

    it('lets exactly one of many concurrent compare-and-set writers win per round', async () => {
      const k = key();
      const start = doc(k, '{"n":0}');
      await docs().upsertDocument(start, undefined);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => docs().upsertDocument(doc(k, `{"n":${i + 1}}`), { etag: start.etag })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const fresh = { ...k, docId: `${k.docId}-new` };
      const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => docs().upsertDocument(doc(fresh, `${i}`), { absent: true })));
      expect(racers.filter(Boolean)).toHaveLength(1);
    });

    it('never loses an update when many read-modify-write loops race', async () => {
      const k = key();
      await docs().upsertDocument(doc(k, '0'), { absent: true });
      const writers = 12;
      const increment = async (): Promise<void> => {
        for (;;) {
          const cur = await docs().findDocument(k);
          const n = Number(cur!.content.toString());
          if (await docs().upsertDocument(doc(k, String(n + 1)), { etag: cur!.etag })) return;
        }
      };
      await Promise.all(Array.from({ length: writers }, increment));
      expect((await docs().findDocument(k))?.content.toString()).toBe(String(writers));
    });

    it('deletes one document, conditionally or not', async () => {
      const k = key();
      const d = doc(k, 'gone soon', undefined, 'text/plain');
      await docs().upsertDocument(d, undefined);
      expect(await docs().deleteDocument(k, { etag: '"1111111111111111111111111111111111111111"' })).toBe(false);
      expect(await docs().findDocument(k)).toBeDefined();
      expect(await docs().deleteDocument(k, { absent: true })).toBe(false);
      expect(await docs().deleteDocument(k, { etag: d.etag })).toBe(true);
      expect(await docs().findDocument(k)).toBeUndefined();
      // Deleting nothing succeeds, unless an ETag was required.
      expect(await docs().deleteDocument(k, undefined)).toBe(true);
      expect(await docs().deleteDocument(k, { absent: true })).toBe(true);
      expect(await docs().deleteDocument(k, { etag: d.etag })).toBe(false);
      await docs().upsertDocument(d, undefined);
      expect(await docs().deleteDocument(k, undefined)).toBe(true);
      expect(await docs().findDocument(k)).toBeUndefined();
    });

    it('lists the ids of a scope in id order, filtered by registration and since', async () => {
      const base = key();
      const reg = '1f0c1f7e-aaaa-4bbb-8ccc-123456789abc';
      await docs().upsertDocument(doc({ ...base, docId: 'b' }, '1', '2024-05-01T00:00:00.000Z'), undefined);
      await docs().upsertDocument(doc({ ...base, docId: 'a' }, '2', '2024-05-03T00:00:00.000Z'), undefined);
      await docs().upsertDocument(doc({ ...base, docId: 'c', registration: reg }, '3', '2024-05-02T00:00:00.000Z'), undefined);
      // Another agent and another kind in the same activity stay out.
      await docs().upsertDocument(doc({ ...base, agentKey: `${base.agentKey}-other`, docId: 'z' }, '4'), undefined);
      await docs().upsertDocument(doc({ ...base, kind: 'activityProfile', agentKey: '', docId: 'y' }, '5'), undefined);

      const scope = { kind: 'state' as DocumentKind, activityId: base.activityId, agentKey: base.agentKey };
      expect(await docs().findDocumentIds(scope)).toEqual(['a', 'b', 'c']);
      expect(await docs().findDocumentIds({ ...scope, registration: '' })).toEqual(['a', 'b']);
      expect(await docs().findDocumentIds({ ...scope, registration: reg })).toEqual(['c']);
      // since is exclusive.
      expect(await docs().findDocumentIds(scope, '2024-05-01T00:00:00.000Z')).toEqual(['a', 'c']);
      expect(await docs().findDocumentIds(scope, '2024-05-03T00:00:00.000Z')).toEqual([]);
      expect(await docs().findDocumentIds({ ...scope, activityId: `${base.activityId}-none` })).toEqual([]);
      // The list's Last-Modified: the newest of the same documents.
      expect(await docs().findLastUpdated(scope)).toBe('2024-05-03T00:00:00.000Z');
      expect(await docs().findLastUpdated({ ...scope, registration: reg })).toBe('2024-05-02T00:00:00.000Z');
      expect(await docs().findLastUpdated(scope, '2024-05-03T00:00:00.000Z')).toBeUndefined();
      expect(await docs().findLastUpdated({ ...scope, activityId: `${base.activityId}-none` })).toBeUndefined();
    });

    it('deletes every document of a scope and counts them', async () => {
      const base = key();
      const reg = '2f0c1f7e-aaaa-4bbb-8ccc-123456789abc';
      for (const id of ['1', '2']) await docs().upsertDocument(doc({ ...base, docId: id }, id), undefined);
      await docs().upsertDocument(doc({ ...base, docId: '3', registration: reg }, '3'), undefined);
      const keep = { ...base, agentKey: `${base.agentKey}-keep` };
      await docs().upsertDocument(doc(keep, 'kept'), undefined);
      const scope = { kind: 'state' as DocumentKind, activityId: base.activityId, agentKey: base.agentKey };

      expect(await docs().deleteDocuments({ ...scope, registration: reg })).toBe(1);
      expect(await docs().findDocumentIds(scope)).toEqual(['1', '2']);
      expect(await docs().deleteDocuments(scope)).toBe(2);
      expect(await docs().findDocumentIds(scope)).toEqual([]);
      expect(await docs().deleteDocuments(scope)).toBe(0);
      expect((await docs().findDocument(keep))?.content.toString()).toBe('kept');
    });
  });
}
