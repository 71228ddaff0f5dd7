// Live view: the focus score about once a second, and a message when the stream fails.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var img = document.getElementById("live");
  var score = document.getElementById("focus-score");
  var problem = document.getElementById("live-problem");
  var retry = document.getElementById("live-retry");
  if (!img || !score) {
    return;
  }

  function showFocus(body) {
    if (body.problem) {
      score.textContent = body.problem;
    } else if (body.score === null) {
      score.textContent = "no frame yet";
    } else {
      score.textContent = body.score.toFixed(1);
    }
  }

  function answer(response) {
    return response.json().then(function (body) {
      if (response.ok) {
        showFocus(body);
      } else {
        score.textContent = body.message || "focus score unavailable";
      }
    });
  }

  function poll() {
    if (document.hidden) {
      window.setTimeout(poll, POLL_MS);
      return;
    }
    fetch(img.dataset.focus, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(answer)
      .catch(function () {
        score.textContent = "focus score unavailable: no answer from the station";
      })
      .finally(function () {
        window.setTimeout(poll, POLL_MS);
      });
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
  poll();
})();
