// Opstap's own behaviour, without inline script (the Content Security Policy forbids it).
// Event delegation on the document, so content swapped in by htmx works too.
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form when the choice changes.
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  // <input data-select-on-focus>: select the whole value (a key to copy).
  document.addEventListener("focusin", function (event) {
    var field = event.target.closest("[data-select-on-focus]");
    if (field && field.select) {
      field.select();
    }
  });
})();
