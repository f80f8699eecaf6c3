import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { startTempFile } from '../../../../src/packages/upload/temp-file';
import { tempDir } from './intake-helpers';
import { slowFileOpens } from '../../../helpers/slow-open';

/** The files under `dir` that this process still holds open (Linux: /proc/self/fd). */
function openFilesUnder(dir: string): string[] {
  const held: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    const target = (() => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    if (target.startsWith(dir)) held.push(target);
  }
  return held;
}

const linux = process.platform === 'linux' ? it : it.skip;

describe('startTempFile', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  // An upload refused before its first byte (a multipart body without a boundary) aborts the
  // temp file while its open is still in flight. If `done` settled before the file stream closed,
  // the delete could run before the open and the open would leave the file behind (a CI flake,
  // ~1 in 3,000 uploads). Here every open is slowed, so the race always happens.
  linux('settles an aborted write only once the file is closed and deleted, even while the open is slow', async () => {
    const dir = path.join(root, 'tmp');
    const slowOpen = slowFileOpens(20);
    try {
      for (let i = 0; i < 3; i++) {
        const file = await startTempFile(dir, 1000);
        file.abort(new Error('refused'));
        await expect(file.done).rejects.toThrow('refused');
        expect(openFilesUnder(dir)).toEqual([]);
        await new Promise((r) => setTimeout(r, 40));
        expect(fs.readdirSync(dir)).toEqual([]);
      }
      expect(slowOpen).toHaveBeenCalled();
    } finally {
      slowOpen.mockRestore();
    }
  });

  linux('settles a complete write with the file closed, its size and hash', async () => {
    const dir = path.join(root, 'tmp');
    const file = await startTempFile(dir, 1000);
    file.input.end(Buffer.from('hello'));
    await expect(file.done).resolves.toEqual({ bytes: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    expect(openFilesUnder(dir)).toEqual([]);
    expect(fs.readFileSync(file.path, 'utf8')).toBe('hello');
  });
});
