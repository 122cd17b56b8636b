// The engine's worker (a module worker; engine-client.js is the page's side): it starts Python once, then
// answers checks. This file is the protocol; the rest of the job is in its own modules: python.js (start-up,
// the only code that knows Pyodide), downloads.js, progress.js, staging.js (offline), snapshot.js (warm
// start), site.js (the build's facts), bench.js. build.py joins them into this one file (tools/builder/
// bundle.py), so the page loads one worker script, as before the split.
// Protocol: in  {id, type: "check", text, knownContact?}
//           out {id, ok: true, result} | {id, ok: false, error, fatal?}
//               {type: "progress", stage, done, total, bytes?, totalBytes?}
//               {type: "ready", timings} | {type: "failed", error, reason}
//               {type: "staged"} (after ready: files kept for sw.js's precache)
import { installBenchHook } from "./bench.js";
import { watchDownloads } from "./downloads.js";
import { timings } from "./progress.js";
import { describe, start } from "./python.js";
import { allStaged, writeAfterFirstAnswer, writeAfterReady, writeNow } from "./staging.js";

watchDownloads();
const ready = start();
ready.then(
  () => {
    self.postMessage({ type: "ready", timings });
    writeAfterReady();
    allStaged().then(() => self.postMessage({ type: "staged" }));
  },
  (err) => {
    self.postMessage({ type: "failed", error: describe(err), reason: err.reason || "python" });
    writeNow();
  },
);
installBenchHook(ready);

// After a fatal error (out of memory, a wasm trap), Pyodide refuses every further call: the page
// must restart this worker, so the reply says so.
function isFatal(pyodide, err) {
  return Boolean(pyodide && pyodide._api && pyodide._api.fatal_error_occurred) || /fatal error/i.test(describe(err));
}

self.onmessage = async (event) => {
  const { id, type, text, knownContact } = event.data || {};
  if (type !== "check") return; // not ours: ignore messages of unknown type
  let pyodide = null;
  try {
    let fanzha;
    ({ pyodide, fanzha } = await ready); // a check sent while Python loads runs once it is ready
    const result = JSON.parse(fanzha.check_json(String(text), knownContact === true));
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    self.postMessage({ id, ok: false, error: describe(err), fatal: isFatal(pyodide, err) });
  }
  writeAfterFirstAnswer();
};
