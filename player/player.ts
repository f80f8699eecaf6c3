/**
 * The player page shell (app origin, /play/:sessionId): frames the content (or opens it in a new
 * window when the package asks) and drives navigation — table of contents, previous/next, exit.
 *
 * SCORM: the content-origin launcher runs the course; navigation goes to it by postMessage, and its
 * status messages (trusted only from the content origin) enable the buttons, show each unit's
 * status and end the session (back to the course page).
 * cmi5 and TinCan: the content is framed directly and knows nothing of the player; choosing
 * another unit is a new launch of that unit (a form POST), and Exit leaves. Either way the content
 * is unloaded first, so what its unload handlers send is on its way before the page goes.
 */
import './presence';
import { statusWord } from '../src/launch/status-word';

interface UnitState { id: string; allowed: boolean; hidden: boolean; status: { completion: string; success: string } | null }
interface StatusMessage {
  type: 'learnhq:status'; scoId: string; done: boolean; message?: string; nav: { continue: boolean; previous: boolean }; units: UnitState[];
}

const root = document.getElementById('player');
if (root) {
  const contentOrigin = root.dataset['contentOrigin'] ?? '';
  const frameUrl = root.dataset['frameUrl'] ?? '';
  const exitUrl = root.dataset['exitUrl'] ?? '/';
  const newWindow = root.dataset['newWindow'] === 'true';
  const launcher = root.dataset['launcher'] !== 'false';
  const frame = document.getElementById('player-frame') as HTMLIFrameElement | null;
  const prev = document.getElementById('nav-previous') as HTMLButtonElement | null;
  const next = document.getElementById('nav-continue') as HTMLButtonElement | null;
  const exit = document.getElementById('nav-exit') as HTMLButtonElement | null;
  const unitForm = document.getElementById('unit-form') as HTMLFormElement | null;
  const live = document.getElementById('player-status');
  let popup: Window | null = null;
  // Set once the learner leaves or opens another unit: the page is on its way out.
  let busy = false;
  let left = false;
  let shownSco = '';

  const target = (): Window | null => (newWindow ? popup : frame?.contentWindow ?? null);
  const send = (request: string, targetId?: string): void => {
    target()?.postMessage({ type: 'learnhq:nav', request, ...(targetId !== undefined ? { target: targetId } : {}) }, contentOrigin);
  };
  const say = (text: string): void => {
    if (live) live.textContent = text;
  };
  const leave = (): void => {
    if (left) return;
    left = true;
    busy = true;
    if (popup && !popup.closed) popup.close();
    location.assign(exitUrl);
  };
  // A safety net for content that never answers; data-exit-fallback-ms sets how long it waits.
  const fallback = (then: () => void): void => {
    setTimeout(then, Number(root.dataset['exitFallbackMs'] ?? '4000'));
  };

  /**
   * Unloads content framed directly (cmi5, TinCan): its unload handlers run now and what they send
   * (keepalive requests, beacons) is on its way once the empty page has loaded.
   */
  let unloading = false;
  const unloadContent = (): Promise<void> => new Promise((resolve) => {
    if (newWindow) {
      if (popup && !popup.closed) popup.close();
      resolve();
      return;
    }
    if (!frame) {
      resolve();
      return;
    }
    unloading = true;
    frame.addEventListener('load', () => resolve(), { once: true });
    frame.src = 'about:blank';
  });

  /** cmi5/TinCan: opens another unit (a new launch of it), after unloading the current one. */
  const openUnit = (id: string): void => {
    if (!unitForm || busy) return;
    busy = true;
    say('Saving and opening…');
    const go = (): void => {
      const input = unitForm.querySelector<HTMLInputElement>('input[name="scoId"]');
      if (input) input.value = id;
      unitForm.submit();
    };
    void unloadContent().then(go);
  };

  // The content window ends the session when the learner closes it (the launcher saves on pagehide)
  // or when it comes back to this origin (content following its return URL).
  const watch = (w: Window): void => {
    const timer = setInterval(() => {
      let home = false;
      try {
        home = !w.closed && w.location.origin === location.origin;
      } catch {
        // Another origin (the content): still running.
      }
      if (!w.closed && !home) return;
      clearInterval(timer);
      if (popup === w) leave();
    }, 300);
  };

  if (newWindow) {
    const open = document.getElementById('open-window') as HTMLButtonElement | null;
    open?.addEventListener('click', () => {
      if (popup && !popup.closed) {
        popup.focus();
        return;
      }
      // Opened from a click, so pop-up blockers let it through; when blocked, the button stays to retry.
      popup = window.open(frameUrl, 'learnhq-content');
      if (!popup) {
        say('Your browser blocked the course window. Allow pop-ups for this site, then press Open the course again.');
        return;
      }
      say('The course is open in its own window.');
      watch(popup);
    });
  } else if (frame) {
    // Content that follows its return URL inside the frame arrives on this origin (the return
    // page): the learner goes back to the course page, at the top level.
    frame.addEventListener('load', () => {
      if (unloading) return;
      let home = false;
      try {
        home = frame.contentWindow?.location.origin === location.origin && frame.contentWindow.location.href !== 'about:blank';
      } catch {
        // Another origin (the content): still running.
      }
      if (home) leave();
    });
    // A page that renders the frame with its src already loading is left alone.
    if (!frame.getAttribute('src')) frame.src = frameUrl;
  }

  if (launcher) {
    prev?.addEventListener('click', () => send('previous'));
    next?.addEventListener('click', () => send('continue'));
  } else {
    for (const b of [prev, next]) b?.addEventListener('click', () => { if (b.dataset['target']) openUnit(b.dataset['target']); });
  }
  exit?.addEventListener('click', () => {
    if (newWindow && (!popup || popup.closed)) {
      leave();
      return;
    }
    busy = true;
    say('Saving and leaving…');
    fallback(leave);
    if (launcher) {
      // The launcher answers with done=true once the content is suspended and saved.
      send('suspendAll');
      return;
    }
    void unloadContent().then(leave);
  });
  document.querySelectorAll<HTMLButtonElement>('button[data-unit]').forEach((b) => {
    b.addEventListener('click', () => {
      const id = b.dataset['unit'] ?? '';
      if (launcher) send('choice', id);
      else openUnit(id);
    });
  });

  window.addEventListener('message', (e: MessageEvent) => {
    if (!launcher || e.origin !== contentOrigin || typeof e.data !== 'object' || e.data === null) return;
    const m = e.data as StatusMessage;
    if (m.type !== 'learnhq:status') return;
    if (prev) prev.disabled = !m.nav.previous;
    if (next) next.disabled = !m.nav.continue;
    for (const u of m.units) {
      const b = document.querySelector<HTMLButtonElement>(`button[data-unit="${CSS.escape(u.id)}"]`);
      if (!b) continue;
      b.disabled = !u.allowed;
      b.closest('li')?.toggleAttribute('hidden', u.hidden);
      if (u.id === m.scoId) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      const st = b.parentElement?.querySelector('.unit-status');
      if (st) st.textContent = statusWord(u.status);
    }
    // A message stays until the learner is in another part.
    if (m.message !== undefined) say(m.message);
    else if (m.scoId !== shownSco && !busy) say('');
    shownSco = m.scoId;
    if (m.done) {
      say('The course session has ended.');
      // Nothing is left to show: back to the course page, which shows the result.
      leave();
    }
  });
}
