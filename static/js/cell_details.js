// The recommendations page folds each cell's details; a link to one (the matrix's cells, the
// review page's matrix) names an element inside them. Chromium unfolds it on its own; this does
// it in browsers that do not, then brings the target into view.
(function () {
  "use strict";
  function reveal() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    let opened = false;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    if (opened) target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
