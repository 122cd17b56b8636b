// Service worker: keeps the page and its Python runtime for offline use (DESIGN.md, "Runtime rules").
// It only ever caches GETs of our own static files, listed by build.py with their hashes. Nothing the
// user types is a request, so nothing the user types can end up in the cache.

// build.py replaces the string below with {version, files: {path relative to this file: "sha256-…"},
// caches: {prefix, staging, snapshot, on_use} (the Cache Storage names, tools/builder/assemble.py CACHE_NAMES),
// on_use: {version, files, ocr_tools_cache}}: the precached files, and those kept only once the page uses
// them (screenshot reading: not part of a phone's first visit). Its big downloads (models, runtime: 30 MB)
// are not among them: the OCR worker checks and keeps those itself, in the cache ocr_tools_cache names.
const ASSETS = "__FANZHA_SW_ASSETS__";

const PREFIX = ASSETS.caches.prefix;
const CACHE = PREFIX + ASSETS.version;
const SCOPE = new URL("./", self.location.href); // the sub-path the site is served from
// The page is kept under the URL people open (the folder), not index.html.
const PAGE = SCOPE.href;
const urlOf = (path) => (path === "index.html" ? PAGE : new URL(path, SCOPE).href);
const URLS = new Map(Object.entries(ASSETS.files).map(([path, hash]) => [urlOf(path), hash]));
const ON_USE = new Map(Object.entries(ASSETS.on_use.files).map(([path, hash]) => [urlOf(path), hash]));
// Named by the on-use files' own hash, so a page update that leaves them unchanged keeps them.
const ON_USE_CACHE = ASSETS.caches.on_use + ASSETS.on_use.version;
const OCR_TOOLS_CACHE = ASSETS.on_use.ocr_tools_cache;
// The page's worker puts the runtime files it downloads here (worker.js), so the precache below need
// not download 10 MB a second time when the browser's HTTP cache did not keep them.
const STAGING = ASSETS.caches.staging;

async function sri(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return "sha256-" + btoa(String.fromCharCode(...digest));
}

// A file the worker staged, if its bytes are exactly this build's.
async function fromStaging(url, integrity) {
  const staged = await caches.match(url, { cacheName: STAGING });
  if (!staged || !staged.ok) return null;
  const body = await staged.arrayBuffer();
  if ((await sri(body)) !== integrity) return null;
  return new Response(body, { status: 200, statusText: "OK", headers: staged.headers });
}

// Each file is fetched past the HTTP cache's freshness but checked against its build hash, so a cache
// never mixes two versions. On the first visit the page has just downloaded these files: with usual
// cache headers they come from the HTTP cache (a revalidation at most), not a second download.
async function precache() {
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((r) => r.url));
  const missing = [...URLS].filter(([url]) => !have.has(url));
  await Promise.all(
    missing.map(async ([url, integrity]) => {
      const staged = await fromStaging(url, integrity).catch(() => null);
      if (staged) return cache.put(url, staged);
      const response = await fetch(url, { cache: "no-cache", integrity });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

self.addEventListener("install", (event) => {
  // No skipWaiting here: a new version waits until the page offers the reload (sw-register.js).
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        const current = name === CACHE || name === ON_USE_CACHE || name === OCR_TOOLS_CACHE;
        if ((name.startsWith(PREFIX) && !current) || name === STAGING) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

// The page itself may be opened with a query (?mode=kiosk, ?mode=embed&…): it is the one URL
// matched ignoring its search. Every other file must match exactly.
function cacheKey(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  const bare = url.href.split(/[?#]/)[0];
  if (request.mode === "navigate" && (bare === PAGE || bare === PAGE + "index.html")) return PAGE;
  url.hash = "";
  return URLS.has(url.href) ? url.href : null;
}

// A copy of a downloaded on-use file, kept only if its bytes are exactly this build's.
async function keepOnUse(url, copy) {
  const body = await copy.arrayBuffer();
  if ((await sri(body)) !== ON_USE.get(url)) return;
  const cache = await caches.open(ON_USE_CACHE);
  await cache.put(url, new Response(body, { status: 200, statusText: "OK", headers: copy.headers }));
}

// An on-use file: from its cache, else from the network, and then kept. No `integrity` on the fetch: that
// would hold the body back until it is complete, and the page shows the download's progress as it arrives.
async function onUse(url, event) {
  const cached = await caches.match(url, { cacheName: ON_USE_CACHE });
  if (cached) return cached;
  const response = await fetch(url);
  if (response.ok) event.waitUntil(keepOnUse(url, response.clone()).catch(() => {}));
  return response;
}

self.addEventListener("fetch", (event) => {
  const bare = event.request.method === "GET" ? event.request.url.split("#")[0] : "";
  if (ON_USE.has(bare)) return event.respondWith(onUse(bare, event));
  const key = cacheKey(event.request);
  if (!key) return; // not ours: the browser handles it as if there were no service worker
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(key);
      if (!cached) return fetch(event.request);
      if (key !== PAGE) return cached;
      // A cached response carries the URL it was stored under. Served as is, it would make that URL
      // the document's, dropping ?mode=…; a fresh Response has no URL, so the request's URL is kept.
      return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers: cached.headers });
    })(),
  );
});
