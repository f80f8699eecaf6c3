/**
 * Checks that the container image builds and starts, without a container engine: the build
 * stage's COPY set (minus .dockerignore) is copied into a temp folder, its RUN commands are run
 * there, the runtime stage's files are put into a second folder, and the service is started from
 * it and asked for /health and /sign-in. `.ci/run` uses it when no builder (buildah, podman) can
 * build the image for real.
 *
 * What cannot run here is replaced, and said so: `apt-get` (the build tools are on this machine),
 * `npm ci` (node_modules of this checkout, installed from the same package-lock.json, is linked
 * in), `npm prune` (it would change that shared node_modules).
 *
 * Run: node -r ./scripts/register-ts.js scripts/check-image.ts
 */
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** One COPY of the Dockerfile. */
export interface CopyStep {
  readonly stage: number;
  /** Set for COPY --from=<stage>. */
  readonly from?: string;
  readonly sources: readonly string[];
  readonly dest: string;
}

/** The parts of a Dockerfile this check follows. */
export interface ImagePlan {
  readonly copies: readonly CopyStep[];
  /** RUN commands of the first (build) stage, in order. */
  readonly buildRuns: readonly string[];
  /** ENV of the last (runtime) stage. */
  readonly runtimeEnv: Readonly<Record<string, string>>;
  readonly workdir: string;
}

/** Reads the Dockerfile instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): ImagePlan {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const copies: CopyStep[] = [];
  const buildRuns: string[] = [];
  let runtimeEnv: Record<string, string> = {};
  let stage = -1;
  let workdir = '/';
  for (const line of lines) {
    const [instr = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instr.toUpperCase()) {
      case 'FROM':
        stage += 1;
        runtimeEnv = {};
        break;
      case 'WORKDIR':
        workdir = args;
        break;
      case 'RUN':
        if (stage === 0) buildRuns.push(args);
        break;
      case 'ENV':
        for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) runtimeEnv[m[1]!] = m[2]!;
        break;
      case 'COPY': {
        const parts = rest.filter((p) => !p.startsWith('--') || p.startsWith('--from='));
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((p) => !p.startsWith('--from='));
        copies.push({ stage, ...(from !== undefined ? { from } : {}), sources: paths.slice(0, -1), dest: paths[paths.length - 1] ?? '.' });
        break;
      }
    }
  }
  return { copies, buildRuns, runtimeEnv, workdir };
}

/**
 * A matcher for .dockerignore as we write it: one path per line, relative to the context; a
 * line names that file or folder (and everything under it); `*` matches within a name, `**\/`
 * any folders. Blank lines and `#` comments are skipped.
 */
export function dockerignoreMatcher(text: string): (relPath: string) => boolean {
  const rules = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const res = rules.map((rule) => {
    let re = '';
    for (const seg of rule.replace(/^\/+|\/+$/g, '').split('/')) {
      re += seg === '**' ? '(?:[^/]+/)*' : `${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`;
    }
    return new RegExp(`^${re.replace(/\/$/, '')}(?:/.*)?$`);
  });
  return (relPath) => res.some((re) => re.test(relPath));
}

/** Every file (context-relative path) the build stage copies, .dockerignore applied. */
export function buildContextFiles(root: string, plan: ImagePlan, ignored: (p: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    if (ignored(rel)) return;
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) for (const name of fs.readdirSync(full)) walk(rel === '' ? name : `${rel}/${name}`);
    else out.push(rel);
  };
  for (const c of plan.copies) if (c.stage === 0 && c.from === undefined) for (const s of c.sources) walk(s.replace(/^\.\/+/, ''));
  return out.sort();
}

function run(cmd: string, cwd: string): void {
  process.stdout.write(`  $ ${cmd}\n`);
  execSync(cmd, { cwd, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

function get(port: number, p: string): Promise<number> {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const plan = parseDockerfile(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const ignored = dockerignoreMatcher(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-image-'));
  const build = path.join(tmp, 'build');
  const runtime = path.join(tmp, 'runtime');
  try {
    process.stdout.write(`check-image: build stage in ${build}\n`);
    const files = buildContextFiles(root, plan, ignored);
    for (const c of plan.copies.filter((x) => x.stage === 0 && x.from === undefined)) {
      for (const s of c.sources) {
        const rel = s.replace(/^\.\/+/, '');
        const target = c.sources.length > 1 || c.dest.endsWith('/') ? path.join(build, c.dest, path.basename(rel)) : path.join(build, c.dest);
        for (const f of files.filter((x) => x === rel || x.startsWith(`${rel}/`))) {
          const to = path.join(target, path.relative(rel, f));
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(path.join(root, f), to);
        }
      }
    }
    process.stdout.write(`  copied ${files.length} files (COPY set minus .dockerignore)\n`);
    for (const runLine of plan.buildRuns) {
      for (const cmd of runLine.split('&&').map((c) => c.trim())) {
        if (/^(apt-get|rm -rf \/var\/lib\/apt)/.test(cmd)) process.stdout.write(`  (skipped: ${cmd} — the build tools are on this machine)\n`);
        else if (/^npm ci\b/.test(cmd)) {
          fs.symlinkSync(path.join(root, 'node_modules'), path.join(build, 'node_modules'), 'dir');
          process.stdout.write(`  (replaced: ${cmd} — node_modules of this checkout, from the same package-lock.json, is linked)\n`);
        } else if (/^npm prune\b/.test(cmd)) process.stdout.write(`  (skipped: ${cmd} — it would change the linked node_modules)\n`);
        else run(cmd, build);
      }
    }

    process.stdout.write(`check-image: runtime stage in ${runtime}\n`);
    fs.mkdirSync(runtime);
    for (const c of plan.copies.filter((x) => x.stage > 0)) {
      for (const s of c.sources) {
        const from = c.from !== undefined ? path.join(build, path.relative(plan.workdir, s)) : path.join(root, s);
        const to = path.join(runtime, c.dest === './' || c.dest === '.' ? path.basename(s) : c.dest);
        if (path.basename(from) === 'node_modules') fs.symlinkSync(path.join(root, 'node_modules'), to, 'dir');
        else fs.cpSync(from, to, { recursive: true });
      }
    }
    const port = await freePort();
    const contentPort = await freePort();
    const dataDir = path.join(tmp, 'data');
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: runtime,
      env: { PATH: process.env['PATH'] ?? '', ...plan.runtimeEnv, PORT: String(port), LEARNHQ_CONTENT_PORT: String(contentPort), HOST: '127.0.0.1', LEARNHQ_DATA_DIR: dataDir, LEARNHQ_PACKAGES_DIR: path.join(dataDir, 'packages'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const until = Date.now() + 30_000;
      while ((await get(port, '/health')) !== 200) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`the service from the runtime stage did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const [p, where] of [['/sign-in', port], ['/launch-assets/launcher.js', contentPort]] as const) {
        const status = await get(where, p);
        if (status !== 200) throw new Error(`GET ${p} answered ${status} from the runtime stage`);
      }
      process.stdout.write('check-image: the runtime stage starts and serves /health, /sign-in and the launcher bundle\n');
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`check-image: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
