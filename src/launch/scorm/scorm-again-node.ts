/**
 * scorm-again's Scorm2004API class on the server, for the sequencing engine (course rollup).
 * scorm-again 3.4.3 is `"type": "module"` and its `require` entries are browser IIFE bundles
 * (`this.Scorm2004API = …`), which Node loads as ES modules where `this` is undefined, so
 * `require('scorm-again')` gives nothing usable. Node ≥ 20.19 can `require()` its ES module build,
 * reached by file path because the exports map does not list it. Runtimes that evaluate the IIFE
 * as CommonJS (Jest's module wrapper, where `this` is `module.exports`) use the package entry.
 */
import path from 'node:path';
import type { Scorm2004ApiClass } from './sequencing-engine';

let cached: Scorm2004ApiClass | undefined;

function pick(mod: unknown): Scorm2004ApiClass | undefined {
  const c = (mod as { Scorm2004API?: unknown } | null)?.Scorm2004API;
  return typeof c === 'function' ? (c as Scorm2004ApiClass) : undefined;
}

/** The Scorm2004API class; throws when neither build of scorm-again can be loaded here. */
export function scorm2004ApiClass(): Scorm2004ApiClass {
  if (cached) return cached;
  const attempts: string[] = [];
  const esm = path.join(path.dirname(require.resolve('scorm-again')), 'esm', 'scorm2004.js');
  for (const load of [() => require(esm) as unknown, () => require('scorm-again/scorm2004') as unknown]) {
    try {
      const c = pick(load());
      if (c) return (cached = c);
    } catch (err) {
      attempts.push(err instanceof Error ? err.message : String(err));
    }
  }
  throw new Error(`scorm-again: Scorm2004API could not be loaded (${attempts.join('; ') || 'no export'})`);
}
