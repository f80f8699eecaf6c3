/**
 * A small SCORM 1.2 course that a first start loads beside the demo people, so a newcomer can
 * press Launch and see the player, the runtime and the LRS at work: a short lesson on the
 * reference interview with a three-question check that reports a score and a status.
 */

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="learnhq-demo-reference-interview" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>The Reference Interview: a first look</title>
      <item identifier="lesson" identifierref="res-lesson">
        <title>Open questions</title>
        <adlcp:masteryscore>67</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-lesson" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="lesson.js"/>
    </resource>
  </resources>
</manifest>
`;

const INDEX = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Open questions</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
fieldset { margin: 1rem 0; border: 1px solid #c5ccd3; border-radius: 6px; }
button { font: inherit; padding: .5rem 1rem; background: #0b5cad; color: #fff; border: 0; border-radius: 4px; }
#result { font-weight: 600; }
</style></head>
<body>
<h1>Open questions in the reference interview</h1>
<p>Patrons rarely ask for what they need on the first try. Open questions ("What are you working
on?") invite them to say more; closed questions ("Do you want books or articles?") narrow things
down once you understand the need.</p>
<form id="quiz">
  <fieldset><legend>1. Which is an open question?</legend>
    <label><input type="radio" name="q1" value="a"> Do you need a book?</label><br>
    <label><input type="radio" name="q1" value="b"> What would you like to find out?</label></fieldset>
  <fieldset><legend>2. When is a closed question useful?</legend>
    <label><input type="radio" name="q2" value="a"> At the very start</label><br>
    <label><input type="radio" name="q2" value="b"> To confirm details once the need is clear</label></fieldset>
  <fieldset><legend>3. What ends a good reference interview?</legend>
    <label><input type="radio" name="q3" value="a"> A follow-up: "Does this answer your question?"</label><br>
    <label><input type="radio" name="q3" value="b"> Handing over the first result found</label></fieldset>
  <button type="submit">Check my answers</button>
</form>
<p id="result" role="status"></p>
<script src="lesson.js"></script>
</body></html>
`;

const LESSON_JS = `(function () {
  function findAPI(w) {
    for (var i = 0; w && i < 10; i++) { if (w.API) return w.API; if (w.parent === w) break; w = w.parent; }
    return null;
  }
  var api = findAPI(window);
  if (api) {
    api.LMSInitialize('');
    if (api.LMSGetValue('cmi.core.lesson_status') === 'not attempted') api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
    api.LMSCommit('');
  }
  var answers = { q1: 'b', q2: 'b', q3: 'a' };
  document.getElementById('quiz').addEventListener('submit', function (e) {
    e.preventDefault();
    var right = 0, n = 0;
    Object.keys(answers).forEach(function (q) {
      var picked = document.querySelector('input[name=' + q + ']:checked');
      var value = picked ? picked.value : '';
      if (api) {
        api.LMSSetValue('cmi.interactions.' + n + '.id', q);
        api.LMSSetValue('cmi.interactions.' + n + '.type', 'choice');
        api.LMSSetValue('cmi.interactions.' + n + '.student_response', value);
        api.LMSSetValue('cmi.interactions.' + n + '.result', value === answers[q] ? 'correct' : 'wrong');
      }
      if (value === answers[q]) right++;
      n++;
    });
    var score = Math.round((right / n) * 100);
    document.getElementById('result').textContent = 'You scored ' + score + '%.' + (score >= 67 ? ' Well done!' : ' Have another look and try again.');
    if (api) {
      api.LMSSetValue('cmi.core.score.raw', String(score));
      api.LMSSetValue('cmi.core.score.min', '0');
      api.LMSSetValue('cmi.core.score.max', '100');
      api.LMSSetValue('cmi.core.lesson_status', score >= 67 ? 'passed' : 'failed');
      api.LMSCommit('');
    }
  });
  window.addEventListener('pagehide', function () { if (api) api.LMSFinish(''); });
})();
`;

/** The files of the demo package, by path inside the package. */
export const DEMO_COURSE_FILES: Readonly<Record<string, string>> = {
  'imsmanifest.xml': MANIFEST,
  'index.html': INDEX,
  'lesson.js': LESSON_JS,
};

export const DEMO_COURSE = {
  title: 'The Reference Interview: a first look',
  description: 'A ten-minute lesson on open and closed questions, with a short check. Loaded as demo content.',
  language: 'en',
  estimatedMinutes: 10,
  ceCredits: 0.25,
} as const;
