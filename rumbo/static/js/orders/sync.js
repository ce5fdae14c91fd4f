// Offline sync, on every page of a signed-in user:
// - registers the service worker (/sw.js) that keeps the order form's pages and files;
// - keeps the user's accounts, catalogue, price lists, suggestions and rules in IndexedDB
//   (asked again with If-None-Match, so an unchanged answer costs a 304);
// - sends the orders waiting in the outbox, each with its own Idempotency-Key, whenever the
//   connection is there (on load, when it comes back, and every 15 s while some wait);
// - shows how many orders wait (the badge in the top bar).
// The caches belong to one user: when someone else signs in on the device they are emptied
// first, and signing out empties them too. Orders in the outbox are never dropped silently.
(function () {
  "use strict";
  const script = document.currentScript;
  const S = window.RumboStore;
  if (!script || !S || !window.indexedDB) return;
  const cfg = {
    user: Number(script.dataset.user),
    api: script.dataset.api,
    sw: script.dataset.sw,
    writes: script.dataset.writes === "1",
    logout: script.dataset.logout,
  };
  const STALE_MS = 2 * 60 * 1000;
  const RETRY_MS = 15 * 1000;
  const MAX_OFFLINE_ACCOUNTS = 5000;
  const MAX_BULK_SUGGESTIONS = 1000;
  const DATASETS = [
    { name: "accounts", url: "orders/accounts?limit=" + MAX_OFFLINE_ACCOUNTS },
    { name: "catalogue", url: "catalogue" },
    { name: "priceLists", url: "price-lists" },
    { name: "rules", url: "orders/rules" },
    {
      name: "suggestions",
      url: "orders/suggestions",
      when: function (got) { return got.accounts && got.accounts.data.count <= MAX_BULK_SUGGESTIONS; },
    },
  ];
  let sending = false;

  function emit(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }

  function csrf() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function tellWorker(message) {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage(message);
    }
  }

  // The caches hold one user's data: another user's are emptied before anything is read.
  async function claimDevice() {
    const owner = await S.get("meta", "user");
    if (!owner || owner.value !== cfg.user) {
      await S.clear("cache");
      await S.del("meta", "draft");
      await S.put("meta", { name: "user", value: cfg.user });
      tellWorker({ type: "forget-pages" });
    }
  }

  async function cached(name) {
    const record = await S.get("cache", name);
    return record && record.user === cfg.user ? record : null;
  }

  async function fetchDataset(dataset, force) {
    const kept = await cached(dataset.name);
    if (kept && !force && Date.now() - kept.fetchedAt < STALE_MS) return kept;
    const headers = { Accept: "application/json" };
    if (kept && kept.etag) headers["If-None-Match"] = kept.etag;
    const response = await fetch(cfg.api + dataset.url, { headers: headers, credentials: "same-origin" });
    if (response.status === 304 && kept) {
      kept.fetchedAt = Date.now();
      await S.put("cache", kept);
      return kept;
    }
    if (!response.ok) throw new Error(dataset.name + ": " + response.status);
    const record = {
      name: dataset.name, user: cfg.user, etag: response.headers.get("ETag"),
      data: await response.json(), fetchedAt: Date.now(),
    };
    await S.put("cache", record);
    return record;
  }

  // Bring the offline caches up to date; resolves true when every dataset answered.
  async function refresh(force) {
    if (!cfg.writes || !navigator.onLine) return false;
    const got = {};
    let complete = true;
    let changed = false;
    for (const dataset of DATASETS) {
      if (dataset.when && !dataset.when(got)) continue;
      try {
        const before = await cached(dataset.name);
        got[dataset.name] = await fetchDataset(dataset, force);
        changed = changed || !before || before.etag !== got[dataset.name].etag;
      } catch (error) {
        complete = false;
      }
    }
    emit("rumbo:data", { complete: complete, changed: changed });
    return complete;
  }

  async function entries() {
    const all = await S.byUser(cfg.user);
    return all.sort(function (a, b) { return a.createdAt - b.createdAt; });
  }

  // Counts read concurrently may finish out of order: only the latest one is shown.
  let badgeCount = 0;
  async function updateBadge() {
    const call = ++badgeCount;
    const badge = document.querySelector("[data-sync-badge]");
    const list = await entries();
    if (call !== badgeCount) return list;
    const refused = list.filter(function (e) { return e.state === "refused"; }).length;
    if (badge) {
      badge.querySelector("[data-sync-count]").textContent = String(list.length);
      badge.dataset.state = refused ? "refused" : list.length ? "pending" : "idle";
      if (refused && badge.dataset.titleRefused) badge.title = badge.dataset.titleRefused;
    }
    emit("rumbo:outbox", { count: list.length, refused: refused });
    return list;
  }

  function withLock(work) {
    if (navigator.locks) return navigator.locks.request("rumbo-outbox", work);
    return work();
  }

  // Send one order as it was frozen when written; the answer decides its fate:
  // 201 → gone from the outbox; 400/409/422 → refused, kept with the reason for the rep to
  // fix; anything else (no connection, 5xx, signed out) → waits for the next try.
  async function sendEntry(entry) {
    let response;
    try {
      response = await fetch(cfg.api + "orders", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json", Accept: "application/json",
          "Idempotency-Key": entry.key, "X-CSRFToken": csrf(),
        },
        body: entry.body,
      });
    } catch (error) {
      entry.tries = (entry.tries || 0) + 1;
      entry.lastError = "offline";
      await S.put("outbox", entry);
      return { outcome: "offline", entry: entry };
    }
    const data = await response.json().catch(function () { return {}; });
    if (response.status === 201) {
      await S.del("outbox", entry.key);
      emit("rumbo:sent", { entry: entry, order: data });
      return { outcome: "sent", entry: entry, order: data };
    }
    if (response.status === 400 || response.status === 409 || response.status === 422) {
      entry.state = "refused";
      entry.refusal = { status: response.status, body: data };
      await S.put("outbox", entry);
      emit("rumbo:refused", { entry: entry });
      return { outcome: "refused", entry: entry };
    }
    entry.tries = (entry.tries || 0) + 1;
    entry.lastError = String(response.status);
    await S.put("outbox", entry);
    return { outcome: response.status === 401 || response.status === 403 ? "signin" : "retry", entry: entry };
  }

  // Send every waiting order of this user, oldest first; stops at the first "no connection".
  async function sendAll() {
    if (sending || !navigator.onLine) return;
    sending = true;
    let refused = false;
    try {
      await withLock(async function () {
        for (const entry of await entries()) {
          if (entry.state !== "pending") continue;
          const fresh = await S.get("outbox", entry.key);  // another tab may have sent it
          if (!fresh || fresh.state !== "pending") continue;
          const result = await sendEntry(fresh);
          refused = refused || result.outcome === "refused";
          if (result.outcome === "offline") break;
        }
      });
    } finally {
      sending = false;
      await updateBadge();
    }
    // A refusal often means the catalogue or prices moved: fetch them before the rep fixes it.
    if (refused) await refresh(true);
  }

  // Keep an order in the outbox (before the first try, so a closed tab loses nothing), then
  // try to send it at once.
  async function submit(entry) {
    entry.user = cfg.user;
    entry.state = "pending";
    entry.createdAt = entry.createdAt || Date.now();
    await S.put("outbox", entry);
    await updateBadge();
    if (!navigator.onLine) return { outcome: "offline", entry: entry };
    const result = await withLock(async function () {
      const fresh = await S.get("outbox", entry.key);
      if (!fresh) return { outcome: "sent", entry: entry, order: null };  // sent meanwhile
      return sendEntry(fresh);
    });
    await updateBadge();
    if (result.outcome === "refused") refresh(true);
    return result;
  }

  async function discard(key) {
    await S.del("outbox", key);
    await updateBadge();
  }

  async function forgetOnSignOut(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.action.endsWith(cfg.logout)) return;
    event.preventDefault();
    try {
      await S.clear("cache");
      await S.del("meta", "user");
      await S.del("meta", "draft");
      tellWorker({ type: "forget-pages" });
    } finally {
      form.submit();
    }
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !cfg.sw) return;
    navigator.serviceWorker.register(cfg.sw, { scope: "/" }).catch(function () {});
  }

  // `claimed`: the caches are this user's (pages may read them); `ready`: first sync done.
  const claimed = claimDevice().catch(function () {});
  const ready = claimed.then(async function () {
    await updateBadge();
    if (navigator.onLine) {
      await sendAll();
      await refresh(false);
    }
  }).catch(function () {});
  window.RumboSync = {
    claimed: claimed, ready: ready, user: cfg.user, refresh: refresh, cached: cached, entries: entries,
    submit: submit, sendAll: sendAll, discard: discard, updateBadge: updateBadge,
    put: function (entry) { return S.put("outbox", entry).then(updateBadge); },
  };
  window.addEventListener("online", function () { sendAll().then(function () { refresh(false); }); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sendAll();
  });
  setInterval(function () { if (navigator.onLine) sendAll(); }, RETRY_MS);
  document.addEventListener("submit", forgetOnSignOut, true);
  window.addEventListener("load", registerWorker);
})();
