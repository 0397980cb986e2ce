// The assessment edit page: progressive enhancement only (the page works without it).
// - After a refused save, focus moves to the error summary, so the planner hears and sees
//   what to fix first.
// - A link of the summary (or of the contents) opens the folded section it points into and
//   puts the cursor in the field.
"use strict";

(function () {
  function openAround(element) {
    for (let node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  function goTo(hash) {
    const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return false;
    openAround(target);
    target.scrollIntoView({ block: "center" });
    if (target.matches("input, select, textarea, button, summary")) target.focus();
    else if (target.tagName === "DETAILS") target.querySelector("summary").focus();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("click", function (event) {
      const link = event.target.closest(".error-summary a, .toc a");
      if (link && goTo(link.hash)) {
        event.preventDefault();
        history.replaceState(null, "", link.hash);
      }
    });
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    else if (location.hash) goTo(location.hash);
  });
})();
