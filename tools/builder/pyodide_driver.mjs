// Boots Pyodide under node and runs one Python script (build time; tools/builder/pyodide.py runs it).
//   node pyodide_driver.mjs INDEX_DIR WORK SCRIPT [LOCK_FILE] [STDLIB_ZIP]
// WORK is mounted at /work, where the script finds job.json; the packages the job names are loaded first.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [indexDir, work, script, lockFile, stdlib] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(indexDir + "/pyodide.mjs").href);
const options = { indexURL: indexDir + "/", stdout: (s) => console.log(s), stderr: (s) => console.error(s) };
if (lockFile) options.lockFileURL = lockFile;
if (stdlib) options.stdLibURL = stdlib;
const t0 = performance.now();
const py = await loadPyodide(options);
const boot = performance.now() - t0;
py.mountNodeFS("/work", work);
const job = JSON.parse(readFileSync(work + "/job.json", "utf8"));
if (job.packages && job.packages.length) {
  const errors = [];
  await py.loadPackage(job.packages, { messageCallback() {}, errorCallback: (m) => errors.push(m) });
  if (errors.length) throw new Error("loadPackage: " + errors.join("; "));
}
py.globals.set("BOOT_MS", boot);
py.runPython(readFileSync(script, "utf8"));
