// Rumbo's service worker (served at /sw.js behind a prelude that defines RUMBO_SW: the version,
// the static files to keep, the app's pages and the page to show offline).
// - Static files: from the cache, refreshed in the background.
// - Pages: from the network; when there is none, the kept copy of the page, else the outbox page.
//   Only the order form and the outbox are kept (they show no data of their own: the data is in
//   IndexedDB, per user). A page signed in as someone else is never shown: the app asks the
//   worker to forget the pages when the user changes or signs out.
// - The API is never touched: requests to /api/ go straight to the network.
"use strict";
const STATIC_CACHE = "rumbo-static-" + RUMBO_SW.version;
const PAGE_CACHE = "rumbo-pages";

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    const files = await caches.open(STATIC_CACHE);
    await files.addAll(RUMBO_SW.precache);
    const pages = await caches.open(PAGE_CACHE);
    for (const url of RUMBO_SW.pages) {
      try {
        const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
        if (response.ok && response.type === "basic") await pages.put(url, response);
      } catch (error) { /* offline while installing: kept on the next visit */ }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    for (const name of await caches.keys()) {
      if (name.startsWith("rumbo-static-") && name !== STATIC_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "forget-pages") event.waitUntil(caches.delete(PAGE_CACHE));
});

function isAppPage(url) {
  return RUMBO_SW.pages.indexOf(url.pathname) !== -1;
}

async function page(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && isAppPage(url) && !url.search && !response.redirected) {
      const copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGE_CACHE);
    return (await cache.match(url.pathname)) || (await cache.match(RUMBO_SW.fallback)) ||
      new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request).then(function (response) {
    if (response.ok) cache.put(request, response.clone());
    return response;
  }).catch(function () { return kept; });
  return kept || fresh;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  }
});
