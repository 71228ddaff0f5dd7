// The network page: the change waiting for confirmation counts down, from the seconds left
// when the page was made (the browser's clock may differ from the station's). At zero the
// station has undone it: the page says so and loads again. The Confirm and Undo buttons are
// plain forms and work without this.
// On the page that keeps a change from the station's new address (no login), the key comes
// in the link's fragment, which no server ever sees: it goes into the form, and out of the
// address bar (and the browser's history).
(function () {
  "use strict";
  var key = document.getElementById("confirm-key");
  if (!key || location.hash.length < 2) {
    return;
  }
  try {
    key.value = decodeURIComponent(location.hash.slice(1));
  } catch (e) {
    key.value = location.hash.slice(1);
  }
  document.getElementById("key-field").hidden = true;
  history.replaceState(null, "", location.pathname + location.search);
})();
(function () {
  "use strict";
  var shown = document.getElementById("countdown");
  if (!shown) {
    return;
  }
  var left = Number(shown.dataset.left);
  if (!Number.isFinite(left)) {
    return;
  }
  var loaded = performance.now();
  var timer = setInterval(function () {
    var now = Math.max(0, Math.ceil(left - (performance.now() - loaded) / 1000));
    shown.textContent = now + " s";
    if (now === 0) {
      clearInterval(timer);
      shown.textContent = "0 s: undone by now";
      setTimeout(function () { window.location.reload(); }, 3000);
    }
  }, 250);
})();
