import { badRequest } from '../../errors';
import { SIGNATURE_USAGE_TYPE, isJsonObject } from '../model/types';
import { decodeJws, verifyJws, x5cPublicKey } from './jws';

type Obj = Record<string, unknown>;

/** Compares the signed payload with the received statement (xAPI "logically equivalent"). */
export type EquivalenceCheck = (a: Obj, b: Obj) => boolean;

/** True for an attachment object that declares itself a JWS signature. */
export function isSignatureAttachment(att: unknown): att is Obj {
  return isJsonObject(att) && att['usageType'] === SIGNATURE_USAGE_TYPE;
}

/** attachments without the signature ones; undefined when none remain. */
function withoutSignatures(attachments: unknown): unknown[] | undefined {
  if (!Array.isArray(attachments)) return undefined;
  const rest = attachments.filter((a) => !isSignatureAttachment(a));
  return rest.length > 0 ? rest : undefined;
}

/**
 * The statement as the signer saw it for comparison: properties an LRS may add or rewrite
 * ("id" when the signer left it out, "authority", "stored", "timestamp" when absent from the
 * payload, "version") are dropped from both sides, and so are the signature attachments, which
 * cannot have existed when the payload was signed (Data 2.6; Communication "Statement comparison").
 */
function comparable(s: Obj, payload: Obj): Obj {
  const out: Obj = { ...s };
  delete out['authority'];
  delete out['stored'];
  delete out['version'];
  if (!('id' in payload)) delete out['id'];
  if (!('timestamp' in payload)) delete out['timestamp'];
  const atts = withoutSignatures(s['attachments']);
  if (atts) out['attachments'] = atts;
  else delete out['attachments'];
  return out;
}

/**
 * Checks every signature attachment of one (validated, prepared) statement, Data 2.6:
 * contentType application/octet-stream, the part present, a JWS compact serialization with
 * RS256/RS384/RS512, a payload logically equivalent to the statement, and — when the JWS header
 * carries an x5c chain — a signature that verifies against its first certificate. Without x5c
 * the key is unknown to the LRS, so only structure and payload are checked (the spec only
 * requires verification against an included certificate). Throws 400 naming the problem.
 *
 * `received` is the statement as sent by the client (before the LRS filled any property).
 */
export function checkStatementSignatures(
  received: Obj,
  path: string,
  contentBySha2: ReadonlyMap<string, Buffer>,
  equivalent: EquivalenceCheck,
): void {
  const atts = received['attachments'];
  if (!Array.isArray(atts)) return;
  atts.forEach((att, i) => {
    if (!isSignatureAttachment(att)) return;
    const where = `${path}.attachments[${i}]`;
    const ct = typeof att['contentType'] === 'string' ? att['contentType'].split(';')[0]!.trim().toLowerCase() : '';
    if (ct !== 'application/octet-stream' || String(att['contentType']).includes(';')) {
      throw badRequest(`${where}.contentType must be "application/octet-stream" for a signature attachment (got ${JSON.stringify(att['contentType'])})`);
    }
    const sha2 = typeof att['sha2'] === 'string' ? att['sha2'].toLowerCase() : '';
    const content = contentBySha2.get(sha2);
    if (!content) throw badRequest(`${where}: a signature attachment must be sent as a part of the request (sha2 ${sha2})`);
    let jws;
    try {
      jws = decodeJws(content.toString('utf8'));
    } catch (err) {
      throw prefixed(err, where);
    }
    if (!isJsonObject(jws.payload)) throw badRequest(`${where}: the JWS payload is not a JSON statement object`);
    const payload = jws.payload as Obj;
    if (!equivalent(comparable(payload, payload), comparable(received, payload))) {
      throw badRequest(`${where}: the JWS payload is not logically equivalent to the statement it signs`);
    }
    const key = x5cPublicKey(jws.header);
    if (key) {
      try {
        verifyJws(jws, key);
      } catch (err) {
        throw prefixed(err, where);
      }
    }
  });
}

function prefixed(err: unknown, where: string): unknown {
  if (err instanceof Error && 'status' in err) err.message = `${where}: ${err.message}`;
  return err;
}
