// The only file that knows Pyodide. A module worker: it starts Python once, then answers checks.
// Protocol (see engine-client.js): in  {id, type: "check", text, knownContact?}
//                                  out {id, ok: true, result} | {id, ok: false, error, fatal?}
//                                      {type: "progress", stage, done, total, bytes?, totalBytes?}
//                                      {type: "ready", timings} | {type: "failed", error, reason}
//                                      {type: "staged"} (after ready: files kept for sw.js's precache)
// Pyodide's module is imported, not statically: a static import would hold this whole module (and the
// downloads start() begins at once) until pyodide.mjs had arrived, one more round trip in a row.
const pyodideModule = import("../pyodide/pyodide.mjs");
pyodideModule.catch(() => {}); // awaited in bootPython / restorePython, which report a failure

// build.py replaces the string below with the build info object: {lock, packages, rules, rules_sha256, ...}.
const BUILD = "__FANZHA_BUILD_INFO__";

const SITE = new URL("../", import.meta.url); // dist root; every URL below is resolved from it
const STAGES = ["runtime", "packages", "import", "rules", "warmup"];
const timings = {};
let fanzha = null;
let currentStage = "runtime";

// Reports the bytes downloaded so far, at most twice a second: the page's watchdog uses these to
// tell a slow download (bytes keep coming) from a stalled one (nothing for many seconds).
let bytes = 0;
let lastReport = 0;
function progress(force = false) {
  const now = performance.now();
  if (!force && now - lastReport < 500) return;
  lastReport = now;
  const done = STAGES.indexOf(currentStage);
  self.postMessage({
    type: "progress", stage: currentStage, done, total: STAGES.length, bytes, totalBytes: BUILD.start_bytes,
  });
}

// Our own static files, downloaded by this worker, are staged for the service worker (sw.js), whose
// precache then need not download them again: it copies each one whose hash matches the build's.
// Only GETs of files under this site are staged; nothing the user types is ever a request.
// Once the service worker has its own cache (a returning visit), there is nothing to stage.
const STAGING = "fanzha-staging";
const cacheStorage = Boolean(self.caches) && self.isSecureContext; // offline staging and the snapshot need it
const canStage = cacheStorage
  ? caches.keys().then((names) => !names.some((n) => n.startsWith("fanzha-") && n !== STAGING), () => false)
  : Promise.resolve(false);
// The writes wait until start-up is over and the first result is on screen: 25 MB of staged files and
// the 31 MB snapshot into Cache Storage cost CPU in the browser's processes, which the start-up and the
// first check (often waiting already, pasted while Python loaded) need more. They start shortly after
// the first answer, or a second after ready when no check comes; later checks do not hold them back (a
// user who checks again and leaves would lose them). Until then the copies wait in memory.
const WRITE_AFTER_READY_MS = 1000;
const WRITE_AFTER_FIRST_ANSWER_MS = 250; // time for the page to render the answer
let startupOver;
const afterStartup = new Promise((resolve) => (startupOver = resolve));
let writeTimer = 0;
function writeAfter(ms) {
  clearTimeout(writeTimer);
  writeTimer = setTimeout(startupOver, ms);
}
let answered = false;
const staging = []; // one promise per file being staged; the page registers sw.js once all settled
function stageForOffline(response, chunks) {
  const put = canStage
    .then(async (yes) => {
      if (!yes) return;
      const body = await chunks;
      await afterStartup; // a Blob of them is a copy into the browser's blob store: not during start-up
      const { status, statusText, headers } = response;
      const copy = new Response(new Blob(body), { status, statusText, headers });
      await (await caches.open(STAGING)).put(response.url, copy);
    })
    .catch(() => {}); // no offline copy is fine; the page works online
  staging.push(put);
}

// Every download of the start-up goes through fetch (Pyodide's included). The response itself goes back
// untouched (a rebuilt Response would lose its URL, and with it Chromium's cache of compiled WebAssembly);
// one clone is read alongside: its bytes are counted as they come (the page's watchdog) and, for our own
// files on a first visit, kept for the offline staging. (One clone for both: each clone of a response
// is one more copy of the 20 MB of a first visit, made while Python boots.)
const plainFetch = self.fetch.bind(self);
let keepChunks = cacheStorage; // until canStage says there is no need
canStage.then((yes) => (keepChunks = keepChunks && yes));
async function readAlong(copy, keep) {
  const reader = copy.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    bytes += value.byteLength;
    progress();
    if (keep && keepChunks) chunks.push(value);
    else chunks.length = 0; // a returning visit: drop what was kept before canStage answered
  }
}
self.fetch = async (...args) => {
  const response = await plainFetch(...args);
  if (!response.body) return response;
  const fromSite = response.url.startsWith(SITE.href) && response.type === "basic" && response.ok;
  const keep = fromSite && keepChunks;
  const chunks = readAlong(response.clone(), keep);
  chunks.catch(() => {});
  if (keep) stageForOffline(response, chunks);
  return response;
};

// Runs one named start-up stage, reporting progress and recording how long it took (ms).
async function stage(name, fn) {
  currentStage = name;
  progress(true);
  const t0 = performance.now();
  const value = await fn();
  timings[name] = Math.round(performance.now() - t0);
  return value;
}

class StartError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason; // "download" | "integrity" | "python": lets the page pick its words
  }
}

async function fetchBytes(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new StartError("download", `${url.pathname}: ${err.message}`);
  }
  if (!response.ok) throw new StartError("download", `${url.pathname}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Our own files must be the very ones this build pinned: a stale cache or a tampered file is refused.
function expectSha256(url, actual, expected) {
  if (actual !== expected) throw new StartError("integrity", `${url.pathname}: sha256 ${actual}, expected ${expected}`);
}

// Downloads a file of this build and checks its sha256 off the Python thread (crypto.subtle), so both
// happen while Python boots. Plain http on an intranet host has no crypto.subtle: `verified` is then
// false, and Python's hashlib checks it once it runs.
async function download(path, sha256) {
  const url = new URL(path, SITE);
  const data = await fetchBytes(url);
  if (!self.crypto || !crypto.subtle) return { url, data, sha256, verified: false };
  expectSha256(url, hex(await crypto.subtle.digest("SHA-256", data)), sha256);
  return { url, data, sha256, verified: true };
}

function verifyInPython(pyodide, file) {
  if (file.verified) return;
  const sha256 = pyodide.runPython("import hashlib\nlambda b: hashlib.sha256(b.to_bytes()).hexdigest()");
  try {
    expectSha256(file.url, sha256(file.data), file.sha256);
  } finally {
    sha256.destroy();
  }
}

// Warm start: the Python heap as it is at the end of start-up, before any text of the user has reached
// Python, kept on this device. A returning visit restores it instead of booting Python and importing the
// engine. Its name carries this build's Pyodide version and engine and rules hashes (and Pyodide itself
// refuses a snapshot of another runtime build).
const SNAPSHOT_CACHE = "fz-python-snapshot"; // not "fanzha-…": sw.js deletes those when it activates
const SNAPSHOT_NAME = [BUILD.pyodide, String(BUILD.engine_sha256).slice(0, 12), String(BUILD.rules_sha256).slice(0, 12)];
const SNAPSHOT_URL = new URL(`python-snapshot.${SNAPSHOT_NAME.join(".")}.bin`, SITE).href;

async function readSnapshot() {
  if (!cacheStorage) return null;
  try {
    const response = await caches.match(SNAPSHOT_URL, { cacheName: SNAPSHOT_CACHE });
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

async function keepSnapshot(bytes) {
  const cache = await caches.open(SNAPSHOT_CACHE);
  for (const request of await cache.keys()) if (request.url !== SNAPSHOT_URL) await cache.delete(request);
  await cache.put(SNAPSHOT_URL, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
}

function forgetSnapshot() {
  return cacheStorage ? caches.open(SNAPSHOT_CACHE).then((cache) => cache.delete(SNAPSHOT_URL)).catch(() => {}) : null;
}

const PYODIDE_OPTIONS = {
  indexURL: new URL("pyodide/", SITE).href,
  lockFileURL: new URL(BUILD.lock, SITE).href,
  stdout: () => {}, // the engine prints nothing worth showing; keep the console quiet
  stderr: (line) => console.warn("[python]", line),
};

async function restorePython(snapshot) {
  const { default: createPyodideModule } = await import("../pyodide/pyodide.asm.mjs");
  // Pyodide 314.0.7 asks for the snapshot's size as INITIAL_MEMORY, which its own (exported) memory
  // ignores; grow the heap to fit before the snapshot is copied in.
  const create = async (settings) => {
    const module = await createPyodideModule(settings);
    module._emscripten_resize_heap(snapshot.length);
    return module;
  };
  const { loadPyodide } = await pyodideModule;
  return loadPyodide({ ...PYODIDE_OPTIONS, _loadSnapshot: snapshot, createPyodideModule: create });
}

async function bootPython() {
  try {
    const { loadPyodide } = await pyodideModule;
    return await loadPyodide({ ...PYODIDE_OPTIONS, _makeSnapshot: cacheStorage });
  } catch (err) {
    throw new StartError("download", `loading Pyodide failed: ${describe(err)}`);
  }
}

async function start() {
  if (typeof BUILD !== "object") throw new Error("worker.js was not built: run `python build.py build`");
  const t0 = performance.now();
  // Neither the engine archive nor the rules bundle needs Python: download and hash them while it boots.
  const engineFile = download(BUILD.engine, BUILD.engine_sha256);
  const rulesFile = download(BUILD.rules, BUILD.rules_sha256);
  engineFile.catch(() => {}); // awaited below; avoid an unhandled-rejection warning meanwhile
  rulesFile.catch(() => {});
  let restored = false;
  const pyodide = await stage("runtime", async () => {
    const snapshot = await readSnapshot();
    if (snapshot) {
      try {
        const restoredPython = await restorePython(snapshot);
        restored = true;
        return restoredPython;
      } catch (err) {
        console.warn("fanzha: the kept Python snapshot could not be restored; starting afresh:", describe(err));
        forgetSnapshot();
      }
    }
    return bootPython();
  });
  timings.snapshot = restored ? "restored" : "none";
  // jieba, its prefix dictionary and the engine are one zip, imported from where it lies (zipimport):
  // nothing to unpack, and micropip stays off the start-up path.
  await stage("packages", async () => {
    const engine = await engineFile;
    verifyInPython(pyodide, engine);
    pyodide.FS.writeFile(BUILD.engine_path, engine.data);
  });
  if (restored) {
    // The snapshot holds the engine imported, this build's rules loaded (its name says which) and warm.
    fanzha = pyodide.pyimport("fanzha");
    return finishStart(pyodide, t0);
  }
  fanzha = await stage("import", () => {
    // fanzha imports jieba after installing its precompiled regexes (fanzha/precompiled.py), and
    // installs the prebuilt prefix dictionary (fanzha/segment.py).
    // jieba 0.42.1 has non-raw regex literals: Python 3.14 warns when it compiles them from source.
    // The archive ships bytecode, so this only matters for a build without it. Harmless; hide them.
    pyodide.runPython(`
import sys, warnings
sys.path.insert(0, ${JSON.stringify(BUILD.engine_path)})
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import fanzha
`);
    return pyodide.pyimport("fanzha");
  });
  await stage("rules", async () => {
    const rules = await rulesFile;
    verifyInPython(pyodide, rules);
    fanzha.load_rules(new TextDecoder().decode(rules.data));
  });
  // Run one short check so the first real one does not pay for first-use costs.
  await stage("warmup", () => fanzha.check_json("领导：你先帮我转一笔钱"));
  if (cacheStorage) {
    // Now, before ready: no check of the user's can have run yet. Written once start-up is over.
    try {
      const snapshot = pyodide.makeMemorySnapshot();
      timings.snapshot = "made";
      afterStartup.then(() => keepSnapshot(snapshot)).catch(() => {});
    } catch (err) {
      console.warn("fanzha: no Python snapshot for the next visit:", describe(err));
    }
  }
  return finishStart(pyodide, t0);
}

function finishStart(pyodide, t0) {
  timings.total = Math.round(performance.now() - t0);
  timings.bytes = bytes;
  return pyodide;
}

const ready = start();
ready.then(
  () => {
    self.postMessage({ type: "ready", timings });
    // sw.js's precache must not start before the staging writes end, or it downloads the files again.
    writeAfter(WRITE_AFTER_READY_MS);
    Promise.allSettled(staging).then(() => self.postMessage({ type: "staged" }));
  },
  (err) => {
    self.postMessage({ type: "failed", error: describe(err), reason: err.reason || "python" });
    startupOver(); // what did download is still worth keeping for the next try
  },
);

function describe(err) {
  return String((err && err.message) || err);
}

// After a fatal error (out of memory, a wasm trap), Pyodide refuses every further call: the page
// must restart this worker, so the reply says so.
function isFatal(pyodide, err) {
  return Boolean(pyodide && pyodide._api && pyodide._api.fatal_error_occurred) || /fatal error/i.test(describe(err));
}

// For bench/browser.py (through the devtools protocol; nothing on the page can call it): times a check
// of `text` beside jieba.lcut of the same text, in this worker. It returns only timings.
self.fanzhaBench = async (text, runs = 5) => {
  const pyodide = await ready;
  const lcut = pyodide.runPython("import jieba\nlambda t: len(jieba.lcut(t))");
  const times = { check_ms: [], lcut_ms: [] };
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    fanzha.check_json(text);
    times.check_ms.push(performance.now() - t0);
    t0 = performance.now();
    lcut(text);
    times.lcut_ms.push(performance.now() - t0);
  }
  lcut.destroy();
  return times;
};

self.onmessage = async (event) => {
  const { id, type, text, knownContact } = event.data || {};
  if (type !== "check") return; // not ours: ignore messages of unknown type
  let pyodide = null;
  try {
    pyodide = await ready; // a check sent while Python loads runs once it is ready
    const result = JSON.parse(fanzha.check_json(String(text), knownContact === true));
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    self.postMessage({ id, ok: false, error: describe(err), fatal: isFatal(pyodide, err) });
  }
  if (!answered) {
    answered = true;
    writeAfter(WRITE_AFTER_FIRST_ANSWER_MS);
  }
};
