// Starts Redoc on the docs page (templates/api/redoc.html). The nonce lets the <style> elements
// Redoc creates at run time pass the page's Content-Security-Policy; nothing else is inline.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  // No search: its index runs in a worker made from a blob: URL, which the policy refuses.
  Redoc.init(
    container.dataset.specUrl,
    { nonce: document.currentScript.nonce, disableSearch: true },
    container
  );
})();
