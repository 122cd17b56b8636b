"""The smoke test of the exact bytes that ship, under Pyodide with the built lock file (build time, under
node; see pyodide.py), and the list of standard-library modules they import: the page's start-up, a check,
tracebacks and micropip. The build trims python_stdlib.zip to that list, so where each import below stands
is part of what it measures: the standard library's at the top, then the engine's, then the rest's after
start-up's list is taken. With record_regexes, it also records the start-up's regexes (fanzha.precompiled).

Run by pyodide_driver.mjs with the work folder at /work (job.json in, out/verify.json out); the driver sets
BOOT_MS, how long Pyodide took to boot.
"""

import json
import shutil
import sys
import time
import traceback
import warnings

job = json.load(open("/work/job.json"))
t0 = time.perf_counter()
shutil.copyfile(job["engine"], job["engine_path"])  # where the worker puts it: the path baked into the .pyc
if job.get("record_regexes"):
    # The engine's modules compile their regexes as they are imported, so the recording starts before the
    # package does: fanzha.precompiled is loaded from the archive on its own, and fanzha/__init__.py then
    # finds it in sys.modules. (importlib.util and zipimport are in start-up's list already.)
    import importlib.util
    import zipimport

    spec = zipimport.zipimporter(job["engine_path"] + "/fanzha").find_spec("fanzha.precompiled")
    precompiled = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = precompiled
    spec.loader.exec_module(precompiled)
    stop_recording = precompiled.record()
sys.path.insert(0, job["engine_path"])
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import fanzha
import jieba  # noqa: E402

assert fanzha.speedups.INSTALLED.prefix_dict, "the prebuilt prefix dictionary was not found beside jieba"
assert fanzha.speedups.INSTALLED.emission, "the HMM's emission table was not found beside the engine"
fanzha.load_rules(open(job["rules"], encoding="utf-8").read())
start_ms = (time.perf_counter() - t0) * 1000
words = jieba.lcut("请把钱转到安全账户")
assert "安全账户" in words, words
for text, expected in job["cuts"].items():  # as CPython's jieba cuts them, HMM and all
    assert jieba.lcut(text) == expected, (text, jieba.lcut(text), expected)
verdicts = [json.loads(fanzha.check_json(t))["verdict"] for t in job["texts"]]
assert verdicts[0] in {"high", "medium"}, verdicts
assert all(v in {"high", "medium", "low", "none"} for v in verdicts), verdicts
if job.get("record_regexes"):
    with open("/work/out/regexes.bin", "wb") as f:
        f.write(stop_recording())
if job.get("expect_precompiled"):
    assert fanzha.speedups.INSTALLED.regexes and fanzha.precompiled.hits > 100, "the regex table was not used"
try:
    raise ValueError("traceback path")
except ValueError:
    traceback.format_exc()
zip_prefix = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"


def stdlib_files():
    paths = (getattr(m, "__file__", None) or "" for m in list(sys.modules.values()))
    return sorted(p[len(zip_prefix):] for p in paths if p.startswith(zip_prefix))


startup_files = stdlib_files()  # what the page imports to start and to check: worth precompiling
import importlib.metadata  # noqa: E402

import micropip  # noqa: E402, F401  (shipped for run-time installs; its imports must stay in the trimmed stdlib)

for name in job["packages"]:
    importlib.metadata.version(name)  # reads METADATA through email.*: what micropip does too
import pkgutil  # noqa: E402

for info in pkgutil.iter_modules(fanzha.__path__):  # the CLI too: whatever the package can import
    if info.name != "__main__":
        __import__("fanzha." + info.name)
for name in job.get("also_import", []):
    __import__(name)
boot_ms = globals()["BOOT_MS"]  # set by pyodide_driver.mjs
report = {"boot_ms": boot_ms, "start_ms": start_ms, "lcut": words, "verdicts": verdicts,
          "stdlib_files": stdlib_files(), "startup_files": startup_files}
json.dump(report, open("/work/out/verify.json", "w"), ensure_ascii=False)
print("  smoke under Pyodide: jieba.lcut ->", words, "| verdicts ->", verdicts,
      f"| start {start_ms:.0f} ms (boot {boot_ms:.0f} ms)")
