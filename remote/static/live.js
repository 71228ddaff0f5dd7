// Live view: a message and a retry button when the stream fails (the score and the focus
// controls are in focus.js).
(function () {
  "use strict";
  var img = document.getElementById("live");
  var problem = document.getElementById("live-problem");
  var retry = document.getElementById("live-retry");
  if (!img) {
    return;
  }
  img.addEventListener("error", function () {
    problem.textContent = "The live view is not available: the camera may be offline or busy, " +
      "or too many people are watching already.";
    problem.hidden = false;
    retry.hidden = false;
  });
  retry.addEventListener("click", function () {
    problem.hidden = true;
    retry.hidden = true;
    img.src = img.dataset.stream + "?t=" + Date.now();
  });
})();
