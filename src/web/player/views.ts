import type { CourseStanding, PlayerView } from '../../launch/service';
import { statusWord } from '../../launch/status-word';
import { tocUnits, type TocNode } from '../../launch/toc';
import { html, type Html } from '../html';

const pct = (scaled: number | undefined): string => (scaled === undefined ? '—' : `${Math.round(scaled * 100)} %`);

/** Seconds as "1 h 5 min" / "3 min 20 s". */
export function timeSpent(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/**
 * A time with where it comes from: the content's own report, or what LearnHQ's player measured
 * when the content reports none (src/launch/record), said in words beside the figure.
 */
function timeWithSource(seconds: number, source: string | undefined): Html {
  return html`${timeSpent(seconds)}${source === 'player' ? html` <span class="muted time-source">(measured by LearnHQ)</span>` : ''}`;
}

function launchForm(courseId: string, csrf: string, mode: string, label: string, primary: boolean): Html {
  return html`<form class="inline" method="post" action="/courses/${encodeURIComponent(courseId)}/launch">
  <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="mode" value="${mode}">
  <button type="submit" class="${primary ? '' : 'secondary'}">${label}</button>
</form>`;
}

/** /courses/:courseId: the learner's course page (twin of GET /api/courses/:courseId/me). */
export function coursePageView(v: CourseStanding, csrf: string): Html {
  const p = v.progress;
  return html`<h1 lang="${v.course.language}">${v.course.title}</h1>
${v.course.description ? html`<p lang="${v.course.language}">${v.course.description}</p>` : ''}
<section class="card" aria-labelledby="standing-h">
  <h2 id="standing-h">Your progress</h2>
  <dl class="facts">
    <dt>Status</dt><dd data-field="status">${p ? statusWord(p) : 'Not started'}${v.best ? html` <span class="muted">(attempt ${v.attempts.length})</span>` : ''}</dd>
    <dt>Score</dt><dd data-field="score">${pct(p?.scoreScaled)}</dd>
    ${v.best ? html`<dt>Best result</dt><dd data-field="best">${statusWord(v.best)} · ${pct(v.best.scoreScaled)} <span class="muted">(attempt ${v.best.number})</span></dd>` : ''}
    <dt>Time spent</dt><dd data-field="time">${timeWithSource(p?.totalSeconds ?? 0, p?.timeSource)}</dd>
    <dt>Attempts</dt><dd data-field="attempts">${v.attempts.length}</dd>
  </dl>
  <div class="actions player-actions">
    ${v.actions.resume ? launchForm(v.course.id, csrf, 'normal', 'Resume', true) : ''}
    ${v.actions.launch ? launchForm(v.course.id, csrf, 'normal', v.attempts.length === 0 ? 'Launch' : 'Start a new attempt', !v.actions.resume) : ''}
    ${v.actions.review ? launchForm(v.course.id, csrf, 'review', 'Review', false) : ''}
  </div>
</section>
${v.attempts.length > 0
    ? html`<table>
  <caption class="visually-hidden">Your attempts</caption>
  <thead><tr><th scope="col">Attempt</th><th scope="col">Status</th><th scope="col">Score</th><th scope="col">Time</th><th scope="col">Last activity</th></tr></thead>
  <tbody>${v.attempts.map((a) => html`<tr>
    <td>${a.number}</td><td>${statusWord(a)}${a.suspended ? ' (suspended)' : ''}</td><td>${pct(a.scoreScaled)}</td>
    <td>${timeWithSource(a.totalSeconds, a.timeSource)}</td><td>${a.updatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</td></tr>`)}</tbody>
</table>`
    : ''}
${v.units.length > 1 ? html`<h2>Contents</h2><ol>${v.units.map((u) => html`<li>${u.title}</li>`)}</ol>` : ''}`;
}

/**
 * /play/:sessionId: the player shell framing the content origin. The frame carries its src, so
 * the launcher starts loading while the page parses rather than after the (deferred) page script
 * runs; the script leaves such a frame alone. In new-window mode there is no frame: the script
 * opens data-frame-url on the learner's click.
 */
/**
 * The table of contents: sections (an organization's items that hold others, cmi5 blocks) with
 * their units nested below. A unit's status comes from the server (formats without a launcher) or
 * from the launcher's status messages; a unit without one is not started.
 */
function tocView(nodes: readonly TocNode[], v: PlayerView, launcher: boolean): Html {
  return html`<ol>${nodes.map((n) => {
    if (n.unitId === undefined) {
      return html`<li class="toc-section"><span class="toc-section-title">${n.title}</span>${tocView(n.children, v, launcher)}</li>`;
    }
    const current = !launcher && n.unitId === v.launch.unitId;
    const status = launcher ? '' : statusWord(v.launch.unitStatuses?.[n.unitId]);
    return html`<li><button type="button" class="link" data-unit="${n.unitId}"${current ? html` aria-current="step"` : ''}>${n.title}</button>
      <span class="unit-status muted">${status}</span></li>`;
  })}</ol>`;
}

/** A navigation button; formats without a launcher name the unit it opens (data-target), or are disabled. */
function navButton(id: string, label: string, launcher: boolean, target: string | undefined, cls: string): Html {
  if (launcher || target === undefined) return html`<button type="button" id="${id}" class="${cls}" disabled>${label}</button>`;
  return html`<button type="button" id="${id}" class="${cls}" data-target="${target}">${label}</button>`;
}

export function playerPageView(v: PlayerView, contentOrigin: string, csrf: string): Html {
  const multi = v.units.length > 1;
  // SCORM runs our launcher, which drives navigation; other formats switch units by a new launch.
  const launcher = v.version.format === 'scorm12' || v.version.format === 'scorm2004';
  const order = tocUnits(v.toc);
  const at = v.launch.unitId !== undefined ? order.indexOf(v.launch.unitId) : -1;
  const prev = at > 0 ? order[at - 1] : undefined;
  const next = at >= 0 ? order[at + 1] : undefined;
  const courseUrl = `/courses/${encodeURIComponent(v.course.id)}`;
  return html`<div id="player" class="player" data-frame-url="${v.launch.frameUrl}" data-content-origin="${contentOrigin}"
  data-exit-url="${courseUrl}" data-new-window="${v.launch.newWindow ? 'true' : 'false'}"
  data-launcher="${launcher ? 'true' : 'false'}" data-exit-fallback-ms="4000">
  <div class="player-bar">
    <h1 class="player-title">${v.course.title}</h1>
    <span class="muted">Attempt ${v.attempt.number}${v.session.mode === 'review' ? ' · review' : ''}</span>
    <div class="player-nav" role="toolbar" aria-label="Course navigation">
      ${multi ? html`${navButton('nav-previous', 'Previous', launcher, prev, 'secondary')}
      ${navButton('nav-continue', 'Next', launcher, next, '')}` : ''}
      <button type="button" id="nav-exit" class="secondary">Exit</button>
    </div>
  </div>
  <p id="player-status" class="muted" role="status" aria-live="polite"></p>
  ${launcher ? '' : html`<form id="unit-form" method="post" action="${courseUrl}/launch" hidden>
    <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="mode" value="${v.session.mode}"><input type="hidden" name="scoId" value="">
  </form>`}
  <div class="player-body">
    ${multi ? html`<nav class="player-toc" aria-label="Table of contents">${tocView(v.toc, v, launcher)}</nav>` : ''}
    ${v.launch.newWindow
      ? html`<p>This course opens in its own window. <button type="button" id="open-window">Open the course</button></p>`
      : html`<iframe id="player-frame" class="player-frame" title="Course content" allow="fullscreen; autoplay" src="${v.launch.frameUrl}"></iframe>`}
  </div>
</div>`;
}
