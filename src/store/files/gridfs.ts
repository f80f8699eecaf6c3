import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, MongoClient, ObjectId, type GridFSFile } from 'mongodb';
import type { FileInfo, FileSetInfo, FileStore } from '../ports';
import { guard, toAppError } from '../mongo/errors';
import { storePathSegments } from './paths';

/** Where the GridFS bucket lives. */
export interface GridFsFileStoreOptions {
  readonly url: string;
  readonly dbName: string;
  /** Default `package_files` (collections package_files.files and package_files.chunks). */
  readonly bucketName?: string;
  readonly serverSelectionTimeoutMs?: number;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function infoOf(f: GridFSFile): FileInfo {
  const contentType = typeof f.metadata?.['contentType'] === 'string' ? (f.metadata['contentType'] as string) : undefined;
  return {
    size: f.length,
    modifiedAt: f.uploadDate.toISOString(),
    // The file's _id changes with every write of the path, so it is a strong validator.
    etag: `"${String(f._id)}"`,
    ...(contentType !== undefined ? { contentType } : {}),
  };
}

/**
 * The GridFS FileStore for deployments with several instances: the files live in the MongoDB
 * database itself. The filename is the store path; a path written again gets a new file and the
 * older ones are deleted, so reads take the newest.
 */
export async function openGridFsFileStore(options: GridFsFileStoreOptions): Promise<FileStore> {
  const client = new MongoClient(options.url, {
    writeConcern: { w: 'majority', journal: true },
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10000,
  });
  try {
    await client.connect();
  } catch (err) {
    throw toAppError(err, `connecting to MongoDB database ${options.dbName} for package files`);
  }
  const db = client.db(options.dbName);
  const bucketName = options.bucketName ?? 'package_files';
  const bucket = new GridFSBucket(db, { bucketName });
  const filesCollection = db.collection<GridFSFile>(`${bucketName}.files`);
  try {
    // The driver creates this index on the first upload too; here it also exists for readers.
    await filesCollection.createIndex({ filename: 1, uploadDate: 1 }, { name: 'filename_1_uploadDate_1' });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw toAppError(err, 'creating the GridFS index');
  }
  let closed = false;

  const newest = async (path: string): Promise<GridFSFile | undefined> => {
    storePathSegments(path);
    const [f] = await guard('reading a package file', () =>
      bucket.find({ filename: path }).sort({ uploadDate: -1, _id: -1 }).limit(1).toArray());
    return f;
  };

  return {
    kind: 'gridfs',
    async put(path, body: Readable, contentType) {
      storePathSegments(path);
      const upload = bucket.openUploadStream(path, contentType !== undefined ? { metadata: { contentType } } : {});
      try {
        await pipeline(body, upload);
      } catch (err) {
        await bucket.delete(upload.id).catch(() => undefined);
        throw toAppError(err, 'writing a package file');
      }
      const older = await guard('listing package file revisions', () =>
        bucket.find({ filename: path, _id: { $ne: upload.id } }, { projection: { _id: 1 } }).toArray());
      for (const f of older) await bucket.delete(f._id).catch(() => undefined);
      return { size: upload.length };
    },
    async get(path, range) {
      const f = await newest(path);
      if (!f) return undefined;
      // GridFS's end is exclusive; ours is inclusive like HTTP's.
      const stream = bucket.openDownloadStream(f._id, range ? { start: range.start, end: range.end + 1 } : {});
      return { info: infoOf(f), stream };
    },
    async stat(path) {
      const f = await newest(path);
      return f ? infoOf(f) : undefined;
    },
    async deleteTree(prefix) {
      storePathSegments(prefix, 'file set prefix');
      const files = await guard('listing package files', () =>
        bucket.find({ filename: { $regex: `^${escapeRegex(prefix)}/` } }, { projection: { _id: 1 } }).toArray());
      for (const f of files) {
        try {
          await bucket.delete(f._id);
        } catch (err) {
          // Another instance deleting the same tree got there first.
          if (!(err instanceof Error && /not found/i.test(err.message))) throw toAppError(err, 'deleting a package file');
        }
      }
    },
    async findFileSets() {
      // One pass over the file documents (small); FerretDB lacks the aggregation to group by prefix.
      const newestOf = new Map<string, number>();
      const cursor = filesCollection.find({}, { projection: { filename: 1, uploadDate: 1 } });
      try {
        for await (const f of cursor) {
          const id = f.filename.split('/')[0] ?? '';
          const t = f.uploadDate.getTime();
          if (id !== '' && t > (newestOf.get(id) ?? -Infinity)) newestOf.set(id, t);
        }
      } catch (err) {
        throw toAppError(err, 'listing package file sets');
      }
      return [...newestOf].map(([id, t]): FileSetInfo => ({ id, modifiedAt: new Date(t).toISOString() }));
    },
    async deleteAbandonedWrites(before) {
      // GridFS writes a file's chunks first and its file document last: chunks whose file
      // document is missing belong to an upload that never finished. The upload id is an
      // ObjectId, so its time says when that upload began.
      const chunks = db.collection<{ files_id: unknown }>(`${bucketName}.chunks`);
      const limit = Date.parse(before);
      const ids = (await guard('listing package file chunks', () => chunks.distinct('files_id'))).filter(
        (id): id is ObjectId => id instanceof ObjectId && id.getTimestamp().getTime() < limit,
      );
      let removed = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const batch = ids.slice(i, i + 500);
        const present = new Set((await guard('reading package files', () =>
          filesCollection.find({ _id: { $in: batch } }, { projection: { _id: 1 } }).toArray())).map((f) => String(f._id)));
        const gone = batch.filter((id) => !present.has(String(id)));
        if (gone.length > 0) {
          await guard('deleting abandoned chunks', () => chunks.deleteMany({ files_id: { $in: gone } }));
          removed += gone.length;
        }
      }
      return removed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
