import { exceedsJsonDepth, excessiveDepthPath, MAX_JSON_DEPTH } from '../../../src/http/json-depth';

const arrays = (n: number): unknown => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);

describe('JSON nesting bound', () => {
  test('counts containers, the root being level 1; scalars add nothing', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth({ a: 1 }, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: { b: 1 } }, 1)).toBe(true);
    expect(exceedsJsonDepth(arrays(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(arrays(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  test('names the first container past the bound, keys written as the validator writes them', () => {
    const value = { ok: [1, 2], 'odd key': [{ x: { y: 1 } }] };
    expect(excessiveDepthPath(value, 'statement', 3)).toBe('statement["odd key"][0].x');
    expect(excessiveDepthPath(value, 'statement', 4)).toBeUndefined();
  });

  test('walks a million levels without recursion', () => {
    const deep = arrays(1_000_000);
    expect(exceedsJsonDepth(deep)).toBe(true);
    expect(excessiveDepthPath(deep, 'body')).toBe(`body${'[0]'.repeat(MAX_JSON_DEPTH)}`);
  });
});
