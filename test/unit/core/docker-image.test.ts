/**
 * Issue 11 item 18: the image's build stage gets every file the build compiles. tsconfig.build.json
 * once compiled bench/, which imports test/fixtures, a folder the Dockerfile never copies, so the
 * image did not build. This compares what tsc compiles with what the Dockerfile copies (minus
 * .dockerignore); scripts/check-image.ts (run by .ci/run) builds and starts the image's contents.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildContextFiles, dockerignoreMatcher, parseDockerfile } from '../../../scripts/check-image';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const plan = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));

describe('the container image', () => {
  it('copies into the build stage every source file that tsconfig.build.json compiles', () => {
    const ignored = dockerignoreMatcher(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'));
    const copied = new Set(buildContextFiles(ROOT, plan, ignored));
    const compiled = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.includes('/node_modules/'))
      .map((f) => path.relative(ROOT, f));
    expect(compiled.length).toBeGreaterThan(100);
    expect(compiled.filter((f) => !copied.has(f))).toEqual([]);
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-player.mjs', 'scripts/copy-assets.mjs', 'player/launcher.ts', 'player/player.ts']) {
      expect([f, copied.has(f)]).toEqual([f, true]);
    }
  }, 60_000);

  it('keeps local data, builds, dependencies, tests and secrets out of the build context', () => {
    const ignored = dockerignoreMatcher(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'));
    for (const p of ['node_modules/express/package.json', 'dist/src/main.js', 'data/learnhq.sqlite', '.env', '.git/HEAD', 'packages-store/abc/index.html', 'test/fixtures/zip-builder.ts', 'bench/ingest.ts', 'src/web/static/player/launcher.js', 'server.log']) {
      expect([p, ignored(p)]).toEqual([p, true]);
    }
    for (const p of ['src/main.ts', 'src/web/static/style.css', 'player/launcher.ts', 'scripts/build-player.mjs']) expect([p, ignored(p)]).toEqual([p, false]);
  });

  it('builds only src and the player: no bench or test folder in the image', () => {
    const sources = plan.copies.filter((c) => c.stage === 0 && c.from === undefined).flatMap((c) => c.sources);
    expect(sources.sort()).toEqual(['package-lock.json', 'package.json', 'player', 'scripts', 'src', 'tsconfig.build.json', 'tsconfig.json'].sort());
    expect(plan.buildRuns.join(' && ')).toMatch(/npm run build/);
  });
});
