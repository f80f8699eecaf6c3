/**
 * Conformance: GET /statements formats and languages (Communication 2.1.3), content types and
 * multipart/mixed attachments (Communication 1.5, Data 2.4.11) and signed statements (Data 2.6),
 * as the ADL conformance suite exercises them.
 */
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import {
  BASE, BOUNDARY, asText, attachmentPart, contextStatement, getStatements, headers, jsonPart, mbox, multipart, openApp,
  postStatements, qs, statement, store, uuid, type Json,
} from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

function postMultipart(body: Buffer, contentType = `multipart/mixed; boundary=${BOUNDARY}`) {
  return request(t.app).post(`${BASE}/statements`).set({ ...headers(t), 'Content-Type': contentType }).send(body);
}

function getRaw(query: string) {
  return request(t.app).get(`${BASE}/statements?${query}`).set(headers(t)).buffer(true).parse(asText);
}

/** The boundary the way the suite reads it: text after "boundary=" up to ";" (quotes kept). */
function suiteBoundary(contentType: string): string {
  const i = contentType.indexOf('boundary=');
  if (i < 0) return '';
  const end = contentType.indexOf(';', i);
  return contentType.substring(i + 'boundary='.length, end < 0 ? contentType.length : end);
}

/** Splits a multipart body into parts (headers text + body) on "--boundary". */
function splitParts(body: string, boundary: string): { head: string; body: string }[] {
  const out: { head: string; body: string }[] = [];
  const pieces = body.split(`--${boundary}`);
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    const sep = piece.indexOf('\r\n\r\n');
    out.push({ head: piece.substring(0, sep), body: piece.substring(sep + 4, piece.length - 2) });
  }
  return out;
}

function attachmentMeta(content: string | Buffer, over: Json = {}): Json {
  return {
    usageType: 'http://example.com/attachment-usage/test',
    display: { 'en-US': 'A test attachment' },
    description: { 'en-US': 'A test attachment (description)' },
    contentType: 'text/plain',
    length: Buffer.byteLength(content),
    sha2: sha256(content),
    ...over,
  };
}

describe('format=ids|exact|canonical (Communication 2.1.3)', () => {
  let id: string;
  let sent: Json;
  beforeAll(async () => {
    sent = statement({
      object: {
        objectType: 'SubStatement',
        actor: { objectType: 'Group', name: 'Group Identified', mbox: mbox('group') },
        verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-GB': 'attended', 'en-US': 'attended', 'ja-JP': '出席した' } },
        object: {
          objectType: 'Activity',
          id: `http://www.example.com/unicode/${uuid()}`,
          definition: {
            name: { en: 'Other', 'en-GB': 'attended (GB)', 'en-US': 'attended (US)', 'ko-KR': '참석' },
            description: { 'en-US': 'On this map (US)', 'en-GB': 'On this map (GB)' },
            type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
            moreInfo: 'http://virtualmeeting.example.com/345256',
            interactionType: 'other',
            correctResponsesPattern: ['(35.937432,-86.868896)'],
            extensions: { 'http://example.com/profiles/meetings/extension/reporter': { name: 'Thomas', id: 'http://openid.com/342' } },
          },
        },
      },
    });
    id = await store(t, sent);
  });
  const sub = (): Json => sent['object'] as Json;
  const findIn = async (query: string, lang?: string): Promise<Json> => {
    const res = await getStatements(t, query, '2.0.0', lang ? { 'Accept-Language': lang } : {});
    expect(res.status).toBe(200);
    const found = (res.body.statements as Json[]).find((s) => s['id'] === id);
    expect(found).toBeDefined();
    return found!;
  };

  it('2.1.3: without format the statement comes back exactly as sent', async () => {
    const got = await findIn('limit=0');
    expect(got['actor']).toEqual(sent['actor']);
    expect(got['verb']).toEqual(sent['verb']);
    expect((got['object'] as Json)['actor']).toEqual(sub()['actor']);
    expect((got['object'] as Json)['verb']).toEqual(sub()['verb']);
    expect((got['object'] as Json)['object']).toEqual(sub()['object']);
  });

  it('2.1.3: format=exact returns agents, verbs, groups and activities exactly as received', async () => {
    const got = await findIn('format=exact&limit=0');
    expect(got['actor']).toEqual(sent['actor']);
    expect(got['verb']).toEqual(sent['verb']);
    expect((got['object'] as Json)['object']).toEqual(sub()['object']);
  });

  it('2.1.3: format=ids keeps only identifiers (agent: ifi [+objectType]; verb: id; activity: id; identified group: objectType + ifi)', async () => {
    const got = await findIn('format=ids&limit=0');
    const actor = got['actor'] as Json;
    expect(Object.keys(actor).length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(actor).length).toBeLessThanOrEqual(2);
    expect(actor['mbox']).toBe((sent['actor'] as Json)['mbox']);
    expect(Object.keys(got['verb'] as Json)).toEqual(['id']);
    const inner = got['object'] as Json;
    expect(Object.keys(inner['verb'] as Json)).toEqual(['id']);
    expect(Object.keys(inner['object'] as Json)).toEqual(['id']);
    expect(inner['actor']).toEqual({ objectType: 'Group', mbox: (sub()['actor'] as Json)['mbox'] });
  });

  it('2.1.3: format=ids keeps the members of an anonymous group, as identifiers', async () => {
    const m1 = mbox();
    const sid = await store(t, statement({ actor: { objectType: 'Group', name: 'Anon', member: [{ objectType: 'Agent', name: 'One', mbox: m1 }, { mbox: mbox() }] } }));
    const got = (await getStatements(t, `statementId=${sid}&format=ids`)).body as Json;
    const actor = got['actor'] as Json;
    const members = actor['member'] as Json[];
    expect(members).toHaveLength(2);
    expect(members[0]!['mbox']).toBe(m1);
    expect(members[0]!['name']).toBeUndefined();
  });

  it('2.1.3: format=canonical with Accept-Language en-GB keeps one language per map, the en-GB one', async () => {
    const got = await findIn('format=canonical&limit=0', 'en-GB');
    expect(got['actor']).toEqual(sent['actor']);
    expect(got['verb']).toEqual({ id: (sent['verb'] as Json)['id'], display: { 'en-GB': ((sent['verb'] as Json)['display'] as Json)['en-GB'] } });
    const inner = got['object'] as Json;
    const v = sub()['verb'] as Json;
    expect(inner['verb']).toEqual({ id: v['id'], display: { 'en-GB': (v['display'] as Json)['en-GB'] } });
    expect(inner['actor']).toEqual(sub()['actor']);
    const a = sub()['object'] as Json;
    const d = a['definition'] as Json;
    expect(inner['object']).toEqual({
      objectType: 'Activity',
      id: a['id'],
      definition: {
        name: { 'en-GB': (d['name'] as Json)['en-GB'] },
        description: { 'en-GB': (d['description'] as Json)['en-GB'] },
        type: d['type'],
        moreInfo: d['moreInfo'],
        interactionType: d['interactionType'],
        correctResponsesPattern: d['correctResponsesPattern'],
        extensions: d['extensions'],
      },
    });
  });

  it('2.1.3: format=canonical on a single statement applies Accept-Language to verb and context activities', async () => {
    const cid = await store(t, contextStatement());
    const res = await getStatements(t, `statementId=${cid}&format=canonical`, '2.0.0', { 'Accept-Language': 'en-GB' });
    const s = res.body as Json;
    expect((s['verb'] as Json)['display']).not.toHaveProperty('en-US');
    const cat = (((s['context'] as Json)['contextActivities'] as Json)['category'] as Json[])[0]!;
    expect((cat['definition'] as Json)['name']).not.toHaveProperty('en-US');
    expect((cat['definition'] as Json)['description']).not.toHaveProperty('en-US');
  });

  it('2.1.3: without format, Accept-Language does not filter language maps', async () => {
    const cid = await store(t, contextStatement());
    const res = await getStatements(t, `statementId=${cid}`, '2.0.0', { 'Accept-Language': 'en-GB' });
    const s = res.body as Json;
    expect((s['verb'] as Json)['display']).toHaveProperty('en-US');
    expect((s['verb'] as Json)['display']).toHaveProperty('en-GB');
    const cat = (((s['context'] as Json)['contextActivities'] as Json)['category'] as Json[])[0]!;
    expect((cat['definition'] as Json)['name']).toHaveProperty('en-US');
    expect((cat['definition'] as Json)['name']).toHaveProperty('en-GB');
  });

  it('2.1.3: an unknown format value is 400', async () => {
    expect((await getStatements(t, 'format=full')).status).toBe(400);
  });
});

describe('Content types for POST /statements (Communication 1.5)', () => {
  const txt1 = 'here is a simple attachment';
  const txt2 = 'here is a second simple attachment';
  const txt3 = 'here is a third simple attachment';

  it('1.5.1: application/json with a fileUrl attachment is 200', async () => {
    const s = statement({ attachments: [attachmentMeta('x', { fileUrl: 'http://over.there.com/file.txt', contentType: 'text/plain; charset=ascii' })] });
    expect((await postStatements(t, s)).status).toBe(200);
  });

  it('1.5.1: multipart/form-data is 400 (JSON body)', async () => {
    const s = statement({ attachments: [attachmentMeta('x', { fileUrl: 'http://over.there.com/file.txt' })] });
    const res = await request(t.app).post(`${BASE}/statements`)
      .set({ ...headers(t), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }).send(JSON.stringify(s));
    expect(res.status).toBe(400);
  });

  it('1.5.1: multipart/form-data is 400 (multipart body with a raw attachment)', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const res = await postMultipart(multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1))]), `multipart/form-data; boundary=${BOUNDARY}`);
    expect(res.status).toBe(400);
  });

  it('1.5.2: multipart/mixed with a raw attachment part is 200', async () => {
    const picture = Buffer.from('ffd8ffe000104a464946', 'hex').toString('hex');
    const s = statement({ attachments: [attachmentMeta(picture, { contentType: 'image/jpeg' })] });
    expect((await postMultipart(multipart([jsonPart(s), attachmentPart(picture, sha256(picture), 'image/jpeg')]))).status).toBe(200);
  });

  it('1.5.2: multipart/mixed with only the statement part (fileUrl attachment) is 200', async () => {
    const s = statement({ attachments: [attachmentMeta('x', { fileUrl: 'http://over.there.com/file.txt' })] });
    expect((await postMultipart(multipart([jsonPart(s)]))).status).toBe(200);
  });

  it('1.5.2: multipart/mixed with only the statement part and no attachments is 200', async () => {
    expect((await postMultipart(multipart([jsonPart(statement())]))).status).toBe(200);
  });

  it('1.5.2: multipart/mixed with a statement batch in the first part is 200', async () => {
    const a = statement({ attachments: [attachmentMeta(txt1)] });
    const b = statement({ attachments: [attachmentMeta(txt2)] });
    const res = await postMultipart(multipart([jsonPart([a, b]), attachmentPart(txt1, sha256(txt1)), attachmentPart(txt2, sha256(txt2))]));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
  });

  it('1.5.2: an extra part that no attachment lists is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1), attachmentMeta(txt2)] });
    const body = multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1)), attachmentPart(txt2, sha256(txt2)), attachmentPart(txt3, sha256(txt3))]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('1.5.2: a missing part for a non-fileUrl attachment is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1), attachmentMeta(txt2)] });
    expect((await postMultipart(multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1))]))).status).toBe(400);
  });

  it('1.5.2: raw attachment data sent as application/json (no parts) is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    expect((await postStatements(t, s)).status).toBe(400);
  });

  it('1.5.2: no boundary before the first part is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const full = multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1))]).toString('utf8');
    const body = full.substring(`--${BOUNDARY}\r\n`.length);
    expect((await postMultipart(Buffer.from(body))).status).toBe(400);
  });

  it('1.5.2: no boundary before the attachment part is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const body = `--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n`
      + `Content-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha256(txt1)}\r\n\r\n${txt1}\r\n--${BOUNDARY}--\r\n`;
    expect((await postMultipart(Buffer.from(body))).status).toBe(400);
  });

  it('1.5.2: Content-Type multipart/mixed without a boundary parameter is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    expect((await postMultipart(multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1))]), 'multipart/mixed;')).status).toBe(400);
  });

  it('1.5.2: a first part that is not application/json is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const body = multipart([{ headers: ['Content-Type: text/plain'], body: JSON.stringify(s) }, attachmentPart(txt1, sha256(txt1))]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('1.5.2: statements spread over two JSON parts is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    expect((await postMultipart(multipart([jsonPart(s), jsonPart(s), attachmentPart(txt1, sha256(txt1))]))).status).toBe(400);
  });

  it('1.5.2: an attachment part without X-Experience-API-Hash is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const body = multipart([jsonPart(s), { headers: ['Content-Type: text/plain', 'Content-Transfer-Encoding: binary'], body: txt1 }]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('1.5.2: an X-Experience-API-Hash that matches no sha2 is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const body = multipart([jsonPart(s), attachmentPart(txt1, 'b018994f8bbe0f08992a65c48c8c8c56f09e9baceaa6227ed85c90ae52b73c89')]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('1.5.2: Content-Transfer-Encoding other than binary is 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    const body = multipart([jsonPart(s), { headers: ['Content-Type: text/plain', 'Content-Transfer-Encoding: base64', `X-Experience-API-Hash: ${sha256(txt1)}`], body: txt1 }]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('1.5.2: part bytes that do not hash to the declared sha2 are 400', async () => {
    const s = statement({ attachments: [attachmentMeta(txt1)] });
    expect((await postMultipart(multipart([jsonPart(s), attachmentPart(txt2, sha256(txt1))]))).status).toBe(400);
  });

  it('1.5.2: a PUT with multipart/mixed and an attachment is 204', async () => {
    const id = uuid();
    const s = statement({ id, attachments: [attachmentMeta(txt1)] });
    const res = await request(t.app).put(`${BASE}/statements?statementId=${id}`)
      .set({ ...headers(t), 'Content-Type': `multipart/mixed; boundary=${BOUNDARY}` })
      .send(multipart([jsonPart(s), attachmentPart(txt1, sha256(txt1))]));
    expect(res.status).toBe(204);
  });
});

describe('GET with attachments (Communication 2.1.3)', () => {
  const t1 = 'here is a simple attachment';
  const t2 = 'here is another simple attachment!';
  let id: string;
  beforeAll(async () => {
    const s = statement({ attachments: [attachmentMeta(t1), attachmentMeta(t2)] });
    const res = await postMultipart(multipart([jsonPart(s), attachmentPart(t1, sha256(t1)), attachmentPart(t2, sha256(t2))]));
    expect(res.status).toBe(200);
    id = (res.body as string[])[0]!;
  });

  it('2.1.3: attachments=true answers multipart/mixed with an unquoted boundary as the only parameter', async () => {
    const res = await getRaw(`statementId=${id}&attachments=true`);
    expect(res.status).toBe(200);
    const ct = String(res.headers['content-type']);
    expect(ct.split(';')[0]).toBe('multipart/mixed');
    expect(ct.split(';')).toHaveLength(2);
    expect(ct.split(';')[1]).toMatch(/^ boundary=[^"\s;]+$/);
  });

  it('2.1.3: attachments=true on statementId: first part is the statement, then its parts; each sha2 appears exactly twice', async () => {
    const res = await getRaw(`statementId=${id}&attachments=true`);
    const text = res.body as string;
    const boundary = suiteBoundary(String(res.headers['content-type']));
    const parts = splitParts(text, boundary);
    expect(JSON.parse(parts[0]!.body).id).toBe(id);
    expect(text.indexOf(t1)).toBeGreaterThan(-1);
    expect(text.match(new RegExp(sha256(t1), 'g')) ?? []).toHaveLength(2);
    expect(text.match(new RegExp(sha256(t2), 'g')) ?? []).toHaveLength(2);
  });

  it('2.1.3: attachments=true on a query: first part is a StatementResult', async () => {
    const res = await getRaw('attachments=true&limit=5');
    const parts = splitParts(res.body as string, suiteBoundary(String(res.headers['content-type'])));
    expect(JSON.parse(parts[0]!.body)).toHaveProperty('statements');
  });

  it('2.1.3: each attachment part carries Content-Transfer-Encoding: binary and X-Experience-API-Hash', async () => {
    const res = await getRaw(`statementId=${id}&attachments=true`);
    const parts = splitParts(res.body as string, suiteBoundary(String(res.headers['content-type'])));
    expect(parts).toHaveLength(3);
    for (const p of parts.slice(1)) {
      expect(p.head).toMatch(/content-transfer-encoding:\s*binary/i);
      expect(p.head).toMatch(/x-experience-api-hash:\s*[0-9a-f]{64}/i);
    }
  });

  it('2.1.3: attachments=false or absent answers application/json without attachment data', async () => {
    const a = await getStatements(t, `statementId=${id}&attachments=false`);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    const b = await getStatements(t, `statementId=${id}`);
    expect(b.headers['content-type']).toMatch(/^application\/json/);
    expect(b.text).not.toContain(t1);
  });

  it('2.1.3: attachments=true for a statement with only a fileUrl attachment still answers 200', async () => {
    const s = statement({ attachments: [attachmentMeta('remote', { fileUrl: 'http://over.there.com/file.txt' })] });
    const sid = await store(t, s);
    const res = await getRaw(`statementId=${sid}&attachments=true`);
    expect(res.status).toBe(200);
  });
});

describe('Signed statements (Data 2.6)', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

  /** JWS compact serialisation of `payload` (object → JSON, string as is). */
  function jws(payload: unknown, alg: 'RS256' | 'HS256'): string {
    const head = b64url(JSON.stringify({ alg }));
    const body = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const input = `${head}.${body}`;
    const sig = alg === 'RS256' ? sign('sha256', Buffer.from(input), privateKey) : createHmac('sha256', 'secret').update(input).digest();
    return `${input}.${b64url(sig)}`;
  }

  /** A signed-statement request body shaped like the suite's: CRLF preamble, no space after ':', no final CRLF. */
  function signedBody(opts: { alg?: 'RS256' | 'HS256'; contentType?: string; breakJson?: boolean } = {}): { body: Buffer; boundary: string; id: string } {
    const id = uuid();
    const s = statement({ id });
    const sig = Buffer.from(jws(opts.breakJson ? JSON.stringify(s).replace('"', "'") : s, opts.alg ?? 'RS256'));
    const contentType = opts.contentType ?? 'application/octet-stream';
    const full = { ...s, attachments: [{
      usageType: 'http://adlnet.gov/expapi/attachments/signature',
      display: { 'en-US': 'Signed by the test' },
      description: { 'en-US': 'Signed by the test' },
      contentType,
      length: sig.byteLength,
      sha2: sha256(sig),
    }] };
    const boundary = `-------------${Math.floor(Math.random() * 0xffffffff)}`;
    const body = Buffer.concat([
      Buffer.from(['', `--${boundary}`, 'Content-Type:application/json', '', ''].join('\r\n')),
      Buffer.from(JSON.stringify(full)),
      Buffer.from(['', `--${boundary}`, `Content-Type:${contentType}`, 'Content-Transfer-Encoding:binary', `X-Experience-API-Hash:${sha256(sig)}`, '', ''].join('\r\n')),
      sig,
      Buffer.from(`\r\n--${boundary}--`),
    ]);
    return { body, boundary, id };
  }

  it('Data 2.6: a statement signed with RS256 is accepted (200)', async () => {
    const { body, boundary } = signedBody();
    expect((await postMultipart(body, `multipart/mixed; boundary=${boundary}`)).status).toBe(200);
  });

  it('Data 2.6: the signature attachment is returned with attachments=true', async () => {
    const { body, boundary, id } = signedBody();
    expect((await postMultipart(body, `multipart/mixed; boundary=${boundary}`)).status).toBe(200);
    const res = await getRaw(`statementId=${id}&attachments=true`);
    expect(res.status).toBe(200);
    expect(splitParts(res.body as string, suiteBoundary(String(res.headers['content-type'])))).toHaveLength(2);
  });

  it('Data 2.6: a signature part whose contentType is not application/octet-stream is 400', async () => {
    const { body, boundary } = signedBody({ contentType: 'text/plain; charset=ascii' });
    expect((await postMultipart(body, `multipart/mixed; boundary=${boundary}`)).status).toBe(400);
  });

  it('Data 2.6: a signature with a non-RS algorithm (HS256) is 400', async () => {
    const { body, boundary } = signedBody({ alg: 'HS256' });
    expect((await postMultipart(body, `multipart/mixed; boundary=${boundary}`)).status).toBe(400);
  });

  it('Data 2.6: a signature whose payload is not the statement JSON is 400', async () => {
    const { body, boundary } = signedBody({ breakJson: true });
    expect((await postMultipart(body, `multipart/mixed; boundary=${boundary}`)).status).toBe(400);
  });

  it('Data 2.6: a signature over a different statement is 400', async () => {
    const id = uuid();
    const s = statement({ id });
    const sig = Buffer.from(jws({ ...s, verb: { id: 'http://example.org/verbs/other' } }, 'RS256'));
    const full = { ...s, attachments: [{ usageType: 'http://adlnet.gov/expapi/attachments/signature', display: { 'en-US': 'sig' }, contentType: 'application/octet-stream', length: sig.byteLength, sha2: sha256(sig) }] };
    const body = multipart([jsonPart(full), attachmentPart(sig, sha256(sig), 'application/octet-stream')]);
    expect((await postMultipart(body)).status).toBe(400);
  });

  it('Data 2.6: qs helper sanity (signed query by id works)', async () => {
    const { body, boundary, id } = signedBody();
    await postMultipart(body, `multipart/mixed; boundary=${boundary}`);
    expect((await getStatements(t, qs({ statementId: id }))).status).toBe(200);
  });
});
