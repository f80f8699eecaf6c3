import { buildZip, deflatedZeros, truncateZip, type ZipEntrySpec } from '../../../fixtures/zip-builder';
import { LIMITS, refused } from './intake-helpers';

const page = { name: 'index.html', data: '<h1>hi</h1>' } satisfies ZipEntrySpec;

async function expectRefusal(zip: Buffer, pattern: RegExp, limits = LIMITS): Promise<void> {
  const err = await refused(zip, limits);
  expect(err.code).toBe('bad_request');
  expect(err.message).toMatch(pattern);
}

describe('inspectZip + extractZip refuse hostile archives and leave nothing behind', () => {
  describe('paths', () => {
    it('refuses a ".." segment', async () => {
      await expectRefusal(buildZip([page, { name: 'a/../../evil.txt', data: 'x' }]), /"a\/\.\.\/\.\.\/evil\.txt" climbs out/);
    });
    it('refuses an absolute path', async () => {
      await expectRefusal(buildZip([page, { name: '/etc/cron.d/evil', data: 'x' }]), /"\/etc\/cron\.d\/evil" has an absolute path/);
    });
    it('refuses a drive letter', async () => {
      await expectRefusal(buildZip([page, { name: 'C:/Windows/evil.dll', data: 'x' }]), /"C:\/Windows\/evil\.dll" has a drive letter/);
    });
    it('refuses a backslash', async () => {
      await expectRefusal(buildZip([page, { name: '..\\evil.txt', data: 'x' }]), /"\.\.\\\\evil\.txt" has a backslash/);
    });
    it('refuses a control character in a name', async () => {
      await expectRefusal(buildZip([page, { name: Buffer.from('a\x00b.txt', 'latin1'), data: 'x' }]), /control character/);
    });
  });

  describe('entry kinds', () => {
    it('refuses a symlink (unix mode S_IFLNK)', async () => {
      await expectRefusal(buildZip([page, { name: 'link', data: '/etc/passwd', method: 'store', unixMode: 0o120777 }]), /"link" is a symbolic link/);
    });
    it('refuses an encrypted entry', async () => {
      await expectRefusal(buildZip([page, { name: 'secret.js', data: 'x', encrypted: true }]), /"secret\.js" is encrypted/);
    });
    it('refuses an unsupported compression method', async () => {
      await expectRefusal(buildZip([page, { name: 'a.bz2', data: 'x', method: 12 }]), /"a\.bz2" uses compression method 12/);
    });
  });

  describe('names that collide', () => {
    it('refuses a duplicate name', async () => {
      await expectRefusal(buildZip([page, { name: 'index.html', data: 'other' }]), /"index\.html" appears twice/);
    });
    it('refuses names differing only in case', async () => {
      await expectRefusal(buildZip([page, { name: 'INDEX.html', data: 'x' }]), /"INDEX\.html" collides with entry "index\.html"/);
    });
    it('refuses names equal after Unicode NFC normalization', async () => {
      await expectRefusal(buildZip([{ name: 'caf\u00e9.html', data: 'a' }, { name: 'cafe\u0301.html', data: 'b' }]), /collides with entry "caf\u00e9\.html"/);
    });
    it('refuses a name used as a file and as a folder', async () => {
      await expectRefusal(buildZip([{ name: 'scripts', data: 'a' }, { name: 'scripts/app.js', data: 'b' }]), /"scripts\/app\.js" needs a folder where entry "scripts" is a file/);
    });
  });

  describe('zip bombs and limits', () => {
    it('refuses more entries than the limit', async () => {
      const zip = buildZip([page, { name: 'a', data: '1' }, { name: 'b', data: '2' }, { name: 'c', data: '3' }]);
      await expectRefusal(zip, /has 4 entries, above the limit of 3/, { ...LIMITS, maxEntries: 3 });
    });
    it('refuses more uncompressed bytes than the limit', async () => {
      const big = Buffer.alloc(600 * 1024, 1);
      const zip = buildZip([{ name: 'a.bin', data: big, method: 'store' }, { name: 'b.bin', data: big, method: 'store' }]);
      await expectRefusal(zip, /expands to more than 1\.0 MiB .* at entry "b\.bin"/, { ...LIMITS, maxUncompressedBytes: 1024 * 1024 });
    });
    it('refuses an entry above the per-entry size limit', async () => {
      const zip = buildZip([{ name: 'video.mp4', data: Buffer.alloc(300 * 1024, 1), method: 'store' }]);
      await expectRefusal(zip, /"video\.mp4" is 0\.3 MiB uncompressed, above the limit of 0\.2 MiB per entry/, { ...LIMITS, maxEntryBytes: 200 * 1024 });
    });
    it('refuses an entry whose compression ratio is above the limit', async () => {
      const zip = buildZip([page, { name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]);
      await expectRefusal(zip, /"zeros\.bin" has a compression ratio of \d+, above the limit of 100/);
    });
    it('refuses an archive whose overall ratio is above the limit (many small bombs)', async () => {
      const entries = Array.from({ length: 20 }, (_, i) => ({ name: `z${i}.bin`, data: Buffer.alloc(900 * 1024) }));
      await expectRefusal(buildZip(entries), /expands \d+ times its size, above the compression ratio limit of 100/);
    });
    it('stops an entry that inflates past its declared size (lying header)', async () => {
      const zip = buildZip([page, { name: 'liar.bin', data: Buffer.alloc(1000), declaredSize: 1000, rawData: deflatedZeros(64 * 1024 * 1024) }]);
      await expectRefusal(zip, /"liar\.bin" inflates past its declared size of 1000 bytes/);
    });
  });

  describe('corrupt and truncated archives', () => {
    const good = buildZip([page, { name: 'app.js', data: 'console.log(1)'.repeat(50) }]);

    it('refuses a truncated archive (no end record)', async () => {
      await expectRefusal(truncateZip(good, Math.floor(good.length / 2)), /corrupt or truncated/);
    });
    it('refuses bytes that are not a zip at all', async () => {
      await expectRefusal(Buffer.from('this is not a zip file, just text'.repeat(10)), /corrupt or truncated/);
    });
    it('refuses a bad central directory signature', async () => {
      const zip = Buffer.from(good);
      const at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      zip.writeUInt32LE(0x02014b51, at);
      await expectRefusal(zip, /invalid central directory file header signature/);
    });
    it('refuses a local header that disagrees with the central directory', async () => {
      await expectRefusal(buildZip([page, { name: 'app.js', localName: 'evil.js', data: 'x' }]), /local header of entry "app\.js" does not match the central directory/);
    });
    it('refuses a stored entry whose sizes disagree', async () => {
      await expectRefusal(buildZip([page, { name: 'a.txt', data: 'abc', method: 'store', declaredSize: 5 }]), /stored entry "a\.txt" declares 3 compressed bytes but 5 uncompressed/);
    });
    it('refuses entry data that runs past the end of the entries', async () => {
      await expectRefusal(buildZip([page, { name: 'a.txt', data: 'abc', declaredCompressedSize: 5000 }]), /corrupt|overflows/);
    });
    it('refuses overlapping entries', async () => {
      const b = { name: 'b.txt', data: 'bbbb', method: 'store' } as const;
      const bLength = buildZip([b]).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      const aSize = 10 + bLength;
      const zip = buildZip([{ name: 'a.txt', data: 'a'.repeat(10), method: 'store', declaredSize: aSize, declaredCompressedSize: aSize }, b]);
      await expectRefusal(zip, /entries "a\.txt" and "b\.txt" overlap/);
    });
    it('refuses a CRC-32 mismatch found while extracting', async () => {
      await expectRefusal(buildZip([page, { name: 'app.js', data: 'let a = 1;', declaredCrc: 0x12345678 }]), /CRC-32 mismatch in entry "app\.js"/);
    });
    it('refuses an entry with fewer bytes than declared', async () => {
      await expectRefusal(buildZip([page, { name: 'short.txt', data: 'x'.repeat(100), declaredSize: 200 }]), /"short\.txt" holds 100 bytes but declares 200/);
    });
    it('refuses deflate data that is cut short', async () => {
      const deflated = require('node:zlib').deflateRawSync(Buffer.from('hello world '.repeat(200))) as Buffer;
      await expectRefusal(buildZip([page, { name: 'cut.txt', data: 'hello world '.repeat(200), rawData: deflated.subarray(0, 10) }]), /entry "cut\.txt" cannot be read/);
    });
  });
});
