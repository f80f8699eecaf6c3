import { detectPackage } from '../../../../src/packages/manifest';
import { appendParameters, isAbsoluteIri, joinBase, resolveRef } from '../../../../src/packages/manifest/paths';
import { files } from './fixtures';

describe('detectPackage', () => {
  it.each([
    ['imsmanifest.xml', 'scorm'],
    ['tincan.xml', 'tincan'],
    ['cmi5.xml', 'cmi5'],
  ])('recognises %s at the root as %s', (name, family) => {
    const r = detectPackage(files(name, 'index.html', 'a/b.js'));
    expect(r).toMatchObject({ ok: true, family, manifestPath: name, warnings: [] });
  });

  it('prefers cmi5.xml over tincan.xml over imsmanifest.xml and reports the ignored ones', () => {
    const r = detectPackage(files('imsmanifest.xml', 'tincan.xml', 'cmi5.xml'));
    expect(r.ok && r.family).toBe('cmi5');
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('tincan.xml ignored'), expect.stringContaining('imsmanifest.xml ignored')]);
    const r2 = detectPackage(files('imsmanifest.xml', 'tincan.xml'));
    expect(r2.ok && r2.family).toBe('tincan');
  });

  it('refuses a package whose manifest is in a sub-folder, naming it', () => {
    const r = detectPackage(files('course/imsmanifest.xml', 'course/index.html'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason.message).toContain('course/imsmanifest.xml');
  });

  it('refuses anything else with a reason', () => {
    const r = detectPackage(files('index.html', 'readme.txt'));
    expect(r).toMatchObject({ ok: false, reason: { code: 'no_manifest' } });
  });

  it('refuses an AICC course (a .crs at the root) saying AICC is not supported, not that a manifest is missing', () => {
    const r = detectPackage(files('COURSE.CRS', 'course.au', 'course.des', 'course.cst', 'lesson1/index.html'));
    expect(r).toMatchObject({ ok: false, reason: { code: 'aicc_not_supported' } });
    expect(!r.ok && r.reason.message).toMatch(/^AICC is not supported: .*COURSE\.CRS.*course\.au/);
    // .au or .des files alone (audio, anything) are not an AICC course.
    expect(detectPackage(files('sound.au', 'index.html'))).toMatchObject({ ok: false, reason: { code: 'no_manifest' } });
    // A SCORM export that keeps its AICC files beside the manifest is SCORM.
    expect(detectPackage(files('imsmanifest.xml', 'course.crs'))).toMatchObject({ ok: true, family: 'scorm' });
  });

  it('accepts unusual casing with a warning', () => {
    const r = detectPackage(files('IMSManifest.xml'));
    expect(r).toMatchObject({ ok: true, family: 'scorm', manifestPath: 'IMSManifest.xml', warnings: [{ code: 'manifest_name_case' }] });
  });
});

describe('SCORM launch parameters', () => {
  it.each([
    ['a.html', '?x=1', 'a.html?x=1'],
    ['a.html', 'x=1', 'a.html?x=1'],
    ['a.html', '&x=1', 'a.html?x=1'],
    ['a.html?y=2', '?x=1', 'a.html?y=2&x=1'],
    ['a.html?y=2', 'x=1', 'a.html?y=2&x=1'],
    ['a.html', '#p3', 'a.html#p3'],
    ['a.html#p1', '#p3', 'a.html#p1'],
    ['a.html#p1', 'x=1', 'a.html?x=1#p1'],
    ['a.html?y=2#p1', '?&x=1', 'a.html?y=2&x=1#p1'],
    ['a.html', '', 'a.html'],
  ])('%s + %s = %s', (url, params, expected) => {
    expect(appendParameters(url, params)).toBe(expected);
  });
});

describe('href resolution', () => {
  it('resolves xml:base chains as directories and normalises dot segments', () => {
    const base = joinBase(joinBase('', 'content'), 'sco1/');
    expect(base).toBe('content/sco1/');
    expect(resolveRef(base as string, './pages/../index.html?a=1')).toEqual({ kind: 'package', path: 'content/sco1/index.html', suffix: '?a=1' });
  });
  it('flags paths that climb out of the package or are absolute', () => {
    expect(resolveRef('a/', '../../x.html')).toEqual({ kind: 'escape' });
    expect(resolveRef('', '/etc/passwd')).toEqual({ kind: 'escape' });
  });
  it('keeps absolute URLs external, also under an absolute xml:base', () => {
    expect(resolveRef('', 'https://cdn.example.com/a.html')).toEqual({ kind: 'external', url: 'https://cdn.example.com/a.html' });
    expect(resolveRef('https://cdn.example.com/c/', 'a.html')).toEqual({ kind: 'external', url: 'https://cdn.example.com/c/a.html' });
  });
  it('checks IRIs', () => {
    expect(isAbsoluteIri('http://example.com/a')).toBe(true);
    expect(isAbsoluteIri('urn:uuid:1234')).toBe(true);
    expect(isAbsoluteIri('course-1')).toBe(false);
    expect(isAbsoluteIri('http://example.com/a b')).toBe(false);
  });
});
