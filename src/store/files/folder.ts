import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileInfo, FileSetInfo, FileStore } from '../ports';
import { pipeToNewFile } from './new-file';
import { storePathSegments } from './paths';

/** Files being written live here until renamed into place; no file set id starts with a dot. */
const INCOMING = '.incoming';

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR');
}

/**
 * The newest mtime (ms) of the files and folders under `dir`, walked with an explicit stack. What
 * disappears during the walk (a tree being deleted) is skipped.
 */
async function newestUnder(dir: string): Promise<number> {
  let newest = (await stat(dir).catch(() => undefined))?.mtimeMs ?? 0;
  const pending = [dir];
  while (pending.length > 0) {
    const d = pending.pop()!;
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) pending.push(p);
      const t = (await stat(p).catch(() => undefined))?.mtimeMs ?? 0;
      if (t > newest) newest = t;
    }
  }
  return newest;
}

/**
 * The folder FileStore: one file per path under `root`. A file is written beside the tree and
 * renamed into place, so readers never see half a file. No media type is kept (the content origin
 * derives it from the extension).
 */
export function createFolderFileStore(rootDir: string): FileStore {
  const root = resolve(rootDir);
  const full = (path: string, what?: string): string => {
    const p = join(root, ...storePathSegments(path, what));
    // Belt and braces: the segments check already rules this out.
    if (!p.startsWith(root + sep)) throw new Error(`file path ${path} resolves outside the store`);
    return p;
  };
  const infoOf = async (p: string): Promise<FileInfo | undefined> => {
    try {
      const s = await stat(p);
      if (!s.isFile()) return undefined;
      return {
        size: s.size,
        modifiedAt: s.mtime.toISOString(),
        etag: `"${s.size.toString(16)}-${Math.trunc(s.mtimeMs).toString(16)}-${s.ino.toString(16)}"`,
      };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  };

  return {
    kind: 'folder',
    async put(path: string, body: Readable) {
      const target = full(path);
      if (storePathSegments(path)[0] === INCOMING) throw new Error(`file path ${path} uses the reserved folder ${INCOMING}`);
      const tmpDir = join(root, INCOMING);
      await mkdir(tmpDir, { recursive: true });
      const tmp = join(tmpDir, randomUUID());
      let size = 0;
      try {
        await pipeToNewFile(body, tmp);
        size = (await stat(tmp)).size;
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { size };
    },
    async get(path, range) {
      const p = full(path);
      const info = await infoOf(p);
      if (!info) return undefined;
      const stream = createReadStream(p, range ? { start: range.start, end: range.end } : {});
      return { info, stream };
    },
    async stat(path) {
      return infoOf(full(path));
    },
    async deleteTree(prefix) {
      await rm(full(prefix, 'file set prefix'), { recursive: true, force: true });
    },
    async findFileSets() {
      let entries;
      try {
        entries = await readdir(root, { withFileTypes: true });
      } catch (err) {
        if (isMissing(err)) return [];
        throw err;
      }
      const out: FileSetInfo[] = [];
      for (const e of entries) {
        // .incoming (and any hidden name) is never a file set.
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        out.push({ id: e.name, modifiedAt: new Date(await newestUnder(join(root, e.name))).toISOString() });
      }
      return out;
    },
    async deleteAbandonedWrites(before) {
      const limit = Date.parse(before);
      const dir = join(root, INCOMING);
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if (isMissing(err)) return 0;
        throw err;
      }
      let removed = 0;
      for (const name of names) {
        const p = join(dir, name);
        const s = await stat(p).catch(() => undefined);
        if (!s || s.mtimeMs >= limit) continue;
        await rm(p, { recursive: true, force: true });
        removed += 1;
      }
      return removed;
    },
    async close() {
      // Nothing to release.
    },
  };
}
