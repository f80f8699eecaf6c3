import type { RequestHandler } from 'express';
import { badRequest } from '../../errors';
import type { XapiVersion } from '../model/types';

export const VERSION_HEADER = 'X-Experience-API-Version';
export const SUPPORTED_VERSIONS: readonly XapiVersion[] = ['2.0.0', '1.0.3'];

/**
 * Maps a requested version to the one we serve: any 2.0.x is served as 2.0.0 and any 1.0.x as
 * 1.0.3 (patch versions are compatible by the spec's versioning rules); anything else is refused.
 */
export function negotiateVersion(header: string | undefined): XapiVersion | undefined {
  if (header === undefined) return undefined;
  const v = header.trim();
  if (/^2\.0(\.\d+)?$/.test(v)) return '2.0.0';
  if (/^1\.0(\.\d+)?$/.test(v)) return '1.0.3';
  return undefined;
}

/**
 * Requires X-Experience-API-Version on every request (the caller exempts /about and CORS
 * preflight) and echoes the version used, on errors too. Without a usable header the response
 * carries the newest version we speak.
 */
export function versionMiddleware(): RequestHandler {
  return (req, res, next) => {
    const header = req.get(VERSION_HEADER);
    const version = negotiateVersion(header);
    res.setHeader(VERSION_HEADER, version ?? '2.0.0');
    if (!version) {
      next(
        badRequest(
          header === undefined
            ? `the ${VERSION_HEADER} header is required (supported: ${SUPPORTED_VERSIONS.join(', ')})`
            : `${VERSION_HEADER} "${header}" is not supported (supported: ${SUPPORTED_VERSIONS.join(', ')})`,
        ),
      );
      return;
    }
    res.locals['xapiVersion'] = version;
    next();
  };
}
