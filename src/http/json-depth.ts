/**
 * A bound on JSON nesting, checked where bodies enter the service (issue 11 item 15). JSON.parse
 * copes with any depth, but much of what follows recurses (JSON.stringify, deep copies, statement
 * comparison, validation), so a few thousand nested arrays would overflow the stack and answer
 * 500. Real content stays far below the bound: the deepest legitimate shapes we know (a
 * SubStatement's context activity definitions with extension objects, editor documents kept in
 * State, SCORM cmi trees) nest fewer than 30 levels. docs/security.md states the limit.
 */
import { badRequest } from '../errors';

/** Most containers (objects and arrays) nested in one JSON value; the root container is level 1. */
export const MAX_JSON_DEPTH = 100;

/** How one step into a container is written in a path: `.key`, `["odd key"]` or `[3]`. */
function step(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

interface Frame {
  readonly value: object;
  readonly depth: number;
  /** Index of the parent frame in `seen`, -1 for the root. */
  readonly parent: number;
  readonly key: string | number;
}

/**
 * True when `root` holds containers nested deeper than `limit`. Iterative (an explicit stack), so
 * it never recurses however deep the input is; two parallel arrays keep it cheap on the statement
 * write path, where it runs for every request.
 */
export function exceedsJsonDepth(root: unknown, limit = MAX_JSON_DEPTH): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const d = depths.pop()!;
    if (d > limit) return true;
    if (Array.isArray(v)) {
      for (const c of v as unknown[]) {
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    } else {
      for (const k in v) {
        const c: unknown = (v as Record<string, unknown>)[k];
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}

/**
 * The path of the first container nested deeper than `limit` under `root` (named `rootName`),
 * or undefined when the value stays within it. Iterative like exceedsJsonDepth, which it runs
 * first: the path is only built for a value that fails.
 */
export function excessiveDepthPath(root: unknown, rootName: string, limit = MAX_JSON_DEPTH): string | undefined {
  if (!exceedsJsonDepth(root, limit) || typeof root !== 'object' || root === null) return undefined;
  const seen: Frame[] = [];
  const stack: number[] = [];
  seen.push({ value: root, depth: 1, parent: -1, key: '' });
  stack.push(0);
  while (stack.length > 0) {
    const at = stack.pop()!;
    const frame = seen[at]!;
    if (frame.depth > limit) {
      const parts: string[] = [];
      for (let f: Frame | undefined = frame; f && f.parent >= 0; f = seen[f.parent]) parts.push(step(f.key));
      return rootName + parts.reverse().join('');
    }
    const v = frame.value;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const c: unknown = v[i];
        if (typeof c === 'object' && c !== null) {
          seen.push({ value: c, depth: frame.depth + 1, parent: at, key: i });
          stack.push(seen.length - 1);
        }
      }
    } else {
      for (const k in v) {
        const c: unknown = (v as Record<string, unknown>)[k];
        if (typeof c === 'object' && c !== null) {
          seen.push({ value: c, depth: frame.depth + 1, parent: at, key: k });
          stack.push(seen.length - 1);
        }
      }
    }
  }
  return undefined;
}

/** 400 naming the path when `value` nests deeper than MAX_JSON_DEPTH. */
export function assertJsonDepth(value: unknown, rootName: string): void {
  const path = excessiveDepthPath(value, rootName);
  if (path !== undefined) {
    throw badRequest(`${path}: JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`);
  }
}
