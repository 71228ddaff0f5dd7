// The log page's live follow: asks the station for the entries written since the page's
// newest (GET /api/v1/logs/follow with the page's filters) twice a second and puts them on
// top, in the rows the page was served with (remote/templates/logs.html). A reader who
// scrolled down keeps what they read where it is, and a link says how many came above.
// Text from the log goes in as text, never HTML. Without this the page is right, not live.
(function () {
  "use strict";
  var list = document.getElementById("log-entries");
  if (!list || !list.dataset.followUrl || !window.fetch) {
    return;
  }
  var EVERY_MS = 500;
  var PAGE = 50;  // the follow call's page size: a full one means more are waiting
  var cursor = list.dataset.cursor;
  var status = document.getElementById("log-follow");
  var pill = document.getElementById("log-new");
  var pillLink = document.getElementById("log-new-link");
  var unseen = 0;
  var clock = timeFormat(list.dataset.tz);

  function timeFormat(zone) {
    // "2026-05-30 14:00:00" on the station's clock, as the page's rows say
    var options = {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    };
    try {
      return new Intl.DateTimeFormat("sv-SE", Object.assign({ timeZone: zone }, options));
    } catch (err) {
      return new Intl.DateTimeFormat("sv-SE", options);
    }
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  var LEVELS = { DEBUG: 1, INFO: 1, WARNING: 1, ERROR: 1, CRITICAL: 1 };

  function row(entry) {
    var item = element("li", "log-entry " +
      (LEVELS[entry.level] ? "level-" + entry.level.toLowerCase() : "level-none"));
    var details = item.appendChild(element("details"));
    var summary = details.appendChild(element("summary"));
    var time = entry.time === null ? "" : clock.format(new Date(entry.time * 1000));
    summary.appendChild(element("span", "log-time", time));
    summary.appendChild(element("span", "log-level", entry.level || "–"));
    if (entry.camera) {
      var link = summary.appendChild(element("a", "log-camera"));
      link.href = "/cameras/" + encodeURIComponent(entry.camera) + "/live";
      link.appendChild(element("bdi", "", entry.camera));
    }
    summary.appendChild(element("span", "log-message", entry.message));
    details.appendChild(element("p", "note log-about", entry.plain
      ? "Not a JSON line: shown as written."
      : entry.event + " · " + entry.logger));
    details.appendChild(element("pre", "log-fields",
      entry.plain ? entry.message : JSON.stringify(entry.fields, null, 2)));
    return item;
  }

  // The first row the reader sees (null at the top of the page: new rows may move it).
  function anchor() {
    if (window.scrollY <= 0) {
      return null;
    }
    var rows = list.children;
    for (var i = 0; i < rows.length; i += 1) {
      if (rows[i].getBoundingClientRect().bottom > 0) {
        return rows[i];
      }
    }
    return null;
  }

  function prepend(entries) {
    var kept = anchor();
    var before = kept ? kept.getBoundingClientRect().top : 0;
    var rows = document.createDocumentFragment();
    entries.forEach(function (entry) {
      rows.appendChild(row(entry));
    });
    list.insertBefore(rows, list.firstChild);
    var none = document.getElementById("no-entries");
    if (none) {
      none.hidden = true;
    }
    if (kept) {
      unseen += entries.length;
      pillLink.textContent = unseen + (unseen === 1 ? " new entry" : " new entries") + " above";
      pill.hidden = false;  // before measuring: it takes room above the rows too
      window.scrollBy(0, kept.getBoundingClientRect().top - before);
    }
  }

  function stop(words) {
    status.textContent = words;
    status.className = "error";
  }

  function poll() {
    var url = list.dataset.followUrl + "&cursor=" + encodeURIComponent(cursor);
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) {
          return { stopped: "Your session ended: reload the page to log in again." };
        }
        if (response.status === 400) {
          return response.json().then(function (body) {
            return { stopped: "Not following any more: " + body.message + " (reload the page)." };
          });
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (data.stopped) {
          stop(data.stopped);
          return;
        }
        status.textContent = "New entries appear on top as they are written.";
        status.className = "note";
        if (data.entries.length) {
          prepend(data.entries);
        }
        cursor = data.newer_cursor || cursor;
        setTimeout(poll, data.entries.length >= PAGE ? 0 : EVERY_MS);
      })
      .catch(function () {
        status.textContent = "The station does not answer: trying again.";
        setTimeout(poll, EVERY_MS * 4);
      });
  }

  window.addEventListener("scroll", function () {
    if (window.scrollY <= 0 && !pill.hidden) {
      unseen = 0;
      pill.hidden = true;
    }
  }, { passive: true });
  pillLink.addEventListener("click", function (event) {
    event.preventDefault();
    window.scrollTo(0, 0);
  });
  // This script keeps the view in place itself: the browser's own scroll anchoring (not in
  // every browser) would move it a second time.
  document.documentElement.style.overflowAnchor = "none";
  setTimeout(poll, EVERY_MS);
})();
