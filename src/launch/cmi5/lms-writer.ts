/**
 * Stores the LMS's cmi5 statements through the ordinary statement write path, so the progress
 * projection and the organization keys apply to them as to any other statement. The writer is
 * the LMS itself: a site-level caller without restriction (so no cmi5 rule applies to it).
 */
import { storeStatements } from '../../xapi/statements/write-service';
import { lmsWriterOf, type LmsWriter } from './lms-statements';

/** Stores statements as the LMS; returns their ids. */
export const writeAsLms: LmsWriter = lmsWriterOf(storeStatements);
