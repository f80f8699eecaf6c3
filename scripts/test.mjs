#!/usr/bin/env node
// What `npm test` runs after the typecheck: jest over test/, with a MongoDB server for the
// MongoDB store tests. When MONGODB_URI is unset and a FerretDB binary is available
// (.ferretdb/bin/ferretdb, built by `bash scripts/ferretdb.sh build`, or `ferretdb` on PATH), one
// is started for this run and always stopped afterwards. Without either, the MongoDB tests are
// skipped with a warning. Extra arguments are passed to jest. Exits with jest's exit code.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as os } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(root, 'scripts', 'ferretdb.sh');
const env = { ...process.env };
let port; // of the FerretDB this run started

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function ferretdbAvailable() {
  if (executable(join(root, '.ferretdb', 'bin', 'ferretdb'))) return true;
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, 'ferretdb')));
}

function stopFerretdb() {
  if (port === undefined) return;
  const p = port;
  port = undefined;
  try {
    execFileSync('bash', [script, 'stop', p], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (err) {
    console.error(`test.mjs: could not stop FerretDB on port ${p}: ${err.message}`);
  }
}

if (!env.MONGODB_URI) {
  if (ferretdbAvailable()) {
    try {
      const out = execFileSync('bash', [script, 'start'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const url = out.trim().split('\n').pop() ?? '';
      port = /:(\d+)\/?$/.exec(url)?.[1];
      env.MONGODB_URI = url;
      console.log(`test.mjs: MongoDB store tests run against FerretDB at ${url}`);
    } catch (err) {
      console.warn(`test.mjs: FerretDB did not start (${err.message}); the MongoDB store tests will be skipped.`);
    }
  } else {
    console.warn(
      'test.mjs: no MONGODB_URI and no FerretDB binary (.ferretdb/bin/ferretdb or ferretdb on PATH): ' +
        'the MongoDB store tests will be skipped. Build one with `bash scripts/ferretdb.sh build`.',
    );
  }
}

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const child = spawn(process.execPath, [jest, '--maxWorkers=2', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
process.on('exit', stopFerretdb);

child.on('error', (err) => {
  console.error(`test.mjs: could not run jest: ${err.message}`);
  stopFerretdb();
  process.exit(1);
});
child.on('exit', (code, signal) => {
  stopFerretdb();
  process.exit(code ?? 128 + (signal ? os.signals[signal] ?? 0 : 0));
});
