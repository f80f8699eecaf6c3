/** Manifest builders for the parser tests: every fixture is written here, in code. */

export const NS = {
  cp12: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  cp2004: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp2004: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  adlnav: 'http://www.adlnet.org/xsd/adlnav_v1p3',
  tincan: 'http://projecttincan.com/tincan.xsd',
  cmi5: 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd',
};

export const files = (...paths: string[]): ReadonlySet<string> => new Set(paths);

/** Minimal SCORM 1.2 manifest; `items`/`resources` replace the defaults when given. */
export function scorm12(opts: { items?: string; resources?: string; schemaversion?: string | null; orgAttrs?: string } = {}): string {
  const sv = opts.schemaversion === null ? '' : `<schemaversion>${opts.schemaversion ?? '1.2'}</schemaversion>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m12" version="1.1" xmlns="${NS.cp12}" xmlns:adlcp="${NS.adlcp12}">
  <metadata><schema>ADL SCORM</schema>${sv}</metadata>
  <organizations ${opts.orgAttrs ?? 'default="org1"'}>
    <organization identifier="org1">
      <title>Course 1.2</title>
      ${opts.items ?? '<item identifier="i1" identifierref="r1"><title>Lesson 1</title></item>'}
    </organization>
  </organizations>
  <resources>
    ${opts.resources ?? '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>'}
  </resources>
</manifest>`;
}

/** Minimal SCORM 2004 manifest of the given schemaversion text (null = omitted). */
export function scorm2004(opts: { schemaversion?: string | null; items?: string; resources?: string; orgExtra?: string; collection?: string; orgAttrs?: string; rootAttrs?: string } = {}): string {
  const sv = opts.schemaversion === null ? '' : `<schemaversion>${opts.schemaversion ?? '2004 4th Edition'}</schemaversion>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m2004" version="1" xmlns="${NS.cp2004}" xmlns:adlcp="${NS.adlcp2004}" xmlns:imsss="${NS.imsss}"
  xmlns:adlseq="${NS.adlseq}" xmlns:adlnav="${NS.adlnav}" ${opts.rootAttrs ?? ''}>
  <metadata><schema>ADL SCORM</schema>${sv}</metadata>
  <organizations default="org1">
    <organization identifier="org1" ${opts.orgAttrs ?? ''}>
      <title>Course 2004</title>
      ${opts.items ?? '<item identifier="i1" identifierref="r1"><title>Lesson 1</title></item>'}
      ${opts.orgExtra ?? ''}
    </organization>
  </organizations>
  <resources>
    ${opts.resources ?? '<resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"><file href="index.html"/></resource>'}
  </resources>
  ${opts.collection ?? ''}
</manifest>`;
}

export function tincan(activities?: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="${NS.tincan}">
  <activities>
    ${activities ?? `<activity id="http://example.com/course/golf" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">Golf Example</name>
      <name lang="fr">Exemple de golf</name>
      <description lang="en-US">Learn golf.</description>
      <launch lang="en-us">index.html</launch>
    </activity>
    <activity id="http://example.com/course/golf/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="en-US">Question 1</name>
    </activity>`}
  </activities>
</tincan>`;
}

export function cmi5(body?: string, objectives?: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="${NS.cmi5}">
  <course id="https://example.com/courses/c1">
    <title><langstring lang="en-US">cmi5 course</langstring></title>
    <description><langstring lang="en-US">A course.</langstring></description>
  </course>
  ${objectives ?? ''}
  ${body ?? `<au id="https://example.com/courses/c1/au1">
    <title><langstring lang="en-US">AU 1</langstring></title>
    <description><langstring lang="en-US">First AU</langstring></description>
    <url>au1/index.html</url>
  </au>`}
</courseStructure>`;
}

/** Error codes of a parse result, for compact assertions. */
export const codes = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);
