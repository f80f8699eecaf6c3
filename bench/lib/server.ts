import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHttp(port: number, urlPath: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const okNow = await new Promise<boolean>((resolve) => {
      const r = http.get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 500);
      });
      r.on('error', () => resolve(false));
    });
    if (okNow) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on port ${port} did not answer ${urlPath} within ${timeoutMs} ms`);
}

export interface RunningServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a node script (compiled JS under dist/) as a child process with extra env. */
export async function startNodeServer(script: string, env: Record<string, string>, readyPath: string, nodeArgs: readonly string[] = []): Promise<RunningServer> {
  const port = await freePort();
  // As `npm start` and the Dockerfile run the service (baseline included, to compare like with like).
  const child = spawn(process.execPath, ['--max-semi-space-size=32', ...nodeArgs, path.resolve(script)], {
    env: { ...process.env, LEARNHQ_CONTENT_PORT: '0', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitHttp(port, readyPath, 30000);
  return {
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
