/**
 * The course model: what a package manifest says, in one JSON-serialisable shape shared by the four
 * formats (SCORM 1.2, SCORM 2004, xAPI/TinCan, cmi5). The manifest parsers in
 * `src/packages/manifest/` build it; the courses service stores it as JSON; the player reads it.
 * It holds no Map, Set, Date or class instance, so `JSON.parse(JSON.stringify(model))` is equal.
 */

import type { Sequencing } from './manifest/sequencing-model';

export type {
  Sequencing,
  ControlMode,
  SequencingRules,
  SequencingRule,
  RuleCondition,
  RuleConditionName,
  RuleActionName,
  LimitConditions,
  RollupRules,
  RollupRule,
  RollupCondition,
  RollupConditionName,
  Objectives,
  Objective,
  ObjectiveMapInfo,
  RandomizationControls,
  DeliveryControls,
  ConstrainedChoiceConsiderations,
  RollupConsiderations,
  RollupRequirement,
} from './manifest/sequencing-model';

/** The four package formats we import. */
export type PackageFormat = 'scorm12' | 'scorm2004' | 'tincan' | 'cmi5';

/**
 * The SCORM edition, from `<metadata><schemaversion>` and, when that is missing or unknown, from the
 * namespaces and elements used. 'CAM 1.3' is 2004 2nd edition.
 */
export type ScormEdition = '1.2' | '2004-2nd' | '2004-3rd' | '2004-4th';

/** Version of this model's shape; bump it when a stored model must be migrated. */
export const COURSE_MODEL_VERSION = 1 as const;

/** Fields every format's model carries. */
export interface CourseModelBase {
  /** Shape version of the model ({@link COURSE_MODEL_VERSION}). */
  modelVersion: typeof COURSE_MODEL_VERSION;
  /** Which format the package is. */
  format: PackageFormat;
  /** Path of the manifest inside the package (always at the root, e.g. `imsmanifest.xml`). */
  manifestPath: string;
  /** Course title (default organization title, main activity name, cmi5 course title); never empty. */
  title: string;
  /** Course description when the manifest has one (LOM general/description, activity/course description). */
  description?: string;
  /** Language tag of the title/description when known (LOM language, `lang` attributes). */
  language?: string;
  /**
   * Every launchable unit (SCO/asset item, xAPI activity with a launch, cmi5 AU) in manifest order
   * (depth-first), flattened so that catalogs and players need not walk the format-specific tree.
   */
  launchables: Launchable[];
}

/** One thing the player can launch. */
export interface Launchable {
  /** Item identifier (SCORM), activity id (xAPI) or AU id (cmi5). */
  id: string;
  /** Title shown to the learner. */
  title: string;
  /** What kind of unit it is. */
  kind: 'sco' | 'asset' | 'activity' | 'au';
  /**
   * URL to launch: a package-relative path (no leading slash, xml:base resolved, percent-encoding kept)
   * with query/fragment, or an absolute URL for content hosted elsewhere.
   */
  launchUrl: string;
  /** True when launchUrl is an absolute URL outside the package. */
  external: boolean;
}

// ───────────────────────────── SCORM (1.2 and 2004) ─────────────────────────────

/** SCORM 1.2 / 2004 course model. */
export interface ScormCourseModel extends CourseModelBase {
  format: 'scorm12' | 'scorm2004';
  /** Detected edition. */
  edition: ScormEdition;
  /** `<manifest identifier>`. */
  identifier: string;
  /** `<manifest version>` when present. */
  version?: string;
  /** Identifier of the organization used for launch (the `default` attribute, else the first one). */
  defaultOrganization: string;
  /** All organizations, in manifest order. */
  organizations: ScormOrganization[];
  /** All resources, in manifest order. */
  resources: ScormResource[];
  /**
   * SCORM 2004: the `<imsss:sequencingCollection>` entries by their `ID`. Items that reference one
   * (`IDRef`) already carry the merged result in their own `sequencing`; this is kept for reference.
   */
  sequencingCollection?: Record<string, Sequencing>;
}

/** An `<organization>`: the root of one activity tree. */
export interface ScormOrganization {
  /** `identifier` attribute. */
  identifier: string;
  /** `<title>`. */
  title: string;
  /** Top-level items. */
  items: ScormItem[];
  /** SCORM 2004: `adlseq:objectivesGlobalToSystem` (default true). */
  objectivesGlobalToSystem?: boolean;
  /** SCORM 2004 4th: `adlcp:sharedDataGlobalToSystem` (default true). */
  sharedDataGlobalToSystem?: boolean;
  /** SCORM 2004: effective sequencing of the root activity (defaults applied, collection merged). */
  sequencing?: Sequencing;
  /** SCORM 2004 4th: organization-level `adlcp:completionThreshold`. */
  completionThreshold?: CompletionThreshold;
}

/** An `<item>`: an activity, a leaf (launches a resource) or a cluster (has children). */
export interface ScormItem {
  /** `identifier` attribute. */
  identifier: string;
  /** `<title>`. */
  title: string;
  /** `isvisible` attribute (default true). */
  isVisible: boolean;
  /** `parameters` attribute, verbatim (already appended to launchUrl). */
  parameters?: string;
  /** `identifierref`: the resource this leaf launches. */
  resourceIdentifier?: string;
  /** For a leaf: the SCO or asset type of its resource. */
  scormType?: 'sco' | 'asset';
  /** For a leaf: resolved launch URL (xml:base chain + href + parameters per the SCORM CAM rules). */
  launchUrl?: string;
  /** Child items (empty for a leaf). */
  children: ScormItem[];

  /** SCORM 1.2 `adlcp:prerequisites` (AICC script), verbatim. */
  prerequisites?: string;
  /** SCORM 1.2 `adlcp:masteryscore` (0–100). */
  masteryScore?: number;
  /** SCORM 1.2 `adlcp:maxtimeallowed` (CMITimespan, e.g. `00:30:00`). */
  maxTimeAllowed?: string;
  /**
   * `adlcp:timelimitaction` (1.2) / `adlcp:timeLimitAction` (2004): one of
   * `exit,message` `exit,no message` `continue,message` `continue,no message`.
   */
  timeLimitAction?: TimeLimitAction;
  /** `adlcp:datafromlms` (1.2) / `adlcp:dataFromLMS` (2004), verbatim; given to the SCO as launch_data. */
  dataFromLms?: string;

  /** SCORM 2004 `adlcp:completionThreshold` (3rd edition text form or 4th edition attribute form). */
  completionThreshold?: CompletionThreshold;
  /** SCORM 2004 effective sequencing (defaults applied, collection merged). */
  sequencing?: Sequencing;
  /** SCORM 2004 `adlnav:presentation/navigationInterface/hideLMSUI` tokens. */
  hideLmsUi?: HideLmsUi[];
  /** SCORM 2004 4th `adlcp:data/adlcp:map` shared data buckets. */
  dataMaps?: DataMap[];
}

/** Allowed time limit actions. */
export type TimeLimitAction = 'exit,message' | 'exit,no message' | 'continue,message' | 'continue,no message';

/** `hideLMSUI` vocabulary (4th edition adds exitAll, abandonAll, suspendAll variants). */
export type HideLmsUi = 'previous' | 'continue' | 'exit' | 'exitAll' | 'abandon' | 'abandonAll' | 'suspendAll';

/** Completion threshold (2004). The 3rd edition text form sets minProgressMeasure and completedByMeasure=true. */
export interface CompletionThreshold {
  /** Whether completion is decided by progress measure. */
  completedByMeasure: boolean;
  /** Progress measure at or above which the activity is completed (0–1, default 1). */
  minProgressMeasure: number;
  /** Weight of this activity's progress in its parent's rollup (0–1, default 1). */
  progressWeight: number;
}

/** SCORM 2004 4th `adlcp:map`: a shared data bucket. */
export interface DataMap {
  /** `targetID`. */
  targetId: string;
  /** `readSharedData` (default true). */
  readSharedData: boolean;
  /** `writeSharedData` (default false). */
  writeSharedData: boolean;
}

/** A `<resource>`. */
export interface ScormResource {
  /** `identifier` attribute. */
  identifier: string;
  /** `type` attribute (normally `webcontent`). */
  type: string;
  /** `adlcp:scormtype` / `adlcp:scormType`. */
  scormType: 'sco' | 'asset';
  /** `href`, resolved against the xml:base chain (package-relative path or absolute URL). */
  href?: string;
  /** Resolved `<file href>` entries. */
  files: string[];
  /** `<dependency identifierref>` values. */
  dependencies: string[];
}

// ───────────────────────────── xAPI (tincan.xml) ─────────────────────────────

/** Language map, as in xAPI: language tag → text. `und` when the manifest gave none. */
export type LanguageMap = Record<string, string>;

/** xAPI/TinCan course model. */
export interface TinCanCourseModel extends CourseModelBase {
  format: 'tincan';
  /** Activities in manifest order. */
  activities: TinCanActivity[];
  /** Id of the main activity: the first one with a launch element. */
  mainActivityId: string;
}

/** One `<activity>` of tincan.xml. */
export interface TinCanActivity {
  /** `id` attribute (an IRI). */
  id: string;
  /** `type` attribute (an IRI) when present. */
  type?: string;
  /** `<name lang>` elements. */
  name: LanguageMap;
  /** `<description lang>` elements. */
  description: LanguageMap;
  /** `<launch>` path or URL, resolved (package-relative or absolute), when present. */
  launch?: string;
  /** `lang` of the launch element. */
  launchLang?: string;
}

// ───────────────────────────── cmi5 ─────────────────────────────

/** cmi5 course model. */
export interface Cmi5CourseModel extends CourseModelBase {
  format: 'cmi5';
  /** The `<course>` element. */
  course: Cmi5Course;
  /** Course-level `<objectives>` by id order. */
  objectives: Cmi5Objective[];
  /** Top-level blocks and AUs in order. */
  children: Cmi5Node[];
}

/** cmi5 `<course>`. */
export interface Cmi5Course {
  /** `id` (an IRI): the course activity id. */
  id: string;
  /** `<title><langstring>`. */
  title: LanguageMap;
  /** `<description><langstring>`. */
  description: LanguageMap;
}

/** cmi5 course-level `<objective>`. */
export interface Cmi5Objective {
  /** `id` (an IRI). */
  id: string;
  /** Title langstrings. */
  title: LanguageMap;
  /** Description langstrings. */
  description: LanguageMap;
}

/** A block or an AU. */
export type Cmi5Node = Cmi5Block | Cmi5Au;

/** cmi5 `<block>`. */
export interface Cmi5Block {
  /** Discriminator. */
  kind: 'block';
  /** `id` (an IRI). */
  id: string;
  /** Title langstrings. */
  title: LanguageMap;
  /** Description langstrings. */
  description: LanguageMap;
  /** `<objectives><objectiveReference idref>` values (ids of course objectives). */
  objectives: string[];
  /** Nested blocks and AUs in order. */
  children: Cmi5Node[];
}

/** cmi5 moveOn vocabulary (default NotApplicable). */
export type Cmi5MoveOn = 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';

/** cmi5 `<au>`. */
export interface Cmi5Au {
  /** Discriminator. */
  kind: 'au';
  /** `id` (an IRI). */
  id: string;
  /** Title langstrings. */
  title: LanguageMap;
  /** Description langstrings. */
  description: LanguageMap;
  /** `<objectives><objectiveReference idref>` values. */
  objectives: string[];
  /** `<url>`, resolved (package-relative path or absolute URL). */
  url: string;
  /** `moveOn` attribute (default NotApplicable). */
  moveOn: Cmi5MoveOn;
  /** `masteryScore` attribute (0–1) when present. */
  masteryScore?: number;
  /** `launchMethod` attribute (default AnyWindow). */
  launchMethod: 'AnyWindow' | 'OwnWindow';
  /** `<launchParameters>` text when present (passed to the AU in LMS.LaunchData). */
  launchParameters?: string;
  /** `<entitlementKey>` text when present. */
  entitlementKey?: string;
  /** `activityType` attribute (an IRI) when present. */
  activityType?: string;
}

// ───────────────────────────── union, report ─────────────────────────────

/** The model of any package. Narrow on `format`. */
export type CourseModel = ScormCourseModel | TinCanCourseModel | Cmi5CourseModel;

/** One finding of the validation. */
export interface Issue {
  /** Stable machine code, e.g. `launch_file_missing`. */
  code: string;
  /** Sentence for the author naming the element and the rule it broke. */
  message: string;
  /** XPath-like location, e.g. `/manifest/organizations/organization[@identifier='o1']/item[2]`. */
  path?: string;
}

/** Validation result: errors refuse the package, warnings let it import. */
export interface ValidationReport {
  /** Problems that refuse the package. */
  errors: Issue[];
  /** Problems that players tolerate; the package imports. */
  warnings: Issue[];
}
