import type { Config } from '../../config';
import type { FileStore } from '../ports';
import { createFolderFileStore } from './folder';

/**
 * Opens the file store the configuration selects (LEARNHQ_FILE_STORE): the folder
 * LEARNHQ_PACKAGES_DIR, or GridFS in the MongoDB database of LEARNHQ_DB (its own small connection
 * pool, so the record Store needs no driver handle to share). GridFS is loaded lazily so a folder
 * deployment never loads the driver for it.
 */
export async function openFileStore(config: Pick<Config, 'fileStore' | 'packagesDir' | 'db'>): Promise<FileStore> {
  if (config.fileStore === 'gridfs') {
    if (config.db.kind !== 'mongo') throw new Error('LEARNHQ_FILE_STORE=gridfs needs LEARNHQ_DB to be a mongodb:// URL');
    const { openGridFsFileStore } = await import('./gridfs');
    return openGridFsFileStore({ url: config.db.url, dbName: config.db.dbName });
  }
  return createFolderFileStore(config.packagesDir);
}
