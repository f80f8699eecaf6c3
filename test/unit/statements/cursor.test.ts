import { randomBytes } from 'node:crypto';
import { CursorCodec, type QueryCursor } from '../../../src/xapi/statements/cursor';

const cursor: QueryCursor = {
  refs: ['v|http://x.y/z', 'A|mbox:mailto:a@b.c'], since: '2024-01-01T00:00:00.000Z', ascending: true,
  limit: 25, format: 'ids', attachments: false, afterSeq: 1234, credentialKey: 'key1',
};

describe('CursorCodec', () => {
  const codec = new CursorCodec(randomBytes(32));

  test('round-trips a cursor through an opaque URL-safe token', () => {
    const token = codec.encode(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(token)).toEqual(cursor);
  });

  test('refuses edited tokens and tokens from another key', () => {
    const token = codec.encode(cursor);
    const [body, mac] = token.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), r: [] })).toString('base64url');
    expect(() => codec.decode(`${edited}.${mac}`)).toThrow(/not a valid continuation token/);
    expect(() => new CursorCodec(randomBytes(32)).decode(token)).toThrow(/not a valid continuation token/);
    expect(() => codec.decode('garbage')).toThrow(/not a valid continuation token/);
  });
});
