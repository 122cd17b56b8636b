// Python's start-up: boot Pyodide (or restore the kept snapshot), mount the engine archive, import the
// engine, load this build's rules, warm up. The only module that calls Pyodide's own API.
import { StartError, download, expectSha256 } from "./downloads.js";
import { release } from "./memory.js";
import { bytesSoFar, stage, timings } from "./progress.js";
import { BUILD, SITE, cacheStorage } from "./site.js";
import { forgetSnapshot, keepSnapshot, readSnapshot } from "./snapshot.js";
import { afterStartup } from "./staging.js";

// Pyodide's module is imported, not statically: a static import would hold the worker (and the downloads
// start() begins at once) until pyodide.mjs had arrived, one more round trip in a row.
const pyodideModule = import("../pyodide/pyodide.mjs");
pyodideModule.catch(() => {}); // awaited in bootPython / restorePython, which report a failure

export function describe(err) {
  return String((err && err.message) || err);
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
  try {
    return await loadPyodide({ ...PYODIDE_OPTIONS, _loadSnapshot: snapshot, createPyodideModule: create });
  } finally {
    release(snapshot); // copied into Python's heap, or refused
  }
}

async function bootPython() {
  try {
    const { loadPyodide } = await pyodideModule;
    return await loadPyodide({ ...PYODIDE_OPTIONS, _makeSnapshot: cacheStorage });
  } catch (err) {
    throw new StartError("download", `loading Pyodide failed: ${describe(err)}`);
  }
}

/** Pyodide from the kept snapshot if there is a good one (then `restored`), else booted afresh. */
async function runtime() {
  const snapshot = await readSnapshot();
  if (snapshot) {
    try {
      return { pyodide: await restorePython(snapshot), restored: true };
    } catch (err) {
      console.warn("fanzha: the kept Python snapshot could not be restored; starting afresh:", describe(err));
      forgetSnapshot();
    }
  }
  return { pyodide: await bootPython(), restored: false };
}

/**
 * Starts Python with the engine and this build's rules, recording each stage in `timings`.
 * @returns {Promise<{pyodide: object, fanzha: object}>} fanzha: the engine's Python module
 */
export async function start() {
  if (typeof BUILD !== "object") throw new Error("worker.js was not built: run `python build.py build`");
  const t0 = performance.now();
  // Neither the engine archive nor the rules bundle needs Python: download and hash them while it boots.
  const engineFile = download(BUILD.engine, BUILD.engine_sha256);
  const rulesFile = download(BUILD.rules, BUILD.rules_sha256);
  engineFile.catch(() => {}); // awaited below; avoid an unhandled-rejection warning meanwhile
  rulesFile.catch(() => {});
  const { pyodide, restored } = await stage("runtime", runtime);
  timings.snapshot = restored ? "restored" : "none";
  // jieba, its prefix dictionary and the engine are one zip, imported from where it lies (zipimport):
  // nothing to unpack, and micropip stays off the start-up path.
  await stage("packages", async () => {
    const engine = await engineFile;
    verifyInPython(pyodide, engine);
    pyodide.FS.writeFile(BUILD.engine_path, engine.data);
    release(engine.data); // the file system keeps its own copy
  });
  if (restored) {
    // The snapshot holds the engine imported, this build's rules loaded (its name says which) and warm.
    return finishStart(pyodide, pyodide.pyimport("fanzha"), t0);
  }
  const fanzha = await stage("import", () => {
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
  return finishStart(pyodide, fanzha, t0);
}

function finishStart(pyodide, fanzha, t0) {
  timings.total = Math.round(performance.now() - t0);
  timings.bytes = bytesSoFar();
  return { pyodide, fanzha };
}
