// Dashboard: fetch each camera's latest image every 30 s; swap it in only once it loaded.
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

  window.setInterval(function () {
    if (!document.hidden) {
      document.querySelectorAll("img.latest[data-src]").forEach(refresh);
    }
  }, REFRESH_MS);
})();
