/**
 * The FileStore contract: the folder and GridFS adapters run these same tests
 * (test/store/files.test.ts). Tests use unique prefixes, so the store may hold other files.
 */
import { Readable } from 'node:stream';
import type { FileStore } from '../../../src/store/ports';
import { unique } from './builders';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks).toString('utf8');
}

const body = (s: string | Buffer): Readable => Readable.from([typeof s === 'string' ? Buffer.from(s) : s]);

/** Runs the FileStore contract against the store `open` returns (opened once, closed after). */
export function runFileStoreContract(name: string, open: () => Promise<FileStore>): void {
  describe(`${name} file store contract`, () => {
    let store: FileStore | undefined;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await store?.close();
    });
    const files = (): FileStore => {
      if (!store) throw new Error('the file store is not open');
      return store;
    };

    it('writes a file from a stream and reads it back with its size', async () => {
      const set = unique('set');
      const put = await files().put(`${set}/index.html`, body('<h1>hello</h1>'), 'text/html');
      expect(put.size).toBe(14);
      const got = await files().get(`${set}/index.html`);
      expect(got?.info.size).toBe(14);
      expect(await text(got!.stream)).toBe('<h1>hello</h1>');
      const info = await files().stat(`${set}/index.html`);
      expect(info).toMatchObject({ size: 14 });
      expect(info?.etag).toMatch(/^".+"$/);
      expect(Number.isNaN(Date.parse(info?.modifiedAt ?? ''))).toBe(false);
    });

    it('keeps nested paths, unicode names and a large multi-chunk file intact', async () => {
      const set = unique('set');
      const big = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) % 251;
      await files().put(`${set}/media/video clip.bin`, Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
      await files().put(`${set}/a/b/c/été.txt`, body('accents'));
      const got = await files().get(`${set}/media/video clip.bin`);
      const chunks: Buffer[] = [];
      for await (const c of got!.stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(big)).toBe(true);
      expect(await text((await files().get(`${set}/a/b/c/été.txt`))!.stream)).toBe('accents');
    });

    it('reads an inclusive byte range', async () => {
      const set = unique('set');
      await files().put(`${set}/r.txt`, body('0123456789'));
      expect(await text((await files().get(`${set}/r.txt`, { start: 2, end: 5 }))!.stream)).toBe('2345');
      expect(await text((await files().get(`${set}/r.txt`, { start: 9, end: 9 }))!.stream)).toBe('9');
      expect(await text((await files().get(`${set}/r.txt`, { start: 0, end: 9 }))!.stream)).toBe('0123456789');
    });

    it('answers undefined for a missing file and for a folder', async () => {
      const set = unique('set');
      await files().put(`${set}/dir/file.txt`, body('x'));
      expect(await files().get(`${set}/missing.txt`)).toBeUndefined();
      expect(await files().stat(`${set}/missing.txt`)).toBeUndefined();
      expect(await files().stat(`${set}/dir`)).toBeUndefined();
      expect(await files().get(`${set}/dir`)).toBeUndefined();
      expect(await files().stat(`${set}/dir/file.txt/deeper`)).toBeUndefined();
    });

    it('replaces a file written again and changes its ETag', async () => {
      const set = unique('set');
      await files().put(`${set}/f.txt`, body('first version'));
      const before = await files().stat(`${set}/f.txt`);
      await files().put(`${set}/f.txt`, body('second'));
      const after = await files().stat(`${set}/f.txt`);
      expect(after?.size).toBe(6);
      expect(after?.etag).not.toBe(before?.etag);
      expect(await text((await files().get(`${set}/f.txt`))!.stream)).toBe('second');
    });

    it('deletes a tree and only that tree, idempotently', async () => {
      const set = unique('set');
      const other = unique('set');
      // A set whose name starts like the deleted one must survive (prefix is a folder, not a string prefix).
      const lookalike = `${set}x`;
      await files().put(`${set}/a.txt`, body('a'));
      await files().put(`${set}/sub/b.txt`, body('b'));
      await files().put(`${other}/a.txt`, body('keep'));
      await files().put(`${lookalike}/a.txt`, body('keep too'));
      await files().deleteTree(set);
      expect(await files().stat(`${set}/a.txt`)).toBeUndefined();
      expect(await files().stat(`${set}/sub/b.txt`)).toBeUndefined();
      expect(await files().stat(`${other}/a.txt`)).toMatchObject({ size: 4 });
      expect(await files().stat(`${lookalike}/a.txt`)).toMatchObject({ size: 8 });
      await files().deleteTree(set);
      await files().deleteTree(unique('never-written'));
    });

    it('refuses paths that could leave the store or have two spellings', async () => {
      const set = unique('set');
      for (const bad of ['', '/abs.txt', `${set}/../x.txt`, `${set}/./x.txt`, `${set}//x.txt`, `${set}\\x.txt`, `${set}/x\0.txt`, '..', `${set}/`]) {
        await expect(files().put(bad, body('x'))).rejects.toMatchObject({ code: 'bad_request' });
        await expect(files().stat(bad)).rejects.toMatchObject({ code: 'bad_request' });
        await expect(files().get(bad)).rejects.toMatchObject({ code: 'bad_request' });
      }
      await expect(files().deleteTree('..')).rejects.toMatchObject({ code: 'bad_request' });
      await expect(files().deleteTree('')).rejects.toMatchObject({ code: 'bad_request' });
    });

    it('leaves no file behind when the source stream fails', async () => {
      const set = unique('set');
      const failing = new Readable({
        read() {
          this.push(Buffer.from('partial'));
          this.destroy(new Error('connection reset'));
        },
      });
      await expect(files().put(`${set}/broken.bin`, failing)).rejects.toThrow();
      expect(await files().stat(`${set}/broken.bin`)).toBeUndefined();
    });

    it('lists its file sets with the time of their newest file (issue 11: the start-up sweep)', async () => {
      const a = unique('set');
      const b = unique('set');
      const before = Date.now() - 1000;
      await files().put(`${a}/index.html`, body('a'));
      await files().put(`${a}/deep/er/file.js`, body('a2'));
      await files().put(`${b}/x.txt`, body('b'));
      const sets = new Map((await files().findFileSets()).map((s) => [s.id, s.modifiedAt]));
      expect(sets.has(a) && sets.has(b)).toBe(true);
      for (const id of [a, b]) expect(Date.parse(sets.get(id)!)).toBeGreaterThanOrEqual(before);
      await files().deleteTree(b);
      expect((await files().findFileSets()).map((s) => s.id)).not.toContain(b);
    });

    it('finds no abandoned writes to remove after complete writes', async () => {
      const set = unique('set');
      await files().put(`${set}/done.txt`, body('complete'));
      expect(await files().deleteAbandonedWrites(new Date(Date.now() + 60_000).toISOString())).toBe(0);
      expect((await files().stat(`${set}/done.txt`))?.size).toBe(8);
    });
  });
}
