import { createApp } from '../../../src/app';
import { testConfig, type Config } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { client, makeStatement } from './fixtures';

/**
 * Two instances of one deployment behind a load balancer: the same store, the same
 * LEARNHQ_CURSOR_SECRET, but each its own LEARNHQ_PUBLIC_URL (docs/env.md: only the cursor
 * secret must match). A `more` link from one is continued by the other.
 */
let a: TestApp;
const verb = `http://example.com/verbs/more-${Date.now()}`;

function sibling(config: Partial<Config>) {
  return createApp({ config: testConfig(config), store: a.store, logger: createLogger('silent') }).listener;
}

beforeAll(async () => {
  a = await createTestApp({ config: { publicUrl: 'https://a.lrs.example', cursorSecret: 'shared-cursor-secret' } });
  const c = client(a.app, a.auth);
  for (let i = 0; i < 5; i++) expect((await c.post(makeStatement({ verb: { id: verb } }))).status).toBe(200);
});
afterAll(async () => {
  await a.close();
});

test('a more link from one instance continues on another with the same cursor secret and another public URL', async () => {
  const b = sibling({ publicUrl: 'https://b.lrs.example', cursorSecret: 'shared-cursor-secret' });
  const first = await client(a.app, a.auth).get({ verb, limit: 2 });
  expect(first.status).toBe(200);
  const seen: string[] = first.body.statements.map((s: { id: string }) => s.id);
  let more: string = first.body.more;
  // Alternate instances page by page, as a load balancer would.
  for (const app of [b, a.app, b]) {
    expect(more).toMatch(/^\/xapi\/statements\?more=/);
    const page = await client(app, a.auth).getUrl(more);
    expect(page.status).toBe(200);
    seen.push(...page.body.statements.map((s: { id: string }) => s.id));
    more = page.body.more;
    if (more === '') break;
  }
  expect(more).toBe('');
  expect(seen).toHaveLength(5);
  expect(new Set(seen).size).toBe(5);
});

test('an instance with another cursor secret refuses the link (400)', async () => {
  const other = sibling({ publicUrl: 'https://a.lrs.example', cursorSecret: 'another-secret' });
  const first = await client(a.app, a.auth).get({ verb, limit: 2 });
  const res = await client(other, a.auth).getUrl(first.body.more);
  expect(res.status).toBe(400);
  expect(res.body.error).toBeDefined();
});
