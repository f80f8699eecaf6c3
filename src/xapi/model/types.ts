/**
 * Shared xAPI data types. Statements travel as plain JSON; these light types document the shapes
 * that the validator guarantees without pretending to be a full schema.
 */

/** The xAPI versions this LRS speaks (negotiated from X-Experience-API-Version). */
export type XapiVersion = '2.0.0' | '1.0.3';

export const XAPI_VERSIONS: readonly XapiVersion[] = ['2.0.0', '1.0.3'];

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** A parsed JSON object (no undefined values, no functions). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A validated Statement (or SubStatement) as JSON. */
export type StatementJson = JsonObject;

/** What the model functions accept: a statement as JSON, typed loosely as stores hand it back. */
export type StatementInput = Readonly<Record<string, unknown>>;

/** An Agent's account IFI. */
export interface AccountJson {
  homePage: string;
  name: string;
}

/** An Agent or Group; exactly one IFI for Agents and identified Groups, `member` for anonymous Groups. */
export interface ActorJson {
  objectType?: 'Agent' | 'Group';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: AccountJson;
  member?: ActorJson[];
}

/** The verb whose statements void their StatementRef target. */
export const VOIDED_VERB_ID = 'http://adlnet.gov/expapi/verbs/voided';

/** usageType of a JWS signature attachment (Data 2.6). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
