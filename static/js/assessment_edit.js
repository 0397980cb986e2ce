// The assessment edit page: progressive enhancement only (the page works without it).
// - After a refused save, focus moves to the error summary, so the planner hears and sees
//   what to fix first.
// - A link of the summary (or of the contents) opens the folded section it points into and
//   puts the cursor in the field.
// - Ticking "part of the mandate" or typing a desired impact updates the section's state and
//   the completeness count as the planner goes (the server computes both on every page).
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
    // the target itself if it takes the focus (a field, the main region), else a section's
    // summary, else the first field inside (a conflict row links to the field's wrapper)
    const focus = target.matches("input, select, textarea, button, summary, [tabindex]") ? target
      : target.tagName === "DETAILS" ? target.querySelector(":scope > summary")
      : target.querySelector("input, select, textarea");
    if (focus) focus.focus({ preventScroll: true });
    return true;
  }

  function sectionDone(section) {
    const tick = section.querySelector(".field-in_mandate input[type=checkbox]");
    const impact = section.querySelector(".field-desired_impact textarea");
    const inMandate = Boolean(tick && tick.checked);
    return { inMandate: inMandate, done: inMandate && Boolean(impact && impact.value.trim()) };
  }

  function recount(changed) {
    const state = changed.querySelector(":scope > summary .section-state");
    const now = sectionDone(changed);
    if (state && !state.classList.contains("has-error")) {
      state.textContent = !now.inMandate ? state.dataset.out
        : now.done ? state.dataset.given : state.dataset.missing;
    }
    const count = document.getElementById("completeness");
    if (!count) return;
    let total = 0, done = 0;
    for (const section of document.querySelectorAll(".function-facts")) {
      const one = sectionDone(section);
      total += one.inMandate ? 1 : 0;
      done += one.done ? 1 : 0;
    }
    // The sentence is the server's, in the page's language: its two numbers are done, then total.
    let nth = 0;
    const text = count.textContent.replace(/\d+/g, function (n) {
      nth += 1;
      return nth === 1 ? String(done) : nth === 2 ? String(total) : n;
    });
    if (text !== count.textContent) count.textContent = text; // announced only when it moves
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("input", function (event) {
      const section = event.target.closest(".function-facts");
      if (section && event.target.matches(".field-in_mandate input, .field-desired_impact textarea")) {
        recount(section);
      }
    });
    document.addEventListener("click", function (event) {
      // any link into the form: the summary, the contents, the conflict table's facts
      const link = event.target.closest("a[href^='#']");
      if (link && link.hash.length > 1 && goTo(link.hash)) {
        event.preventDefault();
        history.replaceState(null, "", link.hash);
      }
    });
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    else if (location.hash) goTo(location.hash);
  });
})();
