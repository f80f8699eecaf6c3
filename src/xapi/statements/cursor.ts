import { createHmac, timingSafeEqual } from 'node:crypto';
import { badRequest } from '../../errors';
import type { StatementFormat } from './query-params';

/** Everything needed to continue a statement query: the query itself plus where it stopped. */
export interface QueryCursor {
  /** Index keys of the query, without the credential restriction (re-applied on every page). */
  readonly refs: readonly string[];
  readonly since?: string;
  readonly until?: string;
  readonly ascending: boolean;
  readonly limit: number;
  readonly format: StatementFormat;
  readonly attachments: boolean;
  /** seq of the last statement already returned. */
  readonly afterSeq: number;
  /** Credential the cursor was issued to; another credential cannot use it. */
  readonly credentialKey: string;
}

interface Wire {
  r: string[];
  s?: string;
  u?: string;
  a: 0 | 1;
  l: number;
  f: StatementFormat;
  t: 0 | 1;
  q: number;
  c: string;
}

/**
 * Opaque `more` tokens: base64url JSON of the cursor plus a truncated HMAC-SHA256 under a server
 * key, so a client cannot edit the query (e.g. widen it) or the position. Being self-contained,
 * any instance sharing the key can continue any cursor, and a cursor stays right while new
 * statements arrive because it holds a seq, not an offset.
 */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(c: QueryCursor): string {
    const wire: Wire = {
      r: [...c.refs],
      ...(c.since !== undefined ? { s: c.since } : {}),
      ...(c.until !== undefined ? { u: c.until } : {}),
      a: c.ascending ? 1 : 0,
      l: c.limit,
      f: c.format,
      t: c.attachments ? 1 : 0,
      q: c.afterSeq,
      c: c.credentialKey,
    };
    const body = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The cursor in `token`; 400 when it is malformed or was not issued by a server with this key. */
  decode(token: string): QueryCursor {
    const bad = () => badRequest('query parameter more is not a valid continuation token from this LRS');
    const dot = token.indexOf('.');
    if (dot <= 0) throw bad();
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw bad();
    let w: Wire;
    try {
      w = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Wire;
    } catch {
      throw bad();
    }
    if (!Array.isArray(w.r) || typeof w.q !== 'number' || typeof w.l !== 'number' || typeof w.c !== 'string') throw bad();
    return {
      refs: w.r,
      ...(w.s !== undefined ? { since: w.s } : {}),
      ...(w.u !== undefined ? { until: w.u } : {}),
      ascending: w.a === 1,
      limit: w.l,
      format: w.f,
      attachments: w.t === 1,
      afterSeq: w.q,
      credentialKey: w.c,
    };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
