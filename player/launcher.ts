/**
 * The launcher on the content origin (/launch/:sessionId): hosts scorm-again as window.API
 * (SCORM 1.2) or window.API_1484_11 (SCORM 2004), seeded with the attempt's stored data, commits
 * to the app origin's runtime API with the launch token (never a cookie), flushes on pagehide with
 * a keepalive fetch, and loads each SCO in a nested frame of this origin. The player page (app
 * origin) drives navigation with postMessage; this page answers with the navigation state after
 * every commit and every navigation request the SCO sets.
 *
 * Ending a SCO: the player's navigation first unloads the SCO (its own unload handlers still reach
 * a live API, so their session time and exit writes land) and finishes it on its behalf only when
 * it did not finish itself. A SCO that ends itself goes on as its request or the sequencing says,
 * or ends the course session (the player then returns to the course page).
 */
// Types only: the runtime itself is loaded on demand (loadRuntime), so a SCORM 1.2 launch never
// downloads the SCORM 2004 runtime with its sequencing engine, and the seed request does not wait
// for either bundle.
import type { Scorm12API, Scorm2004API } from 'scorm-again';
import { entryOf, scoAttemptsOnInitialize, trackingFromCmi2004 } from '../src/launch/scorm/sco-tracking';
import type { EngineActivitySettings, ScoTracking } from '../src/launch/scorm/sequencing-engine';
import { endsSession, requestAfterSelfEnd, unavailableMessage, type NavRequest } from './after-end';
import { engineNavigator, flowNavigator, type Navigator } from './sequencing';

interface SeedSco {
  id: string; title: string; launchUrl: string; scormType: string; isVisible: boolean; cmi: Record<string, unknown>; seq: number;
  prerequisites?: string; scoAttempts?: number;
}
interface Seed {
  sessionId: string; mode: string; format: 'scorm12' | 'scorm2004'; registration: string;
  attempt: { id: string; number: number }; startScoId: string; startChosen?: boolean; scos: SeedSco[];
  sequencing: { activityTree: EngineActivitySettings } | null; attemptState: Record<string, unknown> | null;
}
interface SeqStatus { completion: string; success: string }
type RuntimeApi = InstanceType<typeof Scorm12API> | InstanceType<typeof Scorm2004API>;
interface Runtime { readonly Api12?: typeof Scorm12API; readonly Api2004?: typeof Scorm2004API }
type Win = Window & { API?: unknown; API_1484_11?: unknown; learnhqLauncher?: unknown };

const hash = new URLSearchParams(location.hash.slice(1));
const auth = hash.get('auth') ?? '';
const apiBase = hash.get('api') ?? '';
// The token must not linger in the address bar or history.
history.replaceState(null, '', location.pathname);
const sessionId = decodeURIComponent(location.pathname.split('/').pop() ?? '');
const appOrigin = apiBase ? new URL(apiBase).origin : '';
const statusEl = document.getElementById('launcher-status');
// The player page: the parent when framed, the opener when the course opened in its own window.
// The content (same origin, framed below) must not reach it as top.opener to navigate it away, so
// the property is shadowed; assigning null instead would disown the opener, and Chromium then
// drops the player's handle on this window too (no more navigation requests, no closing it).
const host: Window = window.parent !== window ? window.parent : window.opener as Window | null ?? window.parent;
if (host !== window.parent) Object.defineProperty(window, 'opener', { value: null, writable: false, configurable: false });
const frame = document.getElementById('sco-frame') as HTMLIFrameElement | null;

function say(text: string): void {
  if (statusEl) statusEl.textContent = text;
}

const runtimeUrl = `${apiBase}/api/runtime/sessions/${encodeURIComponent(sessionId)}`;

/** scorm-again's runtime of one format, as its own chunk (scorm-again's subpath builds). */
async function loadRuntime(format: string | null): Promise<Runtime> {
  // The subpath builds export the class by name (their .d.ts declares a default export instead).
  if (format === 'scorm12') return { Api12: ((await import('scorm-again/scorm12')) as unknown as { Scorm12API: typeof Scorm12API }).Scorm12API };
  return { Api2004: ((await import('scorm-again/scorm2004')) as unknown as { Scorm2004API: typeof Scorm2004API }).Scorm2004API };
}
let runtime: Runtime = {};
let seed: Seed | undefined;
/** The SCO in the frame. `ending`: the player is ending it (its Terminate then only saves). */
interface Current {
  readonly sco: SeedSco; readonly api: RuntimeApi; initialized: boolean; terminated: boolean; ending: boolean; seq: number;
  navRequest: string; exit: string;
}
let current: Current | undefined;
// Set when this page is going away: every save from then on must outlive it (keepalive).
let leaving = false;
const statuses = new Map<string, SeqStatus>();
// The engine's inputs (SCORM 2004) and the 1.2 lesson statuses that prerequisites read, by SCO id.
const tracking = new Map<string, ScoTracking>();
const lessonStatus = new Map<string, string>();
// SCO attempts so far (limit conditions): from the seed, counted on at each Initialize as the server does.
const scoAttempts = new Map<string, number>();
let navCache: Navigator | undefined;

function track(format: Seed['format'], scoId: string, cmi: Record<string, unknown>): void {
  statuses.set(scoId, statusOf(format, cmi));
  if (format === 'scorm2004') tracking.set(scoId, trackingFromCmi2004(cmi, scoAttempts.get(scoId)));
  else {
    const root = (cmi['cmi'] ?? cmi) as Record<string, unknown>;
    lessonStatus.set(scoId, String(((root['core'] ?? {}) as Record<string, unknown>)['lesson_status'] ?? 'not attempted') || 'not attempted');
  }
  navCache = undefined;
}
let inFlight: Promise<unknown> = Promise.resolve();
// The seed's cmi of a SCO is what the server had when this page loaded; once anything is
// committed, a SCO re-entered in this session (SCO1 → SCO2 → SCO1) must start from the server's
// current data, or it would resume stale and its next commit would overwrite what it saved.
let seedStale = false;
// Only the latest delivery may load a SCO: a second navigation can arrive while one re-fetches.
let deliveries = 0;

function statusOf(format: Seed['format'], cmi: Record<string, unknown>): SeqStatus {
  const root = (cmi['cmi'] ?? cmi) as Record<string, unknown>;
  if (format === 'scorm12') {
    const s = String(((root['core'] ?? {}) as Record<string, unknown>)['lesson_status'] ?? '');
    // 'not attempted' (scorm-again's value before the SCO sets one) is not progress.
    const completion = s === 'passed' || s === 'completed' ? 'completed' : s === '' || s === 'not attempted' ? 'not attempted' : 'incomplete';
    return { completion, success: s === 'passed' || s === 'failed' ? s : 'unknown' };
  }
  return { completion: String(root['completion_status'] ?? 'unknown'), success: String(root['success_status'] ?? 'unknown') };
}

function nav(): Navigator | undefined {
  if (!seed) return undefined;
  if (navCache) return navCache;
  // SCORM 2004 sequencing: scorm-again's engine over the manifest's activity tree. SCORM 1.2 and
  // unsequenced courses: manifest order, free choice, gated by 1.2 prerequisites.
  navCache = seed.sequencing
    ? (runtime.Api2004 ? engineNavigator(runtime.Api2004 as never, seed.sequencing.activityTree, tracking) : undefined)
    : flowNavigator(seed.scos, (id) => lessonStatus.get(id) ?? 'not attempted');
  return navCache;
}

/** Tells the player where the course is: navigation, per-SCO status, a message for the learner, or the end. */
function postStatus(done = false, message?: string): void {
  if (!seed || !current) return;
  const n = nav();
  const at = current.sco.id;
  const units = seed.scos.map((s) => ({ id: s.id, allowed: s.id === at || (n?.choiceAllowed(s.id, at) ?? true), hidden: n?.hidden(s.id) ?? false, status: statuses.get(s.id) ?? null }));
  host.postMessage({
    type: 'learnhq:status', scoId: current.sco.id, done, ...(message !== undefined ? { message } : {}),
    nav: { continue: n?.next(current.sco.id) !== undefined, previous: n?.previous(current.sco.id) !== undefined }, units,
  }, appOrigin || '*');
}

const exitOf = (cmi: Record<string, unknown>): string => {
  const root = (cmi['cmi'] ?? cmi) as Record<string, unknown>;
  return String(root['exit'] ?? ((root['core'] ?? {}) as Record<string, unknown>)['exit'] ?? '');
};

/** Commits the SCO's data; navigation is re-evaluated with it at once (a SCO's new status may open the next SCO). */
async function send(c: Current, event: string, keepalive = leaving): Promise<void> {
  if (!seed) return;
  c.seq = Math.max(c.seq + 1, Date.now());
  const cmi = c.api.renderCommitCMI(true) as Record<string, unknown>;
  if (event === 'initialize') scoAttempts.set(c.sco.id, scoAttemptsOnInitialize(scoAttempts.get(c.sco.id) ?? 0, entryOf(cmi)));
  track(seed.format, c.sco.id, cmi);
  c.exit = exitOf(cmi);
  if (c === current && !leaving) postStatus();
  seedStale = true;
  const body = JSON.stringify({ scoId: c.sco.id, seq: c.seq, cmi, event });
  const request = fetch(`${runtimeUrl}/commits`, {
    method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body, keepalive, mode: 'cors', credentials: 'omit',
  }).then(async (r) => {
    if (!r.ok) say(`Saving your progress failed (${r.status}); it will be retried with the next save.`);
    return r.ok ? ((await r.json()) as unknown) : undefined;
  }).catch(() => say('Saving your progress failed; check the connection.'));
  inFlight = inFlight.then(() => request);
  await request;
}

/**
 * Replaces the seed's per-SCO data with the server's, after every commit sent so far has landed.
 * The server re-seeds a SCO from its stored commit (entry from the last exit, exit and session
 * time cleared, learner preferences another SCO changed), which a copy kept here could not.
 */
async function refreshSeed(): Promise<boolean> {
  await inFlight;
  // Cleared before the request: a commit sent while it is in flight marks the seed stale again.
  seedStale = false;
  try {
    const r = await fetch(runtimeUrl, { headers: { Authorization: auth }, mode: 'cors', credentials: 'omit' });
    if (!r.ok) throw new Error(String(r.status));
    const fresh = new Map(((await r.json()) as Seed).scos.map((s) => [s.id, s]));
    for (const s of seed?.scos ?? []) {
      const f = fresh.get(s.id);
      if (!f) continue;
      s.cmi = f.cmi;
      s.seq = Math.max(s.seq, f.seq);
    }
    return true;
  } catch {
    seedStale = true;
    return false;
  }
}

async function deliver(scoId: string): Promise<void> {
  if (!seed || !frame) return;
  const sco = seed.scos.find((s) => s.id === scoId);
  if (!sco) return;
  const mine = ++deliveries;
  // A SCO still on screen (it ended itself) leaves before the next one's API replaces its own:
  // its unload handlers must not reach the next SCO's runtime.
  await unloadSco();
  if (mine !== deliveries) return;
  if (seedStale) {
    say('Loading…');
    const ok = await refreshSeed();
    if (mine !== deliveries) return;
    if (!ok) {
      // Starting from stale data would overwrite what the SCO saved at its next commit.
      say('Your saved progress could not be loaded; check the connection and choose the part again.');
      postStatus();
      return;
    }
  }
  const w = window as Win;
  delete w.API;
  delete w.API_1484_11;
  const settings = { logLevel: 5 as const, autocommit: false, lmsCommitUrl: false as const };
  let api: RuntimeApi;
  if (seed.format === 'scorm12') {
    if (!runtime.Api12) return;
    api = new runtime.Api12(settings);
    w.API = api;
  } else {
    if (!runtime.Api2004) return;
    // scorm-again's own sequencing is fed the manifest's activity tree: the SCO's adl.nav.request_valid
    // answers come from it.
    api = new runtime.Api2004({ ...settings, ...(seed.sequencing ? { sequencing: seed.sequencing as never } : {}) });
    w.API_1484_11 = api;
  }
  api.loadFromJSON(sco.cmi);
  const c: Current = { sco, api, initialized: false, terminated: false, ending: false, seq: sco.seq, navRequest: '_none_', exit: '' };
  current = c;
  const prefix = seed.format === 'scorm12' ? 'LMS' : '';
  api.on(seed.format === 'scorm12' ? 'LMSInitialize' : 'Initialize', () => {
    c.initialized = true;
    void send(c, 'initialize');
  });
  api.on(`${prefix}Commit`, () => void send(c, 'commit'));
  if (seed.format === 'scorm2004') {
    // scorm-again may clear adl.nav.request while terminating, so remember what the SCO asked for;
    // the request may come with statuses not yet committed, which can open the way it asks for.
    api.on('SetValue.adl.nav.request', (_el: string, value: unknown) => {
      c.navRequest = String(value);
      if (c !== current || c.terminated) return;
      track('scorm2004', c.sco.id, c.api.renderCommitCMI(true) as Record<string, unknown>);
      postStatus();
    });
  }
  api.on(seed.format === 'scorm12' ? 'LMSFinish' : 'Terminate', () => {
    c.terminated = true;
    const saved = send(c, 'terminate');
    // Ended by the player (navigation, exit, page closing): the player's request goes on from there.
    if (!c.ending) void saved.then(() => afterSelfEnd(c));
  });
  frame.title = sco.title;
  frame.src = sco.launchUrl;
  say('');
  postStatus();
}

/** A SCO ended itself: its own request, or go on as the course flows, or end the course session. */
function afterSelfEnd(c: Current): void {
  if (!seed || c !== current || c.ending) return;
  navigate(requestAfterSelfEnd(seed.format === 'scorm2004' ? c.navRequest : '_none_', c.exit), true);
}

/** The course session is over: once every save has landed, the player returns to the course page. */
async function endSession(): Promise<void> {
  say('The course session has ended.');
  await inFlight;
  postStatus(true);
}

/** Carries out a request once the current SCO has ended (`ended`: the SCO asked for it itself). */
function navigate(r: NavRequest, ended = false): void {
  if (!seed || !current) return;
  const n = nav();
  const at = current.sco.id;
  if (endsSession(r.request)) {
    void endSession();
    return;
  }
  let target: string | undefined;
  if (r.request === 'continue' || r.request === 'auto') target = n?.next(at);
  else if (r.request === 'previous') target = n?.previous(at);
  else if (r.request === 'choice' || r.request === 'jump') target = r.target !== undefined && n?.choiceAllowed(r.target, at) ? r.target : undefined;
  if (target) {
    void deliver(target);
    return;
  }
  // Nothing to go on to: a course that ended by itself, or a request the course does not allow.
  const other = seed.scos.some((s) => s.id !== at && !(n?.hidden(s.id) ?? false) && (n?.choiceAllowed(s.id, at) ?? true));
  if (r.request === 'auto' || (ended && !other)) {
    void endSession();
    return;
  }
  const message = unavailableMessage(r.request, ended);
  say(message);
  postStatus(false, message);
}

const isMove = (request: string): boolean => request === 'continue' || request === 'previous' || request === 'choice' || request === 'jump';

/**
 * Unloads the SCO (navigating its frame away runs its beforeunload, pagehide and unload handlers
 * while its API is still live here); resolves when the frame is empty, or after 5 s.
 */
function unloadSco(): Promise<void> {
  const f = frame;
  if (!f || !f.isConnected || (f.getAttribute('src') ?? 'about:blank') === 'about:blank') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      f.removeEventListener('load', done);
      resolve();
    };
    const timer = setTimeout(done, 5000);
    f.addEventListener('load', done);
    f.src = 'about:blank';
  });
}

/** Calls LMSFinish / Terminate for a SCO that did not. */
function finishFor(c: Current): void {
  if (seed?.format === 'scorm12') (c.api as InstanceType<typeof Scorm12API>).LMSFinish('');
  else (c.api as InstanceType<typeof Scorm2004API>).Terminate('');
}

/**
 * A navigation request from the player. One the sequencing forbids is refused while the SCO runs;
 * otherwise the SCO is unloaded first (suspended on exit), finished on its behalf if it did not
 * finish itself, and the request carried out.
 */
async function request(r: NavRequest): Promise<void> {
  const c = current;
  if (!c || !seed || c.ending) return;
  if (isMove(r.request)) {
    // The running SCO's newest status counts, committed or not.
    if (!c.terminated && c.initialized) track(seed.format, c.sco.id, c.api.renderCommitCMI(true) as Record<string, unknown>);
    const n = nav();
    const ok = r.request === 'continue' ? n?.next(c.sco.id) !== undefined
      : r.request === 'previous' ? n?.previous(c.sco.id) !== undefined
        : r.target !== undefined && (n?.choiceAllowed(r.target, c.sco.id) ?? false);
    if (!ok) {
      const message = unavailableMessage(r.request, c.terminated);
      say(message);
      postStatus(false, message);
      return;
    }
  }
  if (c.initialized && !c.terminated) {
    c.ending = true;
    if (r.request === 'suspendAll' || r.request === 'exit') {
      const api = c.api as { SetValue?: (k: string, v: string) => string; LMSSetValue?: (k: string, v: string) => string };
      if (seed.format === 'scorm12') api.LMSSetValue?.('cmi.core.exit', 'suspend');
      else api.SetValue?.('cmi.exit', 'suspend');
    }
    await unloadSco();
    if (!c.terminated) finishFor(c);
  }
  navigate(r.request === 'exit' ? { request: 'suspendAll' } : r);
}

window.addEventListener('message', (e: MessageEvent) => {
  if (e.origin !== appOrigin || typeof e.data !== 'object' || e.data === null) return;
  const d = e.data as { type?: string; request?: string; target?: string };
  if (d.type === 'learnhq:nav' && typeof d.request === 'string') void request({ request: d.request, ...(typeof d.target === 'string' ? { target: d.target } : {}) });
});

// This page is going away (tab or window closed, the player left): the SCO is unloaded first, so
// its own unload handlers still save through a live API, then what it did not save is flushed;
// every request from now on outlives the page.
window.addEventListener('pagehide', (e: PageTransitionEvent) => {
  leaving = true;
  const c = current;
  if (!c?.initialized || c.terminated) return;
  c.ending = true;
  // Removing the frame unloads the SCO at once (a page kept for back/forward keeps its frames).
  if (!e.persisted) frame?.remove();
  if (!c.terminated) void send(c, 'unload');
});

async function start(): Promise<void> {
  if (!auth || !apiBase) {
    say('This launch link is incomplete: open the course again from LearnHQ.');
    return;
  }
  // The seed request and the runtime chunk load side by side; the format comes with the launch URL
  // (older URLs without it wait for the seed to say).
  const hinted = hash.get('format');
  const runtimeLoad = hinted === 'scorm12' || hinted === 'scorm2004' ? loadRuntime(hinted) : undefined;
  // Handled here too, so a failed load is not reported unhandled when the seed fails first.
  runtimeLoad?.catch(() => undefined);
  const r = await fetch(runtimeUrl, { headers: { Authorization: auth }, mode: 'cors', credentials: 'omit' });
  if (!r.ok) {
    say(`The course cannot start (${r.status}). Open it again from LearnHQ.`);
    return;
  }
  const body = (await r.json()) as Seed;
  runtime = await (hinted === body.format && runtimeLoad ? runtimeLoad : loadRuntime(body.format));
  seed = body;
  for (const s of seed.scos) {
    if ((s.scoAttempts ?? 0) > 0) scoAttempts.set(s.id, s.scoAttempts ?? 0);
    if (s.seq > 0) track(seed.format, s.id, s.cmi);
  }
  (window as Win).learnhqLauncher = { request: (r: NavRequest) => void request(r), get current() { return current?.sco.id; } };
  // Unless the launch chose the SCO (or resumes one), the sequencing's start request picks it.
  await deliver(seed.startChosen ? seed.startScoId : nav()?.start() ?? seed.startScoId);
}

start().catch(() => say('The course cannot start. Open it again from LearnHQ.'));
