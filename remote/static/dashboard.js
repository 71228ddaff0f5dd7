// Dashboard: fetch each camera's latest image every 30 s and swap it in only once it loaded;
// bring each "Last good capture … ago" up to date from the health API (text only).
(function () {
  "use strict";
  var REFRESH_MS = 30000;

  function refresh(img) {
    var next = new Image();
    next.addEventListener("load", function () {
      img.src = next.src;
    });
    next.src = img.dataset.src + "?t=" + Date.now();
  }

  function refreshAgo(box) {
    var ago = box.querySelector(".ago");
    if (!ago) {
      return;
    }
    fetch(box.dataset.health, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (health) {
        if (health && health.known) {
          ago.textContent = health.last_capture_text;
        }
      })
      .catch(function () {});
  }

  window.setInterval(function () {
    if (!document.hidden) {
      document.querySelectorAll("img.latest[data-src]").forEach(refresh);
      document.querySelectorAll(".capture-health[data-health]").forEach(refreshAgo);
    }
  }, REFRESH_MS);
})();
