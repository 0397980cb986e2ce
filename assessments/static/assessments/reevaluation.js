// Follows a re-evaluation job in the admin (templates/admin/integration/rulebook/reevaluation.html):
// polls its status every second and moves the progress bar; when the job finishes, reloads the
// page, which shows the result. Without JavaScript the page refreshes itself (<noscript>).
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("reevaluation-job");
    if (!box || box.dataset.finished === "1") { return; }
    var bar = document.getElementById("reevaluation-progress");
    var state = document.getElementById("reevaluation-state");
    var count = document.getElementById("reevaluation-count");
    var template = count.textContent;
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { window.setTimeout(poll, 5000); return; }
          bar.value = job.progress;
          bar.textContent = job.progress + "%";
          state.textContent = job.state_label;
          count.textContent = template.replace(/\d+/, String(job.done)).replace(/(\D+)\d+/, "$1" + job.total);
          if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 500);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
