/* Issuer workspace: show the form sections that fit the chosen kind, filter skills.
   Progressive enhancement: without this script every section is visible and works. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.querySelector("[data-kind-form]");
  if (form) {
    var kind = form.querySelector("select[name=kind]");
    var sections = form.querySelectorAll(".kind-section");
    var update = function () {
      sections.forEach(function (section) {
        var kinds = (section.getAttribute("data-kinds") || "").split(" ");
        section.hidden = kinds.indexOf(kind.value) === -1;
      });
    };
    if (kind) {
      kind.addEventListener("change", update);
      update();
    }
  }

  var filter = document.querySelector("[data-skill-filter]");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      document.querySelectorAll("[data-skill-group]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-skill-label]").forEach(function (item) {
          var match = !q || item.getAttribute("data-skill-label").indexOf(q) !== -1
            || item.querySelector("input").checked;
          item.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
      });
    });
  }

  var result = document.querySelector("select[name=result]");
  var other = document.getElementById("result_other");
  if (result && other) {
    var box = other.closest(".field");
    var sync = function () { box.hidden = result.value !== "other"; };
    result.addEventListener("change", sync);
    sync();
  }

  // Badge designer: ask the server for the SVG of what is chosen so far (nothing is saved).
  var designer = document.querySelector("[data-badge-designer]");
  if (designer) {
    var img = designer.querySelector("[data-designer-preview]");
    var status = designer.querySelector("[data-designer-status]");
    var nameField = document.querySelector("input[name=name]");
    var keys = ["template", "colour", "icon", "line1", "line2"];
    var timer = null;
    var refresh = function () {
      var params = new URLSearchParams();
      keys.forEach(function (key) {
        var el = designer.querySelector("[name=design_" + key + "]");
        params.set(key, el ? el.value : "");
      });
      if (!params.get("template")) { return; }
      params.set("name", nameField ? nameField.value : "");
      img.hidden = false;
      img.src = designer.getAttribute("data-preview-url") + "?" + params.toString();
      if (status) { status.textContent = designer.getAttribute("data-updated") || ""; }
    };
    designer.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    designer.addEventListener("change", refresh);
  }
})();
