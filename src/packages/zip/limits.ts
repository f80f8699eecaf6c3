import type { Config } from '../../config';
import type { ZipLimits } from './types';

/** Ratios are judged only above this many uncompressed bytes (see ZipLimits.ratioFloorBytes). */
export const DEFAULT_RATIO_FLOOR_BYTES = 1024 * 1024;

/** The zip limits of a deployment, from LEARNHQ_MAX_ZIP_ENTRIES and friends (docs/env.md). */
export function zipLimitsFromConfig(
  config: Pick<Config, 'maxZipEntries' | 'maxUncompressedBytes' | 'maxCompressionRatio'>,
): ZipLimits {
  return {
    maxEntries: config.maxZipEntries,
    maxUncompressedBytes: config.maxUncompressedBytes,
    maxCompressionRatio: config.maxCompressionRatio,
  };
}

/** Limits with their optional parts filled in. */
export type ResolvedZipLimits = Required<ZipLimits>;

export function resolveLimits(limits: ZipLimits): ResolvedZipLimits {
  return {
    maxEntries: limits.maxEntries,
    maxUncompressedBytes: limits.maxUncompressedBytes,
    maxEntryBytes: Math.min(limits.maxEntryBytes ?? limits.maxUncompressedBytes, limits.maxUncompressedBytes),
    maxCompressionRatio: limits.maxCompressionRatio,
    ratioFloorBytes: limits.ratioFloorBytes ?? DEFAULT_RATIO_FLOOR_BYTES,
  };
}
