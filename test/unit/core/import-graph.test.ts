/**
 * The import graph of src/ (issue 13): no circle (type imports count too), and dependencies point
 * down: the LRS (src/xapi) imports nothing of the feature areas, the pipeline nothing above the LRS.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** file (relative to src) -> the src files it imports, type imports included. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const re = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+'(\.[^']+)'/g;
  for (const file of sources(SRC)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(re)) {
      const target = resolve(dirname(file), m[1]!);
      const hit = [`${target}.ts`, join(target, 'index.ts')].find((c) => existsSync(c));
      if (hit) deps.push(relative(SRC, hit));
    }
    g.set(relative(SRC, file), deps);
  }
  return g;
}

/** Strongly connected components with more than one file (or a file importing itself). */
function circles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

const area = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.ts$/, ''));

/** Areas each lower area may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  // accounts below the LRS: launch tokens and the KDF gate of credentials.
  xapi: ['store', 'errors', 'config', 'logger', 'http', 'accounts'],
  pipeline: ['xapi', 'store', 'errors', 'config', 'logger'],
};

describe('import graph of src/', () => {
  const g = graph();

  it('reads the source tree', () => {
    expect(g.get('xapi/statements/write-service.ts')).toEqual(expect.arrayContaining(['errors.ts']));
  });

  it('has no circle', () => {
    expect(circles(g)).toEqual([]);
  });

  it.each(Object.keys(ALLOWED))('%s imports only the areas below it', (name) => {
    const wrong = [...g].flatMap(([file, deps]) =>
      area(file) !== name ? [] : deps.filter((d) => area(d) !== name && !ALLOWED[name]!.includes(area(d))).map((d) => `${file} -> ${d}`));
    expect(wrong).toEqual([]);
  });
});
