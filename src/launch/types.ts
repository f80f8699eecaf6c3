/**
 * Shared types of the launch area: what the launch service gives each package format, and the
 * hooks other formats (xAPI/TinCan, cmi5) plug in through `launchRouter(services, options)`.
 */
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import type { Attempt, Course, CourseVersion, LaunchSession, Registration } from '../store/ports';

/** Everything a format needs to open one launch session in the player. */
export interface LaunchContext {
  readonly services: AppServices;
  readonly session: LaunchSession;
  readonly registration: Registration;
  readonly attempt: Attempt;
  readonly course: Course;
  /** The version the registration is bound to (its model says what to launch). */
  readonly version: CourseVersion;
  /** The signed-in learner (the session's owner). */
  readonly user: UserContext;
  /** The learner's xAPI actor (account on the site's home page). */
  readonly actor: Record<string, unknown>;
  /** The course activity IRI (src/launch/iris.ts courseIri). */
  readonly courseActivityId: string;
}

/** A unit's status as the player lists it. */
export interface UnitStatus {
  readonly completion: 'not attempted' | 'incomplete' | 'completed';
  readonly success: 'unknown' | 'passed' | 'failed';
}

/** What the player frames for a launch session. */
export interface FormatLaunch {
  /** Absolute URL on the content origin that the player page frames (or opens in a window). */
  readonly frameUrl: string;
  /** Open in a new window instead of the frame (cmi5 launchMethod OwnWindow, SCORM window hints). */
  readonly newWindow?: boolean;
  /**
   * The unit this session opens (cmi5 AU, TinCan activity) when the format has no launcher of its
   * own to choose: the player marks it current and offers the units around it.
   */
  readonly unitId?: string;
  /** Units' statuses at launch, by unit id, for formats whose content tells the player nothing. */
  readonly unitStatuses?: Readonly<Record<string, UnitStatus>>;
}

/**
 * Opens a launch session of one format: issues whatever credential the content needs (a launch
 * token for the registration) and returns the URL the player frames. Called each time the
 * player page for the session is rendered, so tokens are fresh.
 */
export type FormatLauncher = (ctx: LaunchContext) => Promise<FormatLaunch>;

/** Options of `launchRouter`: the format launchers beyond SCORM. */
export interface LaunchOptions {
  /** Launchers by format; SCORM 1.2 and 2004 are built in (src/launch/scorm/launcher.ts). */
  readonly launchers?: { readonly tincan?: FormatLauncher; readonly cmi5?: FormatLauncher };
}
