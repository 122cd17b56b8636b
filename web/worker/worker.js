// The only file that knows Pyodide. A module worker: it starts Python once, then answers checks.
// Protocol (see engine-client.js): in  {id, type: "check", text}
//                                  out {id, ok: true, result} | {id, ok: false, error}
//                                      {type: "progress", stage, done, total} | {type: "ready", timings}
//                                      {type: "failed", error}
import { loadPyodide } from "../pyodide/pyodide.mjs";

// build.py replaces the string below with the build info object: {lock, packages, rules, ...}.
const BUILD = "__FANZHA_BUILD_INFO__";

const SITE = new URL("../", import.meta.url); // dist root; every URL below is resolved from it
const STAGES = ["runtime", "packages", "import", "rules", "warmup"];
const timings = {};
let fanzha = null;

// Runs one named start-up stage, reporting progress and recording how long it took (ms).
async function stage(name, fn) {
  self.postMessage({ type: "progress", stage: name, done: STAGES.indexOf(name), total: STAGES.length });
  const t0 = performance.now();
  const value = await fn();
  timings[name] = Math.round(performance.now() - t0);
  return value;
}

// loadPackage only logs a failed fetch or integrity check and resolves anyway; make it throw.
async function loadPackages(pyodide, names) {
  const errors = [];
  const loaded = await pyodide.loadPackage(names, {
    messageCallback: () => {},
    errorCallback: (msg) => errors.push(msg),
  });
  const got = new Set(loaded.map((p) => p.name));
  const missing = names.filter((n) => !got.has(n));
  if (errors.length || missing.length) {
    // Pyodide reports an integrity (sha256) mismatch as a bare "Failed to fetch"; say what it may mean.
    const hint = errors.some((e) => e.includes("Failed to fetch"))
      ? " (file missing, or its sha256 differs from the lock file)"
      : "";
    throw new Error(`loading ${missing.join(", ") || "packages"} failed: ${errors.join("; ")}${hint}`);
  }
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response.text();
}

async function start() {
  if (typeof BUILD !== "object") throw new Error("worker.js was not built: run `python build.py build`");
  const t0 = performance.now();
  // The rules bundle is small and independent of Python: fetch it while the runtime loads.
  const rulesText = fetchText(new URL(BUILD.rules, SITE));
  rulesText.catch(() => {}); // awaited in the "rules" stage; avoid an unhandled-rejection warning
  const pyodide = await stage("runtime", () =>
    loadPyodide({
      indexURL: new URL("pyodide/", SITE).href,
      lockFileURL: new URL(BUILD.lock, SITE).href,
      stdout: () => {}, // the engine prints nothing worth showing; keep the console quiet
      stderr: (line) => console.warn("[python]", line),
    }),
  );
  await stage("packages", () => loadPackages(pyodide, BUILD.packages));
  fanzha = await stage("import", () => {
    // jieba 0.42.1 has non-raw regex literals: Python 3.14 warns on every compile. Harmless; hide them.
    pyodide.runPython(`
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import jieba
`);
    return pyodide.pyimport("fanzha");
  });
  await stage("rules", async () => fanzha.load_rules(await rulesText));
  // jieba reads its 5 MB dictionary on first use; do it now, not on the user's first check.
  await stage("warmup", () =>
    pyodide.runPython("import logging, jieba; jieba.setLogLevel(logging.WARNING); jieba.initialize()"),
  );
  timings.total = Math.round(performance.now() - t0);
}

const ready = start();
ready.then(
  () => self.postMessage({ type: "ready", timings }),
  (err) => self.postMessage({ type: "failed", error: describe(err) }),
);

function describe(err) {
  return String((err && err.message) || err);
}

self.onmessage = async (event) => {
  const { id, type, text } = event.data || {};
  try {
    if (type !== "check") throw new Error(`unknown message type: ${type}`);
    await ready; // a check sent while Python loads runs once it is ready
    const result = JSON.parse(fanzha.check_json(String(text)));
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    self.postMessage({ id, ok: false, error: describe(err) });
  }
};
