/**
 * The player page measures how long the learner has it open and visible, and reports the running
 * total of its launch session to POST /api/play/:sessionId/time: every 15 seconds while visible,
 * when it is hidden, when the learner presses Exit, and as the page goes away (a keepalive fetch
 * outlives the page). When the content reports no time of its own, that measure is the attempt's
 * time, shown as measured by LearnHQ (src/launch/record).
 */
const REPORT_EVERY_MS = 15_000;

const match = /^\/play\/([^/]+)$/.exec(location.pathname);
const csrf = document.querySelector<HTMLInputElement>('form.signout input[name="_csrf"]')?.value;
if (match?.[1] && csrf !== undefined && document.getElementById('player')) {
  const endpoint = `/api/play/${match[1]}/time`;
  let visibleMs = 0;
  let visibleSince: number | undefined = document.visibilityState === 'visible' ? performance.now() : undefined;
  let lastSent = -1;

  const total = (): number => visibleMs + (visibleSince !== undefined ? performance.now() - visibleSince : 0);
  const report = (): void => {
    const seconds = Math.floor(total() / 100) / 10;
    if (seconds <= lastSent) return;
    lastSent = seconds;
    void fetch(endpoint, {
      method: 'POST', keepalive: true, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ seconds }),
    }).catch(() => undefined);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      visibleSince ??= performance.now();
    } else {
      if (visibleSince !== undefined) visibleMs += performance.now() - visibleSince;
      visibleSince = undefined;
      report();
    }
  });
  setInterval(() => {
    if (visibleSince !== undefined) report();
  }, REPORT_EVERY_MS);
  document.getElementById('nav-exit')?.addEventListener('click', report);
  window.addEventListener('pagehide', report);
}
