import { badRequest } from '../../errors';
import type { AttachmentContent } from '../../store/ports';
import { isJsonObject, type JsonObject } from '../model/types';
import type { AttachmentPart } from './request-body';

/** Every attachment declaration of a statement, SubStatement included, with its path. */
export function attachmentDeclarations(s: JsonObject, path: string): { att: JsonObject; path: string }[] {
  const out: { att: JsonObject; path: string }[] = [];
  const atts = s['attachments'];
  if (Array.isArray(atts)) atts.forEach((a, i) => { if (isJsonObject(a)) out.push({ att: a, path: `${path}.attachments[${i}]` }); });
  const obj = s['object'];
  if (isJsonObject(obj) && obj['objectType'] === 'SubStatement') out.push(...attachmentDeclarations(obj, `${path}.object`));
  return out;
}

/**
 * Matches declared attachments with the parts sent (Communication 1.5.2): an attachment without
 * fileUrl must come as a part; every part must be declared by some attachment's sha2. Returns the
 * contents to store, typed with the declared contentType.
 */
export function matchAttachments(
  statements: readonly JsonObject[],
  paths: readonly string[],
  parts: ReadonlyMap<string, AttachmentPart>,
  multipart: boolean,
): AttachmentContent[] {
  const declared = new Map<string, string>();
  statements.forEach((s, i) => {
    for (const { att, path } of attachmentDeclarations(s, paths[i]!)) {
      const sha2 = typeof att['sha2'] === 'string' ? att['sha2'].toLowerCase() : '';
      if (!declared.has(sha2)) declared.set(sha2, typeof att['contentType'] === 'string' ? att['contentType'] : 'application/octet-stream');
      if (att['fileUrl'] === undefined && !parts.has(sha2)) {
        throw badRequest(
          multipart
            ? `${path}: no multipart part carries this attachment (X-Experience-API-Hash ${sha2}); send it or give a fileUrl`
            : `${path}: an attachment without fileUrl must be sent in a multipart/mixed request with its content`,
        );
      }
    }
  });
  const out: AttachmentContent[] = [];
  for (const [sha2, p] of parts) {
    const contentType = declared.get(sha2);
    if (contentType === undefined) throw badRequest(`multipart part with X-Experience-API-Hash ${sha2} matches no attachment of the statements`);
    out.push({ sha2, contentType, content: p.content });
  }
  return out;
}
