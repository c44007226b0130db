// Jisr web interface: the little behaviour pages need, loaded as a file (the CSP forbids inline scripts).
'use strict';
// A text longer than its field takes (data-max-length, the record's limit) is refused before sending, with the
// message beside the field and the text left in place: sending megabytes only to have them refused helps no one.
// Counted as the server counts (line breaks as one character).
document.addEventListener('submit', function (event) {
  var form = event.target;
  var tooLong = null;
  form.querySelectorAll('textarea[data-max-length]').forEach(function (field) {
    var max = parseInt(field.dataset.maxLength, 10);
    var error = document.getElementById((field.getAttribute('aria-describedby') || '').split(' ').pop());
    var over = field.value.replace(/\r\n/g, '\n').length > max;
    field.classList.toggle('input-validation-error', over);
    if (over) { field.setAttribute('aria-invalid', 'true'); } else { field.removeAttribute('aria-invalid'); }
    if (error) { error.textContent = over ? field.dataset.tooLong : ''; }
    if (over && !tooLong) { tooLong = field; }
  });
  if (tooLong) {
    event.preventDefault();
    event.stopImmediatePropagation();
    tooLong.focus();
  }
}, true);

document.addEventListener('submit', function (event) {
  // One click, one submission: a second click while the first is on its way does nothing (the server also refuses
  // a form's second submission by its one-time key).
  var form = event.target;
  if (form.dataset.submitted === 'true') { event.preventDefault(); return; }
  form.dataset.submitted = 'true';
  form.querySelectorAll('button[type=submit]').forEach(function (b) { b.setAttribute('aria-disabled', 'true'); });
});

// A session that ends while a form is being filled (expiry, sign-out elsewhere) sends the browser to the sign-in page,
// and the POST is lost. So the fields (never passwords, tokens or one-time keys) are kept in this tab's sessionStorage
// when a form is sent, and put back once the person is back on the same page after signing in; any other page
// reached after sending (the form went through) forgets them.
(function () {
  var key = 'jisr.pending-form';
  var skip = function (field) {
    return !field.name || field.type === 'password' || field.type === 'hidden' || field.type === 'submit' || field.name === '__RequestVerificationToken';
  };
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if ((form.method || '').toLowerCase() !== 'post' || form.dataset.keep !== 'true') { return; }
    var values = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (skip(field)) { return; }
      values.push({ name: field.name, value: field.value, checked: field.checked, type: field.type });
    });
    try { sessionStorage.setItem(key, JSON.stringify({ path: location.pathname, values: values })); } catch (e) { /* storage full or off: nothing kept */ }
  }, true);
  document.addEventListener('DOMContentLoaded', function () {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { saved = null; }
    if (!saved || location.pathname === '/sign-in') { return; }
    sessionStorage.removeItem(key);
    var form = document.querySelector('form[data-keep="true"]');
    if (saved.path !== location.pathname || !form) { return; }
    saved.values.forEach(function (v) {
      var fields = form.querySelectorAll('[name="' + CSS.escape(v.name) + '"]');
      Array.prototype.forEach.call(fields, function (field) {
        if (v.type === 'checkbox' || v.type === 'radio') { if (field.value === v.value) { field.checked = v.checked; } }
        else { field.value = v.value; }
      });
    });
    var notice = document.getElementById('restored');
    if (notice) { notice.hidden = false; }
  });
})();
