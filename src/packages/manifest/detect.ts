/**
 * Recognises a package from its file list. Only the package root counts: a manifest found in a
 * sub-folder means the author zipped the folder instead of its contents, and is refused with that hint.
 *
 * Precedence when the root holds several manifests: cmi5.xml, then tincan.xml, then imsmanifest.xml.
 * Tools that export cmi5 or xAPI sometimes leave a SCORM manifest beside it for older LMSs (and a
 * cmi5 package may carry a tincan.xml from its xAPI build); the most specific format is what the
 * author chose to export, and it is the one that tracks best. The ignored manifests are reported.
 */

import type { Issue } from '../course-model';

/** Manifest family as seen from the file names; SCORM 1.2 vs 2004 needs the manifest text. */
export type ManifestFamily = 'scorm' | 'tincan' | 'cmi5';

/** Result of {@link detectPackage}. */
export type DetectResult =
  | {
      ok: true;
      /** Which parser to use; for 'scorm' {@link parsePackage} tells 1.2 from 2004. */
      family: ManifestFamily;
      /** Path of the chosen manifest (at the root, as spelled in the zip). */
      manifestPath: string;
      /** Warnings, e.g. other manifests that were ignored or a manifest name with unusual casing. */
      warnings: Issue[];
    }
  | { ok: false; reason: Issue };

const ORDER: readonly { family: ManifestFamily; name: string }[] = [
  { family: 'cmi5', name: 'cmi5.xml' },
  { family: 'tincan', name: 'tincan.xml' },
  { family: 'scorm', name: 'imsmanifest.xml' },
];

/** The AICC descriptor files (CMI001 .crs course, .au units, .des descriptors, .cst structure) at the root. */
const AICC_EXTENSIONS: readonly string[] = ['.crs', '.au', '.des', '.cst'];

function aiccFiles(rootFiles: ReadonlyMap<string, string>): string[] {
  const found = [...rootFiles].filter(([lower]) => AICC_EXTENSIONS.some((e) => lower.endsWith(e))).map(([, name]) => name);
  // The .crs file is what makes a course; .au/.des alone could be anything.
  return found.some((f) => f.toLowerCase().endsWith('.crs')) ? found.sort() : [];
}

/** Decides the package family from the zip's file list (paths relative to the root, `/`-separated). */
export function detectPackage(files: ReadonlySet<string>): DetectResult {
  const rootFiles = new Map<string, string>();
  for (const f of files) {
    const p = f.replace(/^\.\//, '');
    if (!p.includes('/')) rootFiles.set(p.toLowerCase(), p);
  }
  const found = ORDER.filter((o) => rootFiles.has(o.name));
  const chosen = found[0];
  if (!chosen) {
    const aicc = aiccFiles(rootFiles);
    if (aicc.length > 0) {
      // AICC course structure files (CMI001): refused for what they are, not for a missing SCORM manifest.
      return { ok: false, reason: { code: 'aicc_not_supported', message: `AICC is not supported: this is an AICC course (${aicc.join(', ')}); export it as SCORM, xAPI or cmi5`, path: '/' } };
    }
    const nested = [...files].find((f) => ORDER.some((o) => f.toLowerCase().endsWith('/' + o.name)));
    const message = nested
      ? `no manifest at the package root; found ${nested}: zip the contents of that folder, not the folder itself`
      : 'not an e-learning package: the package root has no imsmanifest.xml (SCORM), tincan.xml (xAPI) or cmi5.xml (cmi5)';
    return { ok: false, reason: { code: 'no_manifest', message, path: '/' } };
  }
  const manifestPath = rootFiles.get(chosen.name)!;
  const warnings: Issue[] = [];
  if (manifestPath !== chosen.name) {
    warnings.push({ code: 'manifest_name_case', message: `manifest is named ${manifestPath}; the specification spells it ${chosen.name}`, path: '/' });
  }
  for (const other of found.slice(1)) {
    warnings.push({
      code: 'manifest_ignored',
      message: `${rootFiles.get(other.name)} ignored: ${manifestPath} takes precedence (cmi5.xml > tincan.xml > imsmanifest.xml)`,
      path: '/',
    });
  }
  return { ok: true, family: chosen.family, manifestPath, warnings };
}
