// Jisr web interface: the little behaviour pages need, loaded as a file (the CSP forbids inline scripts).
'use strict';
document.addEventListener('submit', function (event) {
  // One click, one submission: a second click while the first is on its way does nothing (the server also refuses
  // a form's second submission by its one-time key).
  var form = event.target;
  if (form.dataset.submitted === 'true') { event.preventDefault(); return; }
  form.dataset.submitted = 'true';
  form.querySelectorAll('button[type=submit]').forEach(function (b) { b.setAttribute('aria-disabled', 'true'); });
});
