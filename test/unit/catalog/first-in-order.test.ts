/**
 * firstInOrder (the catalog's paging without a whole sort) gives exactly what sorting everything
 * and taking the first k gives, for every k, with many equal keys broken by a unique id.
 */
import { firstInOrder } from '../../../src/catalog/search';

interface Item { readonly score: number; readonly id: string }

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('firstInOrder', () => {
  const cmp = (a: Item, b: Item): number => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  it.each([1, 7, 42])('matches a full sort (seed %i)', (seed) => {
    const r = rng(seed);
    const xs: Item[] = Array.from({ length: 500 }, (_, i) => ({ score: Math.floor(r() * 10), id: `e-${Math.floor(r() * 1e6)}-${i}` }));
    const sorted = [...xs].sort(cmp);
    for (const k of [0, 1, 2, 19, 20, 60, 100, 124, 125, 126, 499, 500, 501, 1000]) {
      expect(firstInOrder(xs, k, cmp)).toEqual(sorted.slice(0, k));
    }
    // The input is left as it was.
    expect(xs.map((x) => x.id)).not.toEqual(sorted.map((x) => x.id));
  });
});
