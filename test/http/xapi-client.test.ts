import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import XAPI from '@xapi/xapi';
import type { Statement, StatementsResponse } from '@xapi/xapi';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let server: Server;
let xapi: XAPI;

beforeAll(async () => {
  t = await createTestApp();
  server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  xapi = new XAPI({ endpoint: `http://127.0.0.1:${port}/xapi/`, auth: t.auth, version: '1.0.3' });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const actor = { objectType: 'Agent' as const, name: 'Client', mbox: `mailto:client-${randomUUID()}@example.com` };

function stmt(activity: string): Statement {
  return { actor, verb: XAPI.Verbs.COMPLETED, object: { objectType: 'Activity', id: activity } };
}

describe('the @xapi/xapi client against the LRS', () => {
  test('sends statements, queries with filters, pages with getMoreStatements and voids', async () => {
    const activity = `http://example.com/client/${randomUUID()}`;
    const single = await xapi.sendStatement({ statement: stmt(activity) });
    expect(single.data).toHaveLength(1);
    const batch = await xapi.sendStatements({ statements: [stmt(activity), stmt(activity)] });
    expect(batch.data).toHaveLength(2);
    const all = [...single.data, ...batch.data];

    const got = await xapi.getStatement({ statementId: all[0]! });
    expect(got.data.id).toBe(all[0]);

    const page1 = await xapi.getStatements({ activity, agent: actor, verb: XAPI.Verbs.COMPLETED.id, limit: 2, ascending: true });
    const p1 = page1.data as StatementsResponse;
    expect(p1.statements.map((s) => s.id)).toEqual(all.slice(0, 2));
    expect(p1.more).toBeTruthy();
    const page2 = await xapi.getMoreStatements({ more: p1.more! });
    const p2 = page2.data as StatementsResponse;
    expect(p2.statements.map((s) => s.id)).toEqual(all.slice(2));
    expect(p2.more).toBe('');

    const voidRes = await xapi.voidStatement({ actor, statementId: all[1]! });
    const voidingId = (voidRes.data as string[])[0]!;
    const voided = await xapi.getVoidedStatement({ voidedStatementId: all[1]! });
    expect(voided.data.id).toBe(all[1]);
    await expect(xapi.getStatement({ statementId: all[1]! })).rejects.toBeTruthy();
    // The voiding statement references a matching statement, so it matches the filters too.
    const after = await xapi.getStatements({ activity, verb: XAPI.Verbs.COMPLETED.id });
    expect((after.data as StatementsResponse).statements.map((s) => s.id)).toEqual([voidingId, all[2], all[0]]);
  });

  // The client's default (axios) adapter posts its multipart Blob as application/octet-stream,
  // which the LRS rightly refuses; its fetch adapter keeps the multipart/mixed Content-Type.
  test('sends an attachment (fetch adapter) and reads it back as multipart', async () => {
    const { port } = server.address() as AddressInfo;
    const fetchClient = new XAPI({ endpoint: `http://127.0.0.1:${port}/xapi/`, auth: t.auth, version: '1.0.3', adapter: 'fetch' });
    const content = 'attached through the client';
    const { createHash } = await import('node:crypto');
    const sha2 = createHash('sha256').update(content).digest('hex');
    const s: Statement = {
      ...stmt(`http://example.com/client/${randomUUID()}`),
      attachments: [{ usageType: XAPI.AttachmentUsages.SUPPORTING_MEDIA, display: { 'en-US': 'note' }, contentType: 'text/plain', length: content.length, sha2 }],
    };
    const res = await fetchClient.sendStatement({ statement: s, attachments: [content as unknown as ArrayBuffer] });
    const id = (res.data as string[])[0]!;
    const back = await fetchClient.getStatement({ statementId: id, attachments: true });
    const parts = back.data as unknown as [Statement, string];
    expect(parts[0].id).toBe(id);
    expect(parts[1]).toBe(content);
  });
});
