// Package upload with progress: enhances every <form data-upload> of the author console.
// The zip is sent as the raw request body (application/zip) with XMLHttpRequest, whose upload
// progress events drive the <progress> bar; the API's JSON answer (course, version and the
// validation report, or the refusal with its report) is shown in the form. Text only (no
// innerHTML), so nothing from the server or the package can inject markup. A new version in
// another format is refused (409, format_change) until the author confirms it with a button,
// which sends the same file again with ?confirmFormatChange=true.

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function issueList(title, issues) {
  const frag = document.createDocumentFragment();
  if (!Array.isArray(issues) || issues.length === 0) return frag;
  frag.append(el('h4', `${title} (${issues.length})`));
  const ul = el('ul', undefined, 'issues');
  for (const i of issues) {
    const li = el('li');
    li.append(el('strong', String(i.message ?? '')), ' ');
    li.append(el('span', `${i.code ?? ''}${i.path ? ` at ${i.path}` : ''}`, 'muted'));
    ul.append(li);
  }
  frag.append(ul);
  return frag;
}

function showReport(box, report) {
  box.replaceChildren();
  if (!report) return;
  box.append(issueList('Errors', report.errors), issueList('Warnings', report.warnings));
}

function mib(n) {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function enhance(form) {
  const input = form.querySelector('input[type=file]');
  const button = form.querySelector('button[type=submit]');
  const bar = form.querySelector('progress');
  const status = form.querySelector('.upload-status');
  const reportBox = form.querySelector('.upload-report');
  const csrf = form.querySelector('input[name=_csrf]')?.value ?? '';
  form.hidden = false;

  const send = (file, confirmFormatChange) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.dataset.endpoint + (confirmFormatChange ? '?confirmFormatChange=true' : ''));
    xhr.setRequestHeader('Content-Type', 'application/zip');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    reportBox.replaceChildren();
    status.className = 'upload-status';
    status.textContent = `Uploading ${file.name}…`;

    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      bar.setAttribute('aria-valuetext', `${bar.value}% (${mib(e.loaded)} of ${mib(e.total)})`);
    });
    xhr.upload.addEventListener('load', () => {
      bar.value = 100;
      status.textContent = 'Uploaded; checking and importing the package…';
    });
    xhr.addEventListener('load', () => {
      button.disabled = false;
      let body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { message: `The server answered ${xhr.status}.` };
      }
      if (xhr.status === 201 && body.course) {
        status.className = 'upload-status notice ok';
        status.replaceChildren(`Imported “${body.course.title}” as version ${body.version.number}. `);
        const link = el('a', 'Open the course');
        link.href = `/author/courses/${encodeURIComponent(body.course.id)}`;
        status.append(link);
        showReport(reportBox, body.report);
        form.reset();
      } else if (xhr.status === 409 && body.report && Array.isArray(body.report.errors) && body.report.errors[0]?.code === 'format_change') {
        status.className = 'upload-status notice error';
        status.replaceChildren(el('span', String(body.report.errors[0].message ?? body.message ?? '')), ' ');
        const again = el('button', 'Add it as a new version anyway', 'secondary');
        again.type = 'button';
        again.addEventListener('click', () => send(file, true));
        status.append(again);
        again.focus();
      } else {
        status.className = 'upload-status notice error';
        status.textContent = body.message || `The upload failed (${xhr.status}).`;
        showReport(reportBox, body.report);
      }
    });
    xhr.addEventListener('error', () => {
      button.disabled = false;
      status.className = 'upload-status notice error';
      status.textContent = 'The upload was interrupted (network error). Try again.';
    });
    xhr.send(file);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = input.files && input.files[0];
    if (!file) {
      status.textContent = 'Choose a zip file first.';
      input.focus();
      return;
    }
    send(file, false);
  });
}

for (const form of document.querySelectorAll('form[data-upload]')) enhance(form);
