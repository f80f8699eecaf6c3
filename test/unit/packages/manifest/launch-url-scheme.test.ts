/**
 * Issue 11 item 14: a package whose launch URL is javascript:, data: or any scheme but http(s) is
 * refused at import with a clear report entry, in every format that declares one.
 */
import { parsePackage } from '../../../../src/packages/manifest';
import { launchScheme } from '../../../../src/packages/manifest/launch-url';
import { cmi5, codes, files, scorm12, scorm2004, tincan } from './fixtures';

const BAD = [
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  '  javascript:alert(1)',
  'java&#9;script:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'blob:https://example.com/1234',
];

describe('launch URL schemes', () => {
  it('reads the scheme as a browser would: case, surrounding spaces and tabs inside do not hide it', () => {
    expect(launchScheme('JavaScript:x')).toBe('javascript');
    expect(launchScheme('\u0001 java\tscr\nipt:x')).toBe('javascript');
    expect(launchScheme('index.html?x=javascript:1')).toBeUndefined();
    expect(launchScheme('sco/a:b.html')).toBeUndefined();
    expect(launchScheme('HTTPS://example.com/a')).toBe('https');
  });

  it.each(BAD)('refuses a SCORM 1.2 resource href of %s', (href) => {
    const r = parsePackage('scorm', scorm12({ resources: `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="${href}"/>` }), files('imsmanifest.xml', 'index.html'));
    expect(codes(r.report.errors)).toContain('launch_url_scheme');
    const e = r.report.errors.find((x) => x.code === 'launch_url_scheme')!;
    expect(e.message).toMatch(/<resource identifier="r1"> href ".*" uses the scheme "[a-z]+:"; a launch URL must be a file of the package or an http\(s\) address/);
    expect(e.path).toBeDefined();
  });

  it('refuses a SCORM 2004 href made unsafe through its xml:base', () => {
    const r = parsePackage('scorm', scorm2004({
      resources: '<resource identifier="r1" type="webcontent" adlcp:scormType="sco" xml:base="data:text/html,x/" href="index.html"/>',
    }), files('imsmanifest.xml', 'index.html'));
    // A data: base cannot resolve a relative href at all: refused as pointing outside the package.
    expect(codes(r.report.errors)).toContain('href_outside_package');
  });

  it.each(BAD)('refuses a TinCan <launch> of %s', (launch) => {
    const r = parsePackage('tincan', tincan(`<activity id="http://example.com/a" type="http://adlnet.gov/expapi/activities/course"><name>A</name><launch>${launch}</launch></activity>`), files('tincan.xml'));
    expect(codes(r.report.errors)).toContain('launch_url_scheme');
  });

  it.each(BAD)('refuses a cmi5 AU <url> of %s', (url) => {
    const r = parsePackage('cmi5', cmi5(`<au id="https://example.com/courses/c1/au1"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">d</langstring></description><url>${url}</url></au>`), files('cmi5.xml'));
    expect(codes(r.report.errors)).toContain('launch_url_scheme');
  });

  it('accepts package files and http(s) addresses', () => {
    expect(parsePackage('scorm', scorm12(), files('imsmanifest.xml', 'index.html')).report.errors).toEqual([]);
    const external = parsePackage('tincan', tincan('<activity id="http://example.com/a"><name>A</name><launch>https://content.example.com/a/index.html</launch></activity>'), files('tincan.xml'));
    expect(external.report.errors).toEqual([]);
    const au = parsePackage('cmi5', cmi5('<au id="https://example.com/courses/c1/au1"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">d</langstring></description><url>HTTP://content.example.com/au</url></au>'), files('cmi5.xml'));
    expect(au.report.errors).toEqual([]);
  });
});
