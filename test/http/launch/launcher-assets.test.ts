/**
 * The launcher's JavaScript is an entry plus one SCORM runtime chunk per format, loaded on demand:
 * the launch URL names the format so the launcher can fetch its runtime beside the seed, and the
 * hash-named chunks are served for long caching. Needs `npm run build:player` (as the other
 * launcher tests do).
 */
import request from 'supertest';
import { scorm12Package, scorm2004Package } from '../../fixtures/scorm-packages';
import { createLaunchHarness, type LaunchHarness } from './harness';

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
});
afterAll(async () => {
  await h.close();
});

async function frameUrlOf(courseId: string): Promise<URL> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as('learner')).expect(200);
  return new URL(play.body.frameUrl as string);
}

describe('launcher assets', () => {
  it.each([['scorm12', scorm12Package], ['scorm2004', scorm2004Package]] as const)('the %s launch URL names its format in the fragment', async (format, pkg) => {
    const url = await frameUrlOf(await h.publish(pkg()));
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('format')).toBe(format);
    expect(fragment.get('auth')).toMatch(/^Basic /);
    expect(url.search).toBe('');
  });

  it('the entry loads each SCORM runtime as its own chunk, served for long caching', async () => {
    const entry = await request(h.content).get('/launch-assets/launcher.js').expect(200);
    const chunks = [...new Set(entry.text.match(/chunks\/scorm(?:12|2004)-[A-Z0-9]+\.js/g) ?? [])].sort();
    expect(chunks.map((c) => c.replace(/-[A-Z0-9]+\.js$/, ''))).toEqual(['chunks/scorm12', 'chunks/scorm2004']);
    // The runtimes are not in the entry itself (scorm-again's SCORM 1.2 runtime alone is ~75 KB minified).
    expect(entry.text.length).toBeLessThan(48 * 1024);
    for (const c of chunks) {
      const res = await request(h.content).get(`/launch-assets/${c}`).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    // The entry itself is not hash-named, so it keeps the short cache.
    expect(entry.headers['cache-control']).not.toContain('immutable');
  });
});
