/* Check-in and check-out on the rep's day, also without signal.
 * Every arrival and departure goes first into this device's outbox (localStorage, one per
 * user), then to /api/visits/check-ins in the order they happened; a retry carries the same
 * key, so the server never counts a visit twice. The outbox is sent on load, when the
 * connection comes back, and every 15 s while something waits. [data-checkins][data-pending]
 * tells how many wait.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-checkins]");
  if (!root) return;
  var d = root.dataset;
  var OUTBOX = "rumbo-visit-outbox-" + d.user;
  var STATE = "rumbo-visit-state-" + d.user;
  var RETRY_MS = 15000;
  var sending = false;

  function read(name, empty) {
    try { return JSON.parse(localStorage.getItem(name) || "") || empty; } catch (e) { return empty; }
  }
  function write(name, value) { localStorage.setItem(name, JSON.stringify(value)); }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (Math.random() * 16) >> (c / 4)).toString(16);
    });
  }

  function showPending() {
    var list = read(OUTBOX, []);
    var waiting = list.filter(function (e) { return e.state === "pending"; }).length;
    var refused = list.filter(function (e) { return e.state === "refused"; });
    root.dataset.pending = String(waiting);
    var badge = root.querySelector("[data-pending-label]");
    if (badge) badge.textContent = waiting ? waiting + " " + d.labelPending : "";
    var problems = root.querySelector("[data-refused]");
    if (problems) problems.textContent = refused.map(function (e) { return e.error; }).join(" · ");
  }

  // Send what waits, oldest first; stop at the first missing connection.
  function flush() {
    if (sending) return Promise.resolve();
    var list = read(OUTBOX, []);
    var next = list.find(function (e) { return e.state === "pending"; });
    if (!next) { showPending(); return Promise.resolve(); }
    sending = true;
    return fetch(next.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(next.body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var now = read(OUTBOX, []);
        var entry = now.find(function (e) { return e.id === next.id; });
        if (response.ok) {
          now = now.filter(function (e) { return e.id !== next.id; });
          remember(next.visit, { distance: answer.distance_m, far: answer.far });
        } else if (response.status === 400 || response.status === 404 || response.status === 422) {
          if (entry) { entry.state = "refused"; entry.error = message(answer); }
        } else {
          throw new Error("retry");
        }
        write(OUTBOX, now);
        sending = false;
        render();
        return flush();
      });
    }).catch(function () { sending = false; showPending(); });
  }

  function message(answer) {
    var detail = answer && answer.detail;
    if (!detail) return d.labelRefused;
    if (typeof detail === "string") return detail;
    if (detail.__all__) return detail.__all__.join(" ");
    return d.labelRefused;
  }

  function enqueue(url, body, visit) {
    var list = read(OUTBOX, []);
    list.push({ id: newKey(), url: url, body: body, visit: visit, state: "pending" });
    write(OUTBOX, list);
    showPending();
    return flush();
  }

  function remember(visit, change) {
    if (!visit) return;
    var state = read(STATE, {});
    state[visit] = Object.assign(state[visit] || {}, change);
    write(STATE, state);
  }

  function clock(iso) {
    var t = new Date(iso);
    return String(t.getHours()).padStart(2, "0") + ":" + String(t.getMinutes()).padStart(2, "0");
  }

  // Each visit row shows what this device knows on top of what the server sent.
  function render() {
    var state = read(STATE, {});
    root.querySelectorAll("[data-checkin-row]").forEach(function (row) {
      var mine = state[row.dataset.visit] || {};
      var server = row.dataset.server;
      row.dataset.state = server === "out" || mine.out ? "out" : server === "in" || mine.key ? "in" : "ready";
      var info = row.querySelector("[data-checkin-info]");
      if (info && mine.in && !row.dataset.server) {
        var text = d.labelIn + " " + clock(mine.in);
        if (typeof mine.distance === "number") text += " · " + Math.round(mine.distance) + " m";
        if (mine.far) text += " · " + d.labelFar;
        if (mine.out) text += " · " + d.labelOut + " " + clock(mine.out);
        info.textContent = text;
      }
    });
    showPending();
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve(p.coords); }, function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  root.addEventListener("click", function (e) {
    var button = e.target.closest("[data-check-in]");
    if (!button) return;
    var row = button.closest("[data-checkin-row]");
    button.disabled = true;
    position().then(function (coords) {
      var key = newKey();
      var at = new Date().toISOString();
      remember(row.dataset.visit, { key: key, in: at });
      render();
      return enqueue(d.api, {
        key: key, account: Number(row.dataset.account), activity: Number(row.dataset.visit), at: at,
        lat: coords ? coords.latitude : null, lon: coords ? coords.longitude : null,
        accuracy_m: coords ? coords.accuracy : null,
      }, row.dataset.visit);
    }).finally(function () { button.disabled = false; });
  });

  root.addEventListener("submit", function (e) {
    var form = e.target.closest("[data-check-out]");
    if (!form) return;
    e.preventDefault();
    var row = form.closest("[data-checkin-row]");
    var mine = read(STATE, {})[row.dataset.visit] || {};
    var key = mine.key || row.dataset.key;
    if (!key) return;
    var outcome = form.elements.outcome.value;
    var reason = form.elements.reason.value;
    if (outcome === "no_order" && !reason) { form.elements.reason.focus(); return; }
    var at = new Date().toISOString();
    remember(row.dataset.visit, { key: key, out: at, in: mine.in || row.dataset.in });
    render();
    enqueue(d.api + "/" + key + "/out", {
      at: at, outcome: outcome, reason: outcome === "no_order" ? reason : "", notes: form.elements.notes.value,
    }, row.dataset.visit);
  });

  window.addEventListener("online", flush);
  setInterval(function () { if (read(OUTBOX, []).some(function (e) { return e.state === "pending"; })) flush(); }, RETRY_MS);
  render();
  flush();
})();
