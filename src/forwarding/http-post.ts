/**
 * One outbound POST of the forwarding feature: JSON body, a time limit, redirects never followed
 * (a 3xx is a failure), connections only to addresses the SSRF guard allows.
 */
import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './ssrf';

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 4 }), https: new https.Agent({ keepAlive: true, maxSockets: 4 }) };

export function postJson(url: URL, body: string, headers: Record<string, string>, o: { readonly allowPrivate: boolean; readonly timeoutMs: number }): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      lookup: guardedLookup(o.allowPrivate),
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'LearnHQ-forwarding', ...headers },
      timeout: o.timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // A target's answer is read only for an error message: the first 4 KB are enough.
        if (size < 4096) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
