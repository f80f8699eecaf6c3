import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import jwt from 'jsonwebtoken';
import { competencyEvidenceSubscriber } from '../../../src/competency/evidence-subscriber';
import { casePackage } from '../../fixtures/case-package';
import { OB3_CREDENTIAL_SCHEMA } from '../../fixtures/ob3-credential-schema';
import { as, competencyWorld, statementBy, storeAndEvents, type CompetencyWorld, type Who } from './fixture';

/** Changes one character of a base64url segment of a JWT. */
function flip(token: string, part: 0 | 1 | 2): string {
  const parts = token.split('.');
  const seg = parts[part] as string;
  const i = Math.floor(seg.length / 2);
  parts[part] = seg.slice(0, i) + (seg[i] === 'A' ? 'B' : 'A') + seg.slice(i + 1);
  return parts.join('.');
}

describe('Open Badges 3.0', () => {
  let w: CompetencyWorld;
  let fwId: string;
  let itemId: string;
  let badgeId: string;
  let token: string;
  let credentialUuid: string;
  const ids = new Map<string, string>();
  const quiz = 'https://tool.example.org/quiz/badge';

  beforeAll(async () => {
    w = await competencyWorld();
    fwId = (await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, casePackage({ ids }))).body.framework.id;
    itemId = ids.get('C1.3') as string;
    await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, {
      frameworkId: fwId, itemIdentifier: itemId, target: { kind: 'activity', activityId: quiz }, level: 2, rule: { kind: 'passed' }, validDays: 1095,
    });
  });
  afterAll(() => w.t.close());

  it('lets authors and administrators of the organization define badges only', async () => {
    const body = { name: 'Reference interview', description: 'Holds a good reference interview', criteria: 'Pass the quiz', frameworkId: fwId, itemIdentifier: itemId, level: 2 };
    const refused: [Who | undefined, string, number][] = [[undefined, w.orgA.id, 401], ['learnerA', w.orgA.id, 403], ['analystA', w.orgA.id, 403], ['authorB', w.orgA.id, 404]];
    for (const [who, org, status] of refused) expect([who, (await as(w, who, 'post', `/api/orgs/${org}/badges`, body)).status]).toEqual([who, status]);
    expect((await as(w, 'authorB', 'post', `/api/orgs/${w.orgB.id}/badges`, { ...body, frameworkId: undefined, courseId: w.courseA.id })).status).toBe(404);
    const ok = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/badges`, body);
    expect(ok.status).toBe(201);
    badgeId = ok.body.id;
    expect((await as(w, 'learnerA', 'get', `/api/orgs/${w.orgA.id}/badges`)).body.badges.map((b: { id: string }) => b.id)).toEqual([badgeId]);
    expect((await as(w, 'learnerB', 'get', `/api/orgs/${w.orgA.id}/badges`)).status).toBe(404);
  });

  it('issues a signed OpenBadgeCredential when evidence earns the badge, valid under the OB 3.0 schema', async () => {
    const sub = competencyEvidenceSubscriber(w.t.services, { cacheMs: 0 });
    const events = await storeAndEvents(w, w.orgA.id, [statementBy(w, w.ids.learnerA, quiz, { verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: true } })]);
    await sub.handle(events);
    await sub.handle(events); // once only
    const mine = await as(w, 'learnerA', 'get', '/api/me/badges');
    expect(mine.body.credentials).toHaveLength(1);
    credentialUuid = String(mine.body.credentials[0].id).replace('urn:uuid:', '');
    const file = await as(w, 'learnerA', 'get', `/api/me/badges/${credentialUuid}.jwt`);
    expect(file.status).toBe(200);
    token = file.text;
    expect((await as(w, 'learnerB', 'get', `/api/me/badges/${credentialUuid}.jwt`)).status).toBe(404);

    const { header, payload } = jwt.decode(token, { complete: true }) as unknown as { header: Record<string, unknown>; payload: Record<string, unknown> };
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(String(header['kid'])).toContain(`/ob/issuers/${w.orgA.id}/keys/`);
    // §8.2: the payload is the credential, with iss, nbf, jti, sub (and exp: the evidence lapses).
    expect(payload['iss']).toBe((payload['issuer'] as { id: string }).id);
    expect(payload['jti']).toBe(payload['id']);
    expect(payload['sub']).toBe((payload['credentialSubject'] as { id: string }).id);
    expect(payload['nbf']).toBe(Math.floor(Date.parse(String(payload['issuanceDate'])) / 1000));
    expect(typeof payload['exp']).toBe('number');
    const achievement = (payload['credentialSubject'] as { achievement: Record<string, unknown> }).achievement;
    expect(achievement['alignment']).toEqual([expect.objectContaining({ targetUrl: `https://frameworks.example.org/uri/${itemId}`, targetType: 'CFItem' })]);

    const json = await as(w, 'learnerA', 'get', `/api/me/badges/${credentialUuid}.json`);
    const credential = JSON.parse(json.text) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(OB3_CREDENTIAL_SCHEMA);
    expect([validate(credential), validate.errors]).toEqual([true, null]);
    // The schema can fail: a credential without its achievement's criteria is refused.
    const broken = JSON.parse(json.text) as { credentialSubject: { achievement: Record<string, unknown> } };
    delete broken.credentialSubject.achievement['criteria'];
    expect(validate(broken)).toBe(false);
    expect(validate({ ...credential, credentialSubject: { ...(credential['credentialSubject'] as object), name: 'leaks a name' } })).toBe(false);

    // The issuer profile, its keys and the achievement are public.
    const profile = await as(w, undefined, 'get', `/ob/issuers/${w.orgA.id}`);
    expect(profile.body).toMatchObject({ id: payload['iss'], type: ['Profile'], name: 'Library A' });
    const jwks = await as(w, undefined, 'get', `/ob/issuers/${w.orgA.id}/jwks`);
    expect(JSON.parse(jwks.text).keys).toHaveLength(1);
    expect((await as(w, undefined, 'get', String(header['kid']).replace(w.t.config.publicUrl, ''))).status).toBe(200);
    expect((await as(w, undefined, 'get', `/ob/issuers/${w.orgB.id}`)).status).toBe(404);
    const image = await as(w, undefined, 'get', `/ob/achievements/${badgeId}/image`);
    expect(image.headers['content-type']).toContain('image/svg+xml');
  });

  it('verifies the credential, and fails a tampered one', async () => {
    const ok = await as(w, undefined, 'post', '/api/ob/verify', { jwt: token });
    expect(ok.body).toMatchObject({ valid: true, checks: { signature: true, expiry: true, revocation: true } });
    for (const part of [0, 1, 2] as const) {
      const bad = await as(w, undefined, 'post', '/api/ob/verify', { jwt: flip(token, part) });
      expect([part, bad.body.valid]).toEqual([part, false]);
    }
    // A credential re-signed with another key that claims to be ours.
    const { payload, header } = jwt.decode(token, { complete: true }) as { header: { kid: string }; payload: Record<string, unknown> };
    const { generateKeyPairSync } = await import('node:crypto');
    const forged = jwt.sign({ ...payload, name: 'Something else' }, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { algorithm: 'ES256', keyid: header.kid });
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: forged })).body).toMatchObject({ valid: false, checks: { signature: false } });
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: 'not a token' })).body.valid).toBe(false);
  });

  it('lets only the issuing organization\'s administrator revoke, and then verification fails', async () => {
    const path = `/api/orgs/${w.orgA.id}/ob/credentials/${credentialUuid}/revoke`;
    expect((await as(w, 'authorA', 'post', path, {})).status).toBe(403);
    expect((await as(w, 'learnerA', 'post', path, {})).status).toBe(403);
    expect((await as(w, 'adminB', 'post', path, {})).status).toBe(404);
    expect((await as(w, 'adminB', 'post', `/api/orgs/${w.orgB.id}/ob/credentials/${credentialUuid}/revoke`, {})).status).toBe(404);
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: token })).body.valid).toBe(true);
    const res = await as(w, 'adminA', 'post', path, { reason: 'issued in error' });
    expect(res.status).toBe(200);
    const after = await as(w, undefined, 'post', '/api/ob/verify', { jwt: token });
    expect(after.body).toMatchObject({ valid: false, checks: { signature: true, revocation: false }, reason: 'revoked: issued in error' });
    expect((await as(w, undefined, 'get', `/ob/credentials/${credentialUuid}/status`)).body).toMatchObject({ revoked: true });
  });

  it('rotates the key: new credentials use the new key, old ones still verify', async () => {
    expect((await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/ob/keys/rotate`)).status).toBe(403);
    const rotated = await as(w, 'adminA', 'post', `/api/orgs/${w.orgA.id}/ob/keys/rotate`);
    expect(rotated.status).toBe(201);
    const { issueCredential } = await import('../../../src/competency/badges');
    const badge = (await w.t.store.competency.findBadge(badgeId))!;
    const fresh = await issueCredential(w.t.services, badge, w.ids.learnerA);
    expect(String((jwt.decode(fresh.jwt, { complete: true })?.header.kid))).toBe(rotated.body.url);
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: fresh.jwt })).body.valid).toBe(true);
    const jwks = JSON.parse((await as(w, undefined, 'get', `/ob/issuers/${w.orgA.id}/jwks`)).text) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
  });

  it('expires: a credential past its expiry fails verification', async () => {
    const { issueCredential } = await import('../../../src/competency/badges');
    const badge = (await w.t.store.competency.findBadge(badgeId))!;
    const soon = new Date(w.t.clock.ms + 60_000).toISOString();
    const c = await issueCredential(w.t.services, badge, w.ids.learnerA, soon);
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: c.jwt })).body.valid).toBe(true);
    w.t.clock.advance(120_000);
    expect((await as(w, undefined, 'post', '/api/ob/verify', { jwt: c.jwt })).body).toMatchObject({ valid: false, checks: { expiry: false }, reason: 'expired' });
  });
});
