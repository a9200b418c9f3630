// Verify page: drag-and-drop over the normal file input, and a size check
// before uploading. Without this script the plain file input still works.
(function () {
  "use strict";
  var form = document.querySelector(".verify-form");
  if (!form) { return; }
  var zone = form.querySelector("[data-dropzone]");
  var input = zone && zone.querySelector("input[type=file]");
  var status = form.querySelector("[data-file-status]");
  var hint = form.querySelector("[data-drop-hint]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var words = {
    nl: { chosen: "Gekozen: ", tooBig: "Dit bestand is te groot (maximaal 10 MB). Kies een ander bestand." },
    en: { chosen: "Chosen: ", tooBig: "This file is too large (10 MB at most). Choose another file." }
  }[lang];
  if (!zone || !input) { return; }
  if (hint) { hint.hidden = false; }

  function tooBig(file) { return maxBytes && file && file.size > maxBytes; }
  function show() {
    var file = input.files && input.files[0];
    if (!file) { status.textContent = ""; return; }
    status.textContent = tooBig(file) ? words.tooBig : words.chosen + file.name;
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("is-dragover");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (tooBig(file)) {
      event.preventDefault();
      show();
      input.focus();
    }
  });
}());
