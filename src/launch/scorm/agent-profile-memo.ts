/**
 * Which commits must read and write the learner's SCORM Agent Profile document. Every commit of a
 * SCO carries the same learner preferences (the seed puts the stored ones in), so reading the
 * document at each commit only to find nothing changed is wasted work on the commit path. The
 * document is synchronised at Initialize and at the end of a SCO session (Terminate, or the
 * launcher's unload flush), and in between only when the commit's preferences differ from the
 * ones this session last wrote.
 *
 * The memo lives in the process: another instance (or a restart) simply has no entry for the
 * session and writes once more, which the document's compare-and-set makes harmless.
 */
/** The runtime event of a commit (CommitEvent in runtime-service.ts, named here so the two files import one way only). */
export type CommitEvent = 'initialize' | 'commit' | 'terminate' | 'unload';

// Sessions with a live SCO at once per process, with room to spare; beyond it the oldest entry
// goes (Map keeps insertion order), which costs that session one extra document read.
const MAX_SESSIONS = 10_000;

function always(event: CommitEvent): boolean {
  return event === 'initialize' || event === 'terminate' || event === 'unload';
}

/** A canonical text of the preferences (key order does not count). */
function keyOf(preferences: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(preferences).sort().map((k) => [k, preferences[k]]));
}

/** Tracks, per launch session, the learner preferences last written to the Agent Profile. */
export interface AgentProfileMemo {
  /** True when this commit must read/write the Agent Profile document. */
  due(sessionId: string, event: CommitEvent, preferences: Readonly<Record<string, unknown>>): boolean;
  /** Records a completed write (call only after it succeeded). */
  written(sessionId: string, event: CommitEvent, preferences: Readonly<Record<string, unknown>>): void;
}

/** A memo of at most `maxSessions` sessions. */
export function createAgentProfileMemo(maxSessions = MAX_SESSIONS): AgentProfileMemo {
  const last = new Map<string, string>();
  return {
    due(sessionId, event, preferences) {
      if (always(event)) return true;
      if (Object.keys(preferences).length === 0) return false;
      return last.get(sessionId) !== keyOf(preferences);
    },
    written(sessionId, event, preferences) {
      last.delete(sessionId);
      // The SCO session ended: the next SCO's Initialize writes again, so keep no entry.
      if (event === 'terminate' || event === 'unload') return;
      if (last.size >= maxSessions) {
        const oldest = last.keys().next();
        if (!oldest.done) last.delete(oldest.value);
      }
      last.set(sessionId, keyOf(preferences));
    },
  };
}
