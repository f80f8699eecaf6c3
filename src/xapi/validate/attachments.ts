/** Attachment rules (Data 2.4.11). */
import { SIGNATURE_USAGE_TYPE, type XapiVersion } from '../model/types';
import { checkIri, checkLanguageMap, checkProperties, checkString, fail, requireArray, requireObject } from './checks';
import { isMediaType } from './primitives';

const ATTACHMENT_KEYS = ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'];

export function validateAttachments(value: unknown, path: string, version: XapiVersion): void {
  requireArray(value, path).forEach((item, i) => {
    const apath = `${path}[${i}]`;
    const att = requireObject(item, apath);
    checkProperties(att, apath, ATTACHMENT_KEYS);
    for (const key of ['usageType', 'display', 'contentType', 'length', 'sha2']) {
      if (att[key] === undefined) fail(`${apath}.${key}`, 'is required');
    }
    checkIri(att.usageType, `${apath}.usageType`);
    checkLanguageMap(att.display, `${apath}.display`, version);
    if (att.description !== undefined) checkLanguageMap(att.description, `${apath}.description`, version);
    checkString(att.contentType, `${apath}.contentType`);
    if (!isMediaType(att.contentType)) fail(`${apath}.contentType`, 'must be an Internet media type such as text/plain');
    if (typeof att.length !== 'number' || !Number.isInteger(att.length) || att.length < 0) {
      fail(`${apath}.length`, 'must be a non-negative integer (octets)');
    }
    const sha2 = checkString(att.sha2, `${apath}.sha2`);
    if (!/^[0-9a-fA-F]+$/.test(sha2)) fail(`${apath}.sha2`, 'must be a SHA-2 hash in hex digits');
    if (att.fileUrl !== undefined) checkIri(att.fileUrl, `${apath}.fileUrl`, 'IRL');
    // Data 2.6: a JWS signature attachment is sent as application/octet-stream.
    if (att.usageType === SIGNATURE_USAGE_TYPE && String(att.contentType).split(';')[0]?.trim().toLowerCase() !== 'application/octet-stream') {
      fail(`${apath}.contentType`, 'must be "application/octet-stream" for a signature attachment');
    }
  });
}
