import { multipartBoundary, parseMultipart } from '../../../src/xapi/multipart/parse';
import { newBoundary, writeMultipart } from '../../../src/xapi/multipart/write';

describe('multipartBoundary', () => {
  test('reads quoted and bare boundaries, case-insensitively', () => {
    expect(multipartBoundary('multipart/mixed; boundary=abc123')).toBe('abc123');
    expect(multipartBoundary('multipart/mixed; BOUNDARY="a b:c"; charset=x')).toBe('a b:c');
    expect(multipartBoundary('multipart/mixed')).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
  });
});

describe('parseMultipart', () => {
  test('keeps bodies byte-exact, including CRLF and boundary-like text inside', () => {
    const tricky = Buffer.from('line1\r\n--bn\r\nx--bnd\r\n\x00\xff', 'latin1');
    const body = Buffer.concat([
      Buffer.from('preamble to ignore\r\n--bnd\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--bnd\r\nX-Experience-API-Hash: h\r\n\r\n'),
      tricky,
      Buffer.from('\r\n--bnd--\r\nepilogue'),
    ]);
    const parts = parseMultipart(body, 'bnd');
    expect(parts).toHaveLength(2);
    expect(parts[0]!.headers['content-type']).toBe('application/json');
    expect(parts[0]!.body.toString()).toBe('{"a":1}');
    expect(parts[1]!.headers['x-experience-api-hash']).toBe('h');
    expect(parts[1]!.body.equals(tricky)).toBe(true);
  });

  test('accepts a body starting with CRLF before the first boundary and headers without a space', () => {
    const body = Buffer.from('\r\n--b\r\nContent-Type:application/json\r\n\r\n[]\r\n--b--');
    const [p] = parseMultipart(body, 'b');
    expect(p!.headers['content-type']).toBe('application/json');
    expect(p!.body.toString()).toBe('[]');
  });

  test('a part without headers and an empty body', () => {
    const parts = parseMultipart(Buffer.from('--b\r\n\r\n\r\n--b--'), 'b');
    expect(parts).toEqual([{ headers: {}, body: Buffer.alloc(0) }]);
  });

  test('rejects a missing boundary, a missing close and malformed headers', () => {
    expect(() => parseMultipart(Buffer.from('nothing here'), 'b')).toThrow(/no boundary/);
    expect(() => parseMultipart(Buffer.from('--b\r\nA: 1\r\n\r\nx'), 'b')).toThrow(/closing boundary/);
    expect(() => parseMultipart(Buffer.from('--b\r\nnot a header\r\n\r\nx\r\n--b--'), 'b')).toThrow(/malformed part header/);
  });
});

describe('writeMultipart', () => {
  test('round-trips through the parser', () => {
    const boundary = newBoundary();
    const bin = Buffer.from([0, 13, 10, 45, 45, 255]);
    const out = writeMultipart([
      { headers: { 'Content-Type': 'application/json' }, body: '{"statements":[]}' },
      { headers: { 'Content-Type': 'application/octet-stream', 'X-Experience-API-Hash': 'abc' }, body: bin },
    ], boundary);
    expect(out.toString('latin1').endsWith(`--${boundary}--\r\n`)).toBe(true);
    const parts = parseMultipart(out, boundary);
    expect(parts[0]!.body.toString()).toBe('{"statements":[]}');
    expect(parts[1]!.body.equals(bin)).toBe(true);
    expect(parts[1]!.headers['x-experience-api-hash']).toBe('abc');
  });

  test('boundaries are fresh and need no quoting', () => {
    const a = newBoundary();
    expect(a).not.toBe(newBoundary());
    expect(a).toMatch(/^[A-Za-z0-9]+$/);
  });
});
