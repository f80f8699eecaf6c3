#!/usr/bin/env node
// Bundles the browser code in player/*.ts (not its helpers' tests) into src/web/static/player/*.js
// with esbuild: launcher.js (content origin, with scorm-again) and player.js (app origin).
// The bundles are generated, not committed (see .gitignore): `npm run build` and `npm test` run this.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = ['launcher', 'player'];
await build({
  entryPoints: Object.fromEntries(entries.map((e) => [e, path.join(root, 'player', `${e}.ts`)])),
  outdir: path.join(root, 'src', 'web', 'static', 'player'),
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`build-player: bundled ${entries.join(', ')} into src/web/static/player/`);
