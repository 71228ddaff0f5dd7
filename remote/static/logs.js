// The log page's JavaScript (remote/templates/logs.html); without it the page is right, not
// live, and filters when Show is pressed.
// Live follow: asks the station for the entries written since the page's newest
// (GET /api/v1/logs/follow with the page's filters) twice a second and puts them on top, in
// the rows the page was served with. A reader who scrolled down keeps what they read where it
// is, and a link says how many came above.
// Filter as you type: a change in the filter form asks, 300 ms after the last one, for this
// same page with the form's query and swaps in its entries section and field errors (focus
// and caret stay in the field: the form's fields are never replaced); the address becomes
// that query so it can be shared; an answer to an older question is dropped; follow goes on
// from the new section's own cursor. Text from the log goes in as text, never HTML.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var EVERY_MS = 500;
  var PAGE = 50;  // the follow call's page size: a full one means more are waiting
  var SETTLE_MS = 300;  // typing pauses this long before the page asks
  var WIDE = "(min-width: 48rem)";  // "More filters" opens by itself on such a screen

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

  function row(entry, clock) {
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

  // Follows the list (the newest page's #log-entries) until the function it gives back is
  // called; a list without data-follow-url (an older page, a refused filter) is not followed.
  function follow(list) {
    if (!list || !list.dataset.followUrl) {
      return function () {};
    }
    var cursor = list.dataset.cursor;
    var status = document.getElementById("log-follow");
    var pill = document.getElementById("log-new");
    var pillLink = document.getElementById("log-new-link");
    var unseen = 0;
    var clock = timeFormat(list.dataset.tz);
    var stopped = false;
    var timer = null;

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
        rows.appendChild(row(entry, clock));
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

    function later(ms) {
      if (!stopped) {
        timer = setTimeout(poll, ms);
      }
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
          if (stopped) {
            return;
          }
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
          later(data.entries.length >= PAGE ? 0 : EVERY_MS);
        })
        .catch(function () {
          if (!stopped) {
            status.textContent = "The station does not answer: trying again.";
            later(EVERY_MS * 4);
          }
        });
    }

    function scrolled() {
      if (window.scrollY <= 0 && !pill.hidden) {
        unseen = 0;
        pill.hidden = true;
      }
    }

    window.addEventListener("scroll", scrolled, { passive: true });
    pillLink.addEventListener("click", function (event) {
      event.preventDefault();
      window.scrollTo(0, 0);
    });
    later(EVERY_MS);
    return function () {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("scroll", scrolled);
    };
  }

  // The element children of a node, leaving out field errors (those come and go).
  function kept(node) {
    return Array.prototype.filter.call(node.children, function (child) {
      return !child.classList.contains("field-error");
    });
  }

  // Puts the fresh form's field errors where they stand in it: each is found by its path of
  // places among the (error-free) children from the form down, the same in both forms.
  function swapErrors(form, fresh) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (old) {
      old.parentNode.removeChild(old);
    });
    Array.prototype.forEach.call(fresh.querySelectorAll(".field-error"), function (problem) {
      var path = [];
      for (var at = problem.parentElement; at !== fresh; at = at.parentElement) {
        path.unshift(kept(at.parentElement).indexOf(at));
      }
      var place = form;
      for (var i = 0; i < path.length && place; i += 1) {
        place = kept(place)[path[i]];
      }
      if (!place) {
        return;
      }
      var before = 0;
      for (var sib = problem.previousElementSibling; sib; sib = sib.previousElementSibling) {
        before += sib.classList.contains("field-error") ? 0 : 1;
      }
      place.insertBefore(document.importNode(problem, true), kept(place)[before] || null);
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[id], select[id]"), function (field) {
      var twin = fresh.querySelector("#" + field.id);
      ["aria-invalid", "aria-describedby"].forEach(function (name) {
        if (twin && twin.hasAttribute(name)) {
          field.setAttribute(name, twin.getAttribute(name));
        } else {
          field.removeAttribute(name);
        }
      });
    });
  }

  function replace(id, fresh) {
    var old = document.getElementById(id);
    var next = fresh.getElementById(id);
    if (old && next) {
      old.parentNode.replaceChild(document.importNode(next, true), old);
    }
  }

  function filterAsTyped(form, restart) {
    var status = document.getElementById("filter-status");
    var more = document.getElementById("more-filters");
    var waiting = null;
    var asked = 0;  // the number of the latest question: only its answer is used
    var running = null;
    var shown = query();

    function query() {
      var pairs = [];
      new FormData(form).forEach(function (value, name) {
        if (value !== "") {
          pairs.push([name, value]);
        }
      });
      return new URLSearchParams(pairs).toString();
    }

    function say(words) {
      status.textContent = words;
      status.hidden = !words;
    }

    function swap(fresh) {
      if (!fresh.getElementById("entries") || !fresh.getElementById("log-filters")) {
        throw new Error("not the log page");
      }
      replace("entries", fresh);
      replace("recent", fresh);
      swapErrors(form, fresh.getElementById("log-filters"));
      var freshMore = fresh.getElementById("more-filters");
      if (more && freshMore && freshMore.open) {
        more.open = true;  // a refused filter in there shows
      }
      restart();
    }

    function ask() {
      var wanted = query();
      if (wanted === shown) {
        return;
      }
      shown = wanted;
      asked += 1;
      var mine = asked;
      if (running) {
        running.abort();
      }
      running = window.AbortController ? new AbortController() : null;
      var url = "/logs" + (wanted ? "?" + wanted : "");
      fetch(url, {
        credentials: "same-origin", cache: "no-store", signal: running ? running.signal : undefined
      })
        .then(function (response) {
          if (/\/login$/.test(new URL(response.url).pathname)) {
            throw { words: "Your session ended: reload the page to log in again." };
          }
          if (response.status !== 200 && response.status !== 400) {
            throw { words: "The station answered " + response.status + ": press Show to try again." };
          }
          return response.text();
        })
        .then(function (text) {
          if (mine !== asked) {
            return;
          }
          swap(new DOMParser().parseFromString(text, "text/html"));
          history.replaceState(null, "", url);
          say("");
        })
        .catch(function (err) {
          if (mine !== asked || err.name === "AbortError") {
            return;
          }
          shown = null;  // the next change asks again
          say(err.words || "The station does not answer: press Show to try again.");
        });
    }

    function changed() {
      clearTimeout(waiting);
      waiting = setTimeout(ask, SETTLE_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (more && window.matchMedia && window.matchMedia(WIDE).matches) {
      more.open = true;
    }
  }

  var stopFollowing = follow(document.getElementById("log-entries"));
  var form = document.getElementById("log-filters");
  if (form && window.DOMParser && window.URLSearchParams && window.FormData) {
    filterAsTyped(form, function () {
      stopFollowing();
      stopFollowing = follow(document.getElementById("log-entries"));
    });
  }
  // This script keeps the view in place itself: the browser's own scroll anchoring (not in
  // every browser) would move it a second time.
  document.documentElement.style.overflowAnchor = "none";
})();
