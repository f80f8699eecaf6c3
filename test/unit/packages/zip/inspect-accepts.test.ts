import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { extractZip, inspectZip, readZipEntryText, safeEntryPath, zipLimitsFromConfig } from '../../../../src/packages/zip';
import { testConfig } from '../../../../src/config';
import { buildZip, createZipFileWriter, writeZipFile, type ZipEntrySpec } from '../../../fixtures/zip-builder';
import { LIMITS, intake, leftovers, tempDir } from './intake-helpers';

const MANIFEST = '<?xml version="1.0"?><manifest identifier="m1"/>';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('inspectZip + extractZip accept real packages', () => {
  it('lists and extracts stored and deflated files, folders and non-ASCII names', async () => {
    const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const zip = buildZip([
      { name: 'imsmanifest.xml', data: MANIFEST },
      { name: 'content/' },
      { name: 'content/index.html', data: '<p>hello</p>'.repeat(100) },
      { name: 'content/data.bin', data: random, method: 'store' },
      { name: './content/r\u00e9sum\u00e9.html', data: 'caf\u00e9' },
      { name: 'empty.txt', data: '' },
    ]);
    const { listing, outDir } = await intake(root, zip);
    expect(listing.entries.map((e) => [e.path, e.isDirectory])).toEqual([
      ['imsmanifest.xml', false],
      ['content', true],
      ['content/index.html', false],
      ['content/data.bin', false],
      ['content/r\u00e9sum\u00e9.html', false],
      ['empty.txt', false],
    ]);
    expect(listing.fileCount).toBe(5);
    expect(listing.totalUncompressedBytes).toBe(MANIFEST.length + 1200 + 5000 + Buffer.byteLength('caf\u00e9') + 0);
    expect(sha(fs.readFileSync(path.join(outDir, 'content/data.bin')))).toBe(sha(random));
    expect(fs.readFileSync(path.join(outDir, 'content/r\u00e9sum\u00e9.html'), 'utf8')).toBe('caf\u00e9');
    expect(fs.readFileSync(path.join(outDir, 'empty.txt'), 'utf8')).toBe('');
    expect(leftovers(path.join(root, 'tmp'))).toEqual([]);
  });

  it('imports a zip64 archive (zip64 extra fields and end records)', async () => {
    const zip = buildZip(
      [
        { name: 'imsmanifest.xml', data: MANIFEST },
        { name: 'a/b.txt', data: 'b'.repeat(3000) },
        { name: 'c.bin', data: Buffer.alloc(2048, 9), method: 'store' },
      ],
      { zip64: true },
    );
    expect(zip.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const { listing, outDir } = await intake(root, zip);
    expect(listing.entries.map((e) => e.size)).toEqual([MANIFEST.length, 3000, 2048]);
    expect(fs.readFileSync(path.join(outDir, 'a/b.txt'), 'utf8')).toBe('b'.repeat(3000));
  });

  it('imports an archive of 5,000 entries', async () => {
    const file = path.join(root, 'many.zip');
    const w = createZipFileWriter(file);
    for (let i = 0; i < 5000; i += 1) w.add({ name: `sco/page-${i}.html`, data: `<p>${i}</p>` });
    w.finish();
    const listing = await inspectZip(file, LIMITS);
    expect(listing.fileCount).toBe(5000);
    let count = 0;
    await extractZip(file, listing, async (p, s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe(`<p>${p.slice('sco/page-'.length, -'.html'.length)}</p>`);
      count += 1;
    });
    expect(count).toBe(5000);
  });

  it('imports an archive of 70,000 entries (zip64 entry count) when the limit allows it', async () => {
    const file = path.join(root, 'huge-count.zip');
    fs.writeFileSync(file, buildZip(Array.from({ length: 70_000 }, (_, i) => ({ name: `f/${i}`, data: 'x', method: 'store' as const }))));
    const listing = await inspectZip(file, { ...LIMITS, maxEntries: 100_000 });
    expect(listing.entries.length).toBe(70_000);
    await expect(inspectZip(file, { ...LIMITS, maxEntries: 50_000 })).rejects.toThrow(/70000 entries, above the limit of 50000/);
  }, 120_000); // 70,000 entries: ~5 s alone, over 30 s while browser suites load both cores

  it('accepts a folder listed twice and small very compressible files below the ratio floor', async () => {
    const zip = buildZip([{ name: 'css/' }, { name: 'css/' }, { name: 'css/blank.css', data: ' '.repeat(200_000) }]);
    const { listing } = await intake(root, zip);
    expect(listing.fileCount).toBe(1);
  });

  it('reads limits from config', () => {
    const limits = zipLimitsFromConfig(testConfig({ maxZipEntries: 7, maxUncompressedBytes: 9, maxCompressionRatio: 3 }));
    expect(limits).toEqual({ maxEntries: 7, maxUncompressedBytes: 9, maxCompressionRatio: 3 });
  });

  it('hands the sink a stream it can fail, and reports the sink error', async () => {
    const file = path.join(root, 'a.zip');
    writeZipFile(file, [{ name: 'a.txt', data: 'a' }]);
    const listing = await inspectZip(file, LIMITS);
    await expect(extractZip(file, listing, async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    await expect(extractZip(file, listing, async () => undefined)).rejects.toThrow(/returned before consuming/);
  });
});

describe('readZipEntryText', () => {
  const entries: ZipEntrySpec[] = [
    { name: './imsmanifest.xml', data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MANIFEST)]) },
    { name: 'cmi5.xml', data: 'x'.repeat(5000) },
  ];

  it('reads a manifest by safe path, dropping the BOM, with or without a listing', async () => {
    const file = path.join(root, 'm.zip');
    writeZipFile(file, entries);
    expect(await readZipEntryText(file, 'imsmanifest.xml', 10_000)).toBe(MANIFEST);
    const listing = await inspectZip(file, LIMITS);
    expect(await readZipEntryText(file, 'imsmanifest.xml', 10_000, listing)).toBe(MANIFEST);
  });

  it('answers undefined for a missing file and refuses one above maxBytes', async () => {
    const file = path.join(root, 'm.zip');
    writeZipFile(file, entries);
    expect(await readZipEntryText(file, 'tincan.xml', 10_000)).toBeUndefined();
    await expect(readZipEntryText(file, 'cmi5.xml', 4000)).rejects.toThrow(/"cmi5\.xml" is 5000 bytes, above the limit of 4000/);
  });

  it('does not trust a lying size: stops at the declared size', async () => {
    const file = path.join(root, 'm.zip');
    writeZipFile(file, [{ name: 'imsmanifest.xml', data: 'x'.repeat(100_000), declaredSize: 100 }]);
    await expect(readZipEntryText(file, 'imsmanifest.xml', 1000)).rejects.toThrow(/inflates past its declared size of 100/);
  });
});

describe('safeEntryPath', () => {
  it('normalizes harmless forms and marks folders', () => {
    expect(safeEntryPath('./a//b/./c.html')).toEqual({ path: 'a/b/c.html', isDirectory: false });
    expect(safeEntryPath('a/b/')).toEqual({ path: 'a/b', isDirectory: true });
    expect(safeEntryPath('cafe\u0301.html').path).toBe('caf\u00e9.html');
  });
  it.each(['../x', 'a/../../x', '/x', 'C:x', 'c:/x', 'a\\b', '', 'a\u0000b', '.'])('refuses %j', (name) => {
    expect(() => safeEntryPath(name)).toThrow(/package zip: entry/);
  });
});
