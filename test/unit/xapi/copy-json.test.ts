import { copyJson } from '../../../src/xapi/model/copy-json';
import { MAX_JSON_DEPTH } from '../../../src/http/json-depth';
import type { JsonValue } from '../../../src/xapi/model/types';

describe('copyJson', () => {
  test('copies nested objects and arrays deeply, equal in content', () => {
    const src = JSON.parse('{"a":{"b":[1,{"c":"x"},null,true]},"d":2.5,"e":[]}') as JsonValue;
    const out = copyJson(src);
    expect(out).toEqual(src);
    expect(out).not.toBe(src);
    const o = out as { a: { b: [number, { c: string }] } };
    o.a.b[1].c = 'changed';
    expect((src as { a: { b: [number, { c: string }] } }).a.b[1].c).toBe('x');
  });

  test('returns primitives as they are', () => {
    for (const v of ['s', 0, -1.5, true, false, null, undefined]) expect(copyJson(v as JsonValue)).toBe(v);
  });

  test('keeps a "__proto__" key as data without changing the prototype', () => {
    const src = JSON.parse('{"__proto__":{"polluted":1},"k":1}') as JsonValue;
    const out = copyJson(src) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'k']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.stringify(out)).toBe(JSON.stringify(src));
  });
});

describe('copyJson past the nesting bound (issue 11)', () => {
  test('refuses with 400 instead of overflowing the stack, and copies right up to the bound', () => {
    const deep = JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) as JsonValue;
    expect(() => copyJson(deep)).toThrow(expect.objectContaining({ code: 'bad_request', status: 400 }));
    const ok = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`) as JsonValue;
    expect(copyJson(ok)).toEqual(ok);
  });
});
