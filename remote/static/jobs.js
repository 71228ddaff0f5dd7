// A job's page: asks the station for the job every second (GET /api/v1/jobs/<id>) and
// shows its progress in the words the page was served with (remote/page_jobs.py), until the
// job ends; then the result ("... safe to remove") or the error, and Cancel goes. Text from
// the station goes in as text, never HTML. Without this the page is still right when loaded.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || !window.fetch) {
    return;
  }
  var FINISHED = { done: true, failed: true, cancelled: true };
  var MIB = 1048576;
  var GIB = 1073741824;
  var EVERY_MS = 1000;

  function number(value, digits) {
    return value.toLocaleString("en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits
    });
  }

  // As eyepi_gui.domain.sizes.size_text: MiB below 1 GiB, else GiB; tenths rounded down.
  function sizeText(size) {
    if (size < GIB) {
      var mib = Math.floor(size / MIB * 10) / 10;
      return number(mib, Number.isInteger(mib) ? 0 : 1) + " MiB";
    }
    return number(Math.floor(size / GIB * 10) / 10, 1) + " GiB";
  }

  function itemsText(p) {
    if (p.items_total) {
      return number(p.items_done, 0) + " of " + number(p.items_total, 0) + " items";
    }
    return p.items_done ? number(p.items_done, 0) + " items" : "";
  }

  function bytesText(p) {
    if (p.bytes_total) {
      return sizeText(p.bytes_done) + " of " + sizeText(p.bytes_total);
    }
    return p.bytes_done ? sizeText(p.bytes_done) : "";
  }

  function rateText(p) {
    return p.rate_bps > 0 ? sizeText(Math.round(p.rate_bps)) + "/s" : "";
  }

  function leftText(eta) {
    if (eta === null || eta === undefined) {
      return "";
    }
    var seconds = Math.round(eta);
    if (seconds < 60) {
      return seconds + " s";
    }
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) {
      return minutes + " min";
    }
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function stateText(data) {
    var stage = data.progress.stage;
    return {
      queued: "Waiting to start",
      running: stage ? stage.charAt(0).toUpperCase() + stage.slice(1).toLowerCase() : "Running",
      done: "Done",
      failed: "Failed",
      cancelled: "Cancelled"
    }[data.state];
  }

  function put(id, text) {
    document.getElementById(id).textContent = text || "–";
  }

  function show(data) {
    var p = data.progress;
    job.dataset.state = data.state;
    document.getElementById("job-state").textContent = stateText(data);
    var bar = document.getElementById("job-bar");
    if (p.fraction === null) {
      bar.removeAttribute("value");
    } else {
      bar.value = Math.round(p.fraction * 1000);
    }
    put("job-items", itemsText(p));
    put("job-bytes", bytesText(p));
    put("job-rate", rateText(p));
    put("job-left", FINISHED[data.state] ? "" : leftText(p.eta_s));
    ["result", "error"].forEach(function (name) {
      var shown = document.getElementById("job-" + name);
      shown.textContent = data[name];
      shown.hidden = !data[name];
    });
    var cancel = document.getElementById("cancel-form");
    if (cancel && FINISHED[data.state]) {
      cancel.hidden = true;
    }
  }

  function poll() {
    fetch(job.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 404) {
          return { gone: response.status };
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        var lost = document.getElementById("job-lost");
        lost.hidden = !data.gone;
        if (data.gone) {  // asking again cannot help: say why and stop
          lost.textContent = data.gone === 401
            ? "Your session ended: reload the page to log in again."
            : "The station no longer keeps this job (finished jobs are kept only for a while).";
          return;
        }
        show(data);
        if (!FINISHED[data.state]) {
          setTimeout(poll, EVERY_MS);
        }
      })
      .catch(function () {
        document.getElementById("job-lost").hidden = false;
        setTimeout(poll, EVERY_MS * 3);
      });
  }

  if (!FINISHED[job.dataset.state]) {
    setTimeout(poll, EVERY_MS);
  }
})();
