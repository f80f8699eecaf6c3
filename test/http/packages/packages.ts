/** Package zips for the HTTP tests, built in code with test/fixtures/zip-builder.ts. */
import { buildZip, type ZipEntrySpec } from '../../fixtures/zip-builder';

const TINCAN_NS = 'http://projecttincan.com/tincan.xsd';
const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A valid xAPI (tincan.xml) package; `marker` ends up in index.html so versions can be told apart. */
export function tincanZip(opts: { title?: string; marker?: string; launch?: string; extra?: ZipEntrySpec[] } = {}): Buffer {
  const title = opts.title ?? 'Fire Safety Basics';
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="${TINCAN_NS}">
  <activities>
    <activity id="http://example.com/courses/fire-safety" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">${esc(title)}</name>
      <description lang="en-US">What to do when the alarm rings.</description>
      <launch lang="en-US">${opts.launch ?? 'index.html'}</launch>
    </activity>
  </activities>
</tincan>`;
  return buildZip([
    { name: 'tincan.xml', data: xml },
    { name: 'index.html', data: `<!doctype html><title>${esc(title)}</title><p>${opts.marker ?? 'v1'}</p>` },
    { name: 'css/' },
    { name: 'css/site.css', data: 'body { color: #222 }' },
    ...(opts.extra ?? []),
  ]);
}

/** A valid SCORM 1.2 package whose launch file is missing when `missingLaunch`. */
export function scorm12Zip(opts: { missingLaunch?: boolean } = {}): Buffer {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m12" version="1.1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>Library Trustee Orientation</title>
      <item identifier="i1" identifierref="r1"><title>Lesson 1</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html"><file href="sco/index.html"/></resource>
  </resources>
</manifest>`;
  return buildZip([
    { name: 'imsmanifest.xml', data: xml },
    ...(opts.missingLaunch ? [] : [{ name: 'sco/index.html', data: '<!doctype html><title>SCO</title>' }]),
  ]);
}

/** A zip with no manifest at all. */
export function notAPackageZip(): Buffer {
  return buildZip([{ name: 'readme.txt', data: 'hello' }]);
}

/** A zip whose entry climbs out of the package. */
export function traversalZip(): Buffer {
  return buildZip([{ name: 'tincan.xml', data: '<tincan/>' }, { name: '../evil.html', data: 'x' }]);
}
