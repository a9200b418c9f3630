// The workspace tabs on a phone are one row that scrolls sideways (issuer.css): start with
// the current tab in view, not the first few, and show a tab in full when it gets focus
// (the browser by itself leaves a half-visible tab where it is).
(function () {
  var row = document.querySelector(".org-tabs .org-tab-groups");
  if (!row) return;
  row.addEventListener("focusin", function (event) {
    if (row.scrollWidth > row.clientWidth) {
      event.target.scrollIntoView({block: "nearest", inline: "nearest"});
    }
  });
  var current = row.querySelector("[aria-current]");
  if (current && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
  }
})();
