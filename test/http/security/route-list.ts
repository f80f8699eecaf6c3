/**
 * Every route of an Express 5 app, read from its router stack at test time: `METHOD /path`
 * strings (`ALL` for router.all), mount paths joined. A route added anywhere shows up here, so
 * the access matrix fails until it has an entry.
 */
import type { Express } from 'express';

interface Layer {
  readonly rawPath?: unknown;
  readonly slash?: boolean;
  readonly route?: { readonly path: unknown; readonly methods: Readonly<Record<string, boolean>> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

function paths(p: unknown): string[] {
  if (typeof p === 'string') return [p];
  if (Array.isArray(p)) return p.flatMap(paths);
  // A RegExp path cannot be listed by name: keep it visible so the matrix must name it.
  return [String(p)];
}

function walk(stack: readonly Layer[], prefix: string, out: Set<string>): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const p of paths(layer.route.path)) {
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (on) out.add(`${m === '_all' ? 'ALL' : m.toUpperCase()} ${prefix}${p}`);
        }
      }
      continue;
    }
    const inner = layer.handle?.stack;
    if (Array.isArray(inner)) {
      const mount = !layer.slash && typeof layer.rawPath === 'string' ? layer.rawPath : '';
      walk(inner, `${prefix}${mount}`, out);
    }
  }
}

/** The app's routes, sorted. */
export function listRoutes(app: Express): string[] {
  const router = (app as unknown as { router?: { stack?: readonly Layer[] } }).router;
  if (!router?.stack) throw new Error('not an Express 5 app: app.router.stack is missing');
  const out = new Set<string>();
  walk(router.stack, '', out);
  return [...out].sort();
}
