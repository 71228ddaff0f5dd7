// Focus on the live page: the score four times a second with its last minute, the focus
// region on the picture and, for operators, the kiosk's controls (draw or tap the region,
// Near/Far steps, autofocus, lock). Every change goes through the JSON API with the session's
// CSRF token; a refusal shows the API's own sentence under the controls. Data from the
// station is put in the page as text and attributes only.
(function () {
  "use strict";
  var POLL_MS = 250;
  var TRAIL_S = 60;
  var TAP_PX = 8; // a press that moved less than this (px) is a tap, not a drawn region
  var MIN_SIDE = 0.02; // the smallest region side drawn, as a fraction of the frame
  var CENTRE = [1 / 3, 1 / 3, 1 / 3, 1 / 3]; // the station's default region

  var panel = document.getElementById("focus");
  if (!panel) {
    return;
  }
  var img = document.getElementById("live");
  var frame = document.getElementById("live-frame");
  var score = document.getElementById("focus-score");
  var trend = document.getElementById("focus-trend");
  var line = document.getElementById("focus-line");
  var bestLine = document.getElementById("focus-best-line");
  var best = document.getElementById("focus-best");
  var lockButton = document.getElementById("focus-lock");
  var lockState = document.getElementById("focus-lock-state");
  var status = document.getElementById("focus-status");
  var error = document.getElementById("focus-error");
  var roiBox = document.getElementById("focus-roi");
  var draft = document.getElementById("focus-draft");
  var token = document.querySelector("meta[name=csrf-token]");
  var allowed = panel.dataset.allowed === "yes";
  var controls = Array.prototype.slice.call(panel.querySelectorAll("button"));
  var offAtStart = controls.map(function (button) { return button.disabled; });
  var state = { points: [], since: null, roi: null, waitFor: 0, busy: false, press: null };

  // Talking to the API ---------------------------------------------------------------------

  function sentence(text) {
    text = String(text).trim();
    return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".");
  }

  function request(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = token ? token.content : "";
      init.body = JSON.stringify(body || {});
    }
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.message || "the station answered " + response.status);
        }
        return answer;
      });
    }, function () {
      throw new Error("no answer from the station");
    });
  }

  // Showing the score, its trend, the region and the lock ---------------------------------

  function showScore(body) {
    if (state.waitFor && body.seq > state.waitFor) {
      state.waitFor = 0;
    }
    score.toggleAttribute("data-pending", state.waitFor !== 0);
    score.dataset.seq = String(body.seq);
    if (body.problem) {
      score.textContent = body.problem;
    } else if (body.score === null) {
      score.textContent = "no frame yet";
    } else {
      score.textContent = body.score.toFixed(1);
    }
  }

  function addPoints(recent) {
    if (!recent.length) {
      return;
    }
    var newest = recent[recent.length - 1].at;
    state.since = newest;
    state.points = state.points.concat(recent).filter(function (p) {
      return p.at >= newest - TRAIL_S;
    });
  }

  // The vertical range as the kiosk's trend has it: the scores seen with a margin, at least
  // 5 % of the top, so a steady score is a flat line, not noise blown up to full height.
  function scaleRange(scores) {
    var low = Math.min.apply(null, scores);
    var high = Math.max.apply(null, scores);
    var span = Math.max(high - low, 0.05 * Math.abs(high), 1e-6);
    var middle = (low + high) / 2;
    return [middle - span * 0.6, middle + span * 0.6];
  }

  function drawTrend() {
    var points = state.points;
    if (points.length < 2) {
      line.setAttribute("points", "");
      bestLine.setAttribute("visibility", "hidden");
      best.textContent = "Higher is sharper; the line is the last minute.";
      return;
    }
    var width = trend.clientWidth || 240;
    var height = trend.clientHeight || 60;
    trend.setAttribute("viewBox", "0 0 " + width + " " + height);
    var end = points[points.length - 1].at;
    var shown = Math.min(TRAIL_S, Math.max(5, end - points[0].at)); // fill the width early on
    var range = scaleRange(points.map(function (p) { return p.score; }));
    var top = points.reduce(function (a, b) { return b.score >= a.score ? b : a; });
    function x(p) { return (width - (end - p.at) / shown * width).toFixed(1); }
    function y(score) {
      return (height - (score - range[0]) / (range[1] - range[0]) * height).toFixed(1);
    }
    line.setAttribute("points", points.map(function (p) {
      return x(p) + "," + y(p.score);
    }).join(" "));
    bestLine.setAttribute("x1", "0");
    bestLine.setAttribute("x2", String(width));
    bestLine.setAttribute("y1", y(top.score));
    bestLine.setAttribute("y2", y(top.score));
    bestLine.setAttribute("visibility", "visible");
    best.textContent = "Best in the last minute " + top.score.toFixed(1) + "; higher is sharper.";
  }

  function showRoi(roi) {
    var key = roi.join(",");
    if (key !== state.roi) {
      state.roi = key;
      state.points = []; // scores over another region do not compare
      state.current = roi;
    }
    place(roiBox, roi);
  }

  function place(box, roi) {
    box.style.left = roi[0] * 100 + "%";
    box.style.top = roi[1] * 100 + "%";
    box.style.width = roi[2] * 100 + "%";
    box.style.height = roi[3] * 100 + "%";
    box.hidden = false;
  }

  function showLock(lock) {
    lockButton.dataset.locked = lock ? "yes" : "";
    lockButton.textContent = lock ? "Unlock focus" : "Lock focus";
    lockState.textContent = lock
      ? "Locked at score " + lock.reference.toFixed(1) + " from a still; captures below " +
        (lock.reference * lock.drift_fraction).toFixed(1) + " warn."
      : "Not locked. Lock takes a reference still now; later captures that score well " +
        "below it warn of focus drift.";
  }

  function show(body) {
    showRoi(body.roi);
    addPoints(body.recent);
    showScore(body);
    showLock(body.lock);
    drawTrend();
  }

  function poll() {
    if (document.hidden) {
      window.setTimeout(poll, POLL_MS);
      return;
    }
    var url = panel.dataset.url;
    if (state.since !== null) {
      url += "?since=" + encodeURIComponent(state.since);
    }
    request("GET", url)
      .then(show, function (err) {
        score.textContent = "focus score unavailable: " + err.message;
      })
      .finally(function () {
        window.setTimeout(poll, POLL_MS);
      });
  }

  // Changes ----------------------------------------------------------------------------------

  function setBusy(busy) {
    state.busy = busy;
    controls.forEach(function (button, index) {
      button.disabled = busy || offAtStart[index];
    });
  }

  function act(method, path, body, running, done) {
    if (state.busy) {
      return;
    }
    setBusy(true);
    state.waitFor = Infinity; // the score shown is stale until a frame after this change
    score.setAttribute("data-pending", "");
    status.textContent = running;
    error.hidden = true;
    request(method, panel.dataset.url + path, body)
      .then(function (answer) {
        state.waitFor = answer.seq;
        showRoi(answer.roi);
        showLock(answer.lock);
        drawTrend();
        status.textContent = typeof done === "function" ? done(answer) : done;
      }, function (err) {
        state.waitFor = 0;
        score.removeAttribute("data-pending");
        status.textContent = "";
        error.textContent = sentence(err.message);
        error.hidden = false;
      })
      .finally(function () {
        setBusy(false);
      });
  }

  panel.querySelectorAll("button.lens-step").forEach(function (button) {
    button.addEventListener("click", function () {
      var move = { direction: button.dataset.direction, step: button.dataset.step };
      act("POST", "/drive", move, "", "");
    });
  });
  document.getElementById("focus-autofocus").addEventListener("click", function () {
    act("POST", "/autofocus", null, "Autofocus running…", "Autofocus done.");
  });
  lockButton.addEventListener("click", function () {
    if (lockButton.dataset.locked === "yes") {
      act("POST", "/unlock", null, "Unlocking…", "Focus unlocked.");
    } else {
      act("POST", "/lock", null, "Taking a reference still…", function (answer) {
        return "Focus locked at score " + answer.lock.reference.toFixed(1) + ".";
      });
    }
  });
  document.getElementById("focus-centre").addEventListener("click", function () {
    sendRoi(CENTRE);
  });

  // Drawing or tapping the region on the picture (pointer events: mouse, touch and pen) -----

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  function at(event) {
    var box = img.getBoundingClientRect();
    return {
      x: clamp((event.clientX - box.left) / box.width, 0, 1),
      y: clamp((event.clientY - box.top) / box.height, 0, 1),
      px: event.clientX,
      py: event.clientY,
    };
  }

  function drawn(a, b) {
    var w = Math.max(Math.abs(b.x - a.x), MIN_SIDE);
    var h = Math.max(Math.abs(b.y - a.y), MIN_SIDE);
    return [clamp(Math.min(a.x, b.x), 0, 1 - w), clamp(Math.min(a.y, b.y), 0, 1 - h), w, h];
  }

  function around(point) {
    var size = state.current || CENTRE;
    var w = size[2];
    var h = size[3];
    return [clamp(point.x - w / 2, 0, 1 - w), clamp(point.y - h / 2, 0, 1 - h), w, h];
  }

  function sendRoi(roi) {
    // rounded down to 4 places, so left + width never passes the frame's edge
    var r = roi.map(function (v) { return Math.floor(v * 1e4) / 1e4; });
    act("PUT", "/roi", { left: r[0], top: r[1], width: r[2], height: r[3] }, "",
      "The score is now measured over the new region.");
  }

  if (allowed) {
    frame.addEventListener("pointerdown", function (event) {
      if (state.busy || event.button !== 0) {
        return;
      }
      state.press = at(event);
      frame.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    frame.addEventListener("pointermove", function (event) {
      if (state.press) {
        place(draft, drawn(state.press, at(event)));
      }
    });
    frame.addEventListener("pointerup", function (event) {
      var start = state.press;
      if (!start) {
        return;
      }
      var end = at(event);
      state.press = null;
      draft.hidden = true;
      var moved = Math.max(Math.abs(end.px - start.px), Math.abs(end.py - start.py));
      sendRoi(moved < TAP_PX ? around(end) : drawn(start, end));
    });
    frame.addEventListener("pointercancel", function () {
      state.press = null;
      draft.hidden = true;
    });
  }
  poll();
})();
