/** cmi5 and TinCan packages for the player tests, built in code. */
import { buildZip, type ZipEntrySpec } from '../../fixtures/zip-builder';

const CMI5_NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
const TINCAN_NS = 'http://projecttincan.com/tincan.xsd';

/** One AU of a test course. */
export interface AuSpec {
  readonly id: string;
  readonly moveOn?: string;
  readonly masteryScore?: number;
  readonly launchParameters?: string;
  readonly entitlementKey?: string;
  readonly url?: string;
  readonly launchMethod?: 'AnyWindow' | 'OwnWindow';
  /** Title shown to the learner (default `AU <id>`). */
  readonly title?: string;
}

/** A block with AUs (or the course root when `block` is undefined). */
export interface Cmi5Spec {
  readonly courseId?: string;
  /** Top-level AUs. */
  readonly aus?: readonly AuSpec[];
  /** Blocks of AUs. */
  readonly blocks?: readonly { readonly id: string; readonly aus: readonly AuSpec[]; readonly title?: string }[];
  /** Extra files (e.g. the AU page). */
  readonly files?: readonly ZipEntrySpec[];
}

function auXml(a: AuSpec): string {
  return `<au id="${a.id}" moveOn="${a.moveOn ?? 'CompletedAndPassed'}"${a.masteryScore !== undefined ? ` masteryScore="${a.masteryScore}"` : ''}${a.launchMethod !== undefined ? ` launchMethod="${a.launchMethod}"` : ''}>
      <title><langstring lang="en-US">${a.title ?? `AU ${a.id}`}</langstring></title>
      <description><langstring lang="en-US">An AU</langstring></description>
      <url>${a.url ?? 'au.html'}</url>
      ${a.launchParameters !== undefined ? `<launchParameters>${a.launchParameters}</launchParameters>` : ''}
      ${a.entitlementKey !== undefined ? `<entitlementKey>${a.entitlementKey}</entitlementKey>` : ''}
    </au>`;
}

/** A cmi5 course package. */
export function cmi5Zip(spec: Cmi5Spec): Buffer {
  const blocks = (spec.blocks ?? []).map((b) => `<block id="${b.id}">
    <title><langstring lang="en-US">${b.title ?? 'Block'}</langstring></title>
    <description><langstring lang="en-US">A block</langstring></description>
    ${b.aus.map(auXml).join('\n')}
  </block>`);
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="${CMI5_NS}">
  <course id="${spec.courseId ?? 'http://example.com/cmi5/course'}">
    <title><langstring lang="en-US">cmi5 test course</langstring></title>
    <description><langstring lang="en-US">For the player tests</langstring></description>
  </course>
  ${(spec.aus ?? []).map(auXml).join('\n')}
  ${blocks.join('\n')}
</courseStructure>`;
  return buildZip([
    { name: 'cmi5.xml', data: xml },
    { name: 'au.html', data: '<!doctype html><title>AU</title><p>AU</p>' },
    ...(spec.files ?? []),
  ]);
}

/** A TinCan package whose main activity is `activityId`; `page` is its index.html; `others` are more activities it lists. */
export function tincanPlayerZip(activityId: string, page: string, others: readonly string[] = []): Buffer {
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="${TINCAN_NS}">
  <activities>
    <activity id="${activityId}" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-US">TinCan test</name>
      <description lang="en-US">Sends a statement</description>
      <launch lang="en-US">index.html</launch>
    </activity>
    ${others.map((id) => `<activity id="${id}" type="http://adlnet.gov/expapi/activities/interaction"><name lang="en-US">Part</name></activity>`).join('\n    ')}
  </activities>
</tincan>`;
  return buildZip([{ name: 'tincan.xml', data: xml }, { name: 'index.html', data: page }]);
}
