/**
 * The player page shell (app origin, /play/:sessionId): frames the content-origin launcher (or
 * opens it in a new window when the package asks), and drives navigation — table of contents,
 * previous/next, exit that suspends — by postMessage to the launcher, whose answers it trusts only
 * from the content origin.
 */
import './presence';
interface UnitState { id: string; allowed: boolean; hidden: boolean; status: { completion: string; success: string } | null }
interface StatusMessage { type: 'learnhq:status'; scoId: string; done: boolean; nav: { continue: boolean; previous: boolean }; units: UnitState[] }

const root = document.getElementById('player');
if (root) {
  const contentOrigin = root.dataset['contentOrigin'] ?? '';
  const frameUrl = root.dataset['frameUrl'] ?? '';
  const exitUrl = root.dataset['exitUrl'] ?? '/';
  const newWindow = root.dataset['newWindow'] === 'true';
  const frame = document.getElementById('player-frame') as HTMLIFrameElement | null;
  const prev = document.getElementById('nav-previous') as HTMLButtonElement | null;
  const next = document.getElementById('nav-continue') as HTMLButtonElement | null;
  const exit = document.getElementById('nav-exit') as HTMLButtonElement | null;
  const live = document.getElementById('player-status');
  let popup: Window | null = null;
  let exiting = false;

  const target = (): Window | null => (newWindow ? popup : frame?.contentWindow ?? null);
  const send = (request: string, targetId?: string): void => {
    target()?.postMessage({ type: 'learnhq:nav', request, ...(targetId !== undefined ? { target: targetId } : {}) }, contentOrigin);
  };
  const leave = (): void => {
    if (popup && !popup.closed) popup.close();
    location.assign(exitUrl);
  };
  const say = (text: string): void => {
    if (live) live.textContent = text;
  };

  // The content window ends the session when the learner closes it (the launcher saves on pagehide)
  // or when it comes back to this origin (a cmi5 AU following returnURL).
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
  } else if (frame && !frame.getAttribute('src')) {
    // A page that renders the frame with its src already loading is left alone.
    frame.src = frameUrl;
  }

  prev?.addEventListener('click', () => send('previous'));
  next?.addEventListener('click', () => send('continue'));
  exit?.addEventListener('click', () => {
    if (newWindow && (!popup || popup.closed)) {
      leave();
      return;
    }
    exiting = true;
    if (live) live.textContent = 'Saving and leaving…';
    send('suspendAll');
    // The launcher answers with done=true once the content is suspended; leave anyway if it cannot.
    setTimeout(leave, 4000);
  });
  document.querySelectorAll<HTMLButtonElement>('button[data-unit]').forEach((b) => {
    b.addEventListener('click', () => send('choice', b.dataset['unit']));
  });

  window.addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== contentOrigin || typeof e.data !== 'object' || e.data === null) return;
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
      if (st) st.textContent = u.status ? (u.status.success !== 'unknown' ? u.status.success : u.status.completion) : '';
    }
    if (m.done) {
      if (live) live.textContent = 'The course session has ended.';
      // A content window has nothing left to show: close it and return to the course page.
      if (exiting || newWindow) leave();
    }
  });
}
