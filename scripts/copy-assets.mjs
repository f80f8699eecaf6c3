// Copies non-TypeScript assets (stylesheet, browser bundles) next to the compiled server code.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pairs = [['src/web/static', 'dist/src/web/static']];
for (const [from, to] of pairs) {
  const src = path.join(root, from);
  if (!fs.existsSync(src)) continue;
  fs.rmSync(path.join(root, to), { recursive: true, force: true });
  fs.cpSync(src, path.join(root, to), { recursive: true });
}
