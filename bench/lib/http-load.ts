import http from 'node:http';

export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  /** Latency of each successful request, ms. */
  readonly latencies: number[];
  readonly firstError?: string;
}

/**
 * Sends requests from `next()` with `concurrency` in flight over keep-alive connections until
 * `count` requests were made or `maxSeconds` passed (whichever first). Bounded in both count and
 * time; only ever targets the given local port.
 */
export async function runLoad(opts: {
  port: number;
  concurrency: number;
  count: number;
  maxSeconds: number;
  next: (i: number) => LoadRequest;
  okStatus?: (status: number) => boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const ok = opts.okStatus ?? ((s: number) => s >= 200 && s < 300);
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  let firstError: string | undefined;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + opts.maxSeconds * 1000;

  const one = (req: LoadRequest): Promise<void> =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const r = http.request(
        { host: '127.0.0.1', port: opts.port, method: req.method, path: req.path, headers: req.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (ok(res.statusCode ?? 0)) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            else {
              errors += 1;
              firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      r.on('error', (e) => {
        errors += 1;
        firstError ??= e.message;
        resolve();
      });
      if (req.body) r.end(req.body);
      else r.end();
    });

  const worker = async (): Promise<void> => {
    while (issued < opts.count && Date.now() < deadline) {
      const i = issued++;
      await one(opts.next(i));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return { requests: latencies.length + errors, errors, seconds, latencies, ...(firstError ? { firstError } : {}) };
}
