#!/usr/bin/env node
// Bundles the browser code in player/*.ts (not its helpers' tests) into src/web/static/player/*.js
// with esbuild: launcher.js (content origin) and player.js (app origin). The launcher loads
// scorm-again's SCORM 1.2 or 2004 runtime on demand, so those are split into chunks/ (named by
// content hash, so they can be cached for good) and a launch downloads only the one it runs.
// The bundles are generated, not committed (see .gitignore): `npm run build` and `npm test` run this.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'src', 'web', 'static', 'player');
const entries = ['launcher', 'player'];
// Old chunks would pile up otherwise (their names change with their content).
fs.rmSync(path.join(outdir, 'chunks'), { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(entries.map((e) => [e, path.join(root, 'player', `${e}.ts`)])),
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, o]) => `${path.relative(outdir, file)} ${(o.bytes / 1024).toFixed(0)} KB`);
console.log(`build-player: bundled ${entries.join(', ')} into src/web/static/player/ (${sizes.join(', ')})`);
