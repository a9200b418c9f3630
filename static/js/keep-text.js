// Warn before anything typed in the application form is lost (leaving, removing evidence,
// withdrawing): posting the form itself keeps it all (see templates/applications/detail.html).
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var dirty = false;
  function mark(event) {
    if (event.target && event.target.form === form) { dirty = true; }
  }
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
