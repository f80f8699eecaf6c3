/**
 * Activity IRIs of launched courses, shared by the SCORM profile statements, the launch tokens
 * and the progress projection. They live under the app's public URL so they resolve and stay
 * stable across versions of a course (a new upload is the same course activity).
 */
import type { Config } from '../config';

/** The course activity: `<publicUrl>/courses/<courseId>`. */
export function courseIri(config: Pick<Config, 'publicUrl'>, courseId: string): string {
  return `${config.publicUrl}/courses/${encodeURIComponent(courseId)}`;
}

/** A SCO (or any launchable item) of the course: `<courseIri>/sco/<item identifier>`. */
export function scoIri(courseActivity: string, scoId: string): string {
  return `${courseActivity}/sco/${encodeURIComponent(scoId)}`;
}

/** A SCO attempt (the SCORM profile's attempt activity): `<scoIri>/attempts/<attemptId>`. */
export function scoAttemptIri(scoActivity: string, attemptId: string): string {
  return `${scoActivity}/attempts/${encodeURIComponent(attemptId)}`;
}

/** An interaction of a SCO: `<scoIri>/interactions/<interaction id>`. */
export function interactionIri(scoActivity: string, interactionId: string): string {
  return `${scoActivity}/interactions/${encodeURIComponent(interactionId)}`;
}

/** An objective of a SCO: `<scoIri>/objectives/<objective id>`. */
export function objectiveIri(scoActivity: string, objectiveId: string): string {
  return `${scoActivity}/objectives/${encodeURIComponent(objectiveId)}`;
}
