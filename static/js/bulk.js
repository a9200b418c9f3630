// Bulk issuing progress: poll the status endpoint and update the page.
// Without JavaScript the page offers a plain "refresh" link instead.
(function () {
  "use strict";
  var box = document.getElementById("bulk-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("bulk-bar");
  var text = box.querySelector("[data-progress-text]");

  function update(status) {
    bar.value = status.progress;
    bar.textContent = status.progress + "%";
    text.textContent = text.textContent.replace(/\d+%/, status.progress + "%");
    Object.keys(status.counts).forEach(function (name) {
      var el = document.querySelector('[data-count="' + name + '"]');
      if (el) { el.textContent = status.counts[name]; }
    });
    if (status.finished) {
      window.location.reload();
      return;
    }
    window.setTimeout(poll, 2000);
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(update)
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
}());
