"""Assemble the static site in dist/ and serve it.

    python build.py build                         # write dist/
    python build.py serve [--port N] [--base P]   # build if stale, serve dist/ on 127.0.0.1

Standard library only, with the engine (py/) and jieba. Downloads (Pyodide from npm, micropip and jieba
from PyPI) go through the ordinary clients (`npm pack`, `pip download`) into .cache/ and are checked
against the pins in tools/builder/fetch.py, so a second build needs no network.

Start-up levers (issue 6): jieba, its prefix dictionary (prebuilt, loaded lazily) and the engine in
one stored zip the worker downloads while Python boots and imports from directly; .pyc for them made
with Pyodide's own Python 3.14 run under node; python_stdlib.zip trimmed to the modules actually
imported and precompiled; the worker's modules joined into one file (bundle). For measuring them one
by one, FANZHA_BUILD_LEVERS=pyc,stdlib,stdlibpyc,bundle (the default) may name fewer; never set it for a
release. Measured with bench/browser.py (python build.py build --out DIR; bench/browser.py --dist DIR).

tools/builder/: this file runs the steps in order; fetch.py (pinned downloads), engine.py (engine archive,
rules bundle, the page's labels), pyodide.py (Pyodide under node: bytecode, the smoke test), assemble.py
(dist/'s files), bundle.py (the worker's modules as one file), serve.py (the development server), paths.py
(where things are).
"""

from __future__ import annotations

import sys

from .paths import PY

# The build imports the engine (the rules compiler, jieba's prebuilt files, the regex table's name) from this
# checkout's py/, whether or not it is installed (`pip install -e .`): before any module below imports it.
sys.path.insert(0, str(PY))

# isort: split
import argparse
import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

from . import serve
from .archives import read_tar_members, sha256_bytes
from .assemble import (
    CACHE_NAMES,
    GENERATED_NOTE,
    copy_web,
    slim_stdlib,
    write_manifest,
    write_pyodide,
    write_service_worker,
)
from .bundle import bundle_worker
from .engine import (
    DEV_ONLY,
    ENGINE_MOUNT,
    LABELS_MODULE,
    compile_rules_bundle,
    engine_archive,
    jieba_data_files,
    jieba_sources,
    labels_module,
    package_files,
    project_meta,
    python_sources,
)
from .errors import BuildError
from .fetch import (
    PYODIDE_PYTHON,
    PYODIDE_VERSION,
    fetch_jieba_sdist,
    fetch_micropip,
    fetch_pyodide,
    pyodide_package_dir,
)
from .ocr import copy_ocr
from .paths import CACHE, DIST, PKG_SRC
from .pyodide import (
    STDLIB_ALSO_IMPORT,
    VERIFY_TEXTS,
    compile_under_pyodide,
    expected_cuts,
    stdlib_path,
    verify_under_pyodide,
)
from .serve import is_dist_stale, make_handler, make_server

# What build.py's callers use (bench/browser.py, besides main).
__all__ = [
    "CACHE_NAMES", "DIST", "BuildError", "build", "fetch_pyodide", "is_dist_stale", "main", "make_handler",
    "make_server", "read_tar_members",
]

LEVERS = frozenset(filter(None, os.environ.get("FANZHA_BUILD_LEVERS", "pyc,stdlib,stdlibpyc,bundle").split(",")))


def build(dest: Path = DIST) -> None:
    started = time.monotonic()
    rules = compile_rules_bundle()  # first: a broken rule should fail fast, before any download
    CACHE.mkdir(exist_ok=True)
    print("fetching pinned downloads (cached in .cache/)", flush=True)
    tgz = fetch_pyodide()
    pyodide = read_tar_members(tgz, "package/")
    upstream_lock = json.loads(pyodide["pyodide-lock.json"])
    py_version = ".".join(upstream_lock["info"]["python"].split(".")[:2])  # "3.14.2" -> "3.14"
    if py_version != PYODIDE_PYTHON:
        raise BuildError(f"Pyodide {PYODIDE_VERSION} runs Python {py_version}; set PYODIDE_PYTHON in fetch.py to match")
    micropip = fetch_micropip(py_version)
    node_pyodide = pyodide_package_dir(tgz)

    jieba_files = jieba_sources(fetch_jieba_sdist())
    data_files = jieba_data_files(jieba_files)  # what is left in jieba_files ships as it is
    fanzha_files = package_files(PKG_SRC, project_meta()["name"], skip=DEV_ONLY)
    print(f"compiling under Pyodide {PYODIDE_VERSION} (levers: {','.join(sorted(LEVERS)) or 'none'})", flush=True)
    sources = python_sources(jieba_files) | python_sources(fanzha_files) if "pyc" in LEVERS else {}
    pyc = compile_under_pyodide(node_pyodide, sources)
    engine_name, engine = engine_archive(jieba_files, fanzha_files, pyc, data_files, regexes=None)

    out = dest.parent / f".{dest.name}.new"  # build beside, then swap, so a server never sees half a dist/
    shutil.rmtree(out, ignore_errors=True)
    # micropip stays for run-time installs (an updated rule pack, an optional extra), off the start-up path.
    lock_name = write_pyodide(out, pyodide, {"micropip": (micropip.name, micropip.read_bytes(), ["micropip"], [])})
    (out / engine_name).write_bytes(engine)
    rules_name = f"rules.{sha256_bytes(rules)[:12]}.json"
    (out / rules_name).write_bytes(rules)
    verify_job = {
        "packages": ["micropip"],
        "engine": f"/work/{engine_name}",
        "engine_path": ENGINE_MOUNT,
        "rules": f"/work/{rules_name}",
        "texts": list(VERIFY_TEXTS),
        "cuts": expected_cuts(),
        "also_import": list(STDLIB_ALSO_IMPORT),
        "record_regexes": True,
    }
    first = verify_under_pyodide(out, lock_name, rules, rules_name, verify_job, None)
    used, startup = first["stdlib_files"], first["startup_files"]
    # The start-up's regexes, as re's compiler made them under Pyodide, go into the archive (precompiled.py).
    (out / engine_name).unlink()
    engine_name, engine = engine_archive(jieba_files, fanzha_files, pyc, data_files, regexes=first["regexes"])
    (out / engine_name).write_bytes(engine)
    verify_job.update(engine=f"/work/{engine_name}", record_regexes=False, expect_precompiled=True)
    stdlib = None
    if "stdlib" in LEVERS:
        full = pyodide["python_stdlib.zip"]
        compiled = None
        if "stdlibpyc" in LEVERS:
            with zipfile.ZipFile(io.BytesIO(full)) as zf:
                # Only what start-up and a check import: bytecode is bigger than source (1.7 vs 0.9 MB
                # gzip for all), so modules only micropip or the CLI need stay source.
                stdlib_sources = {n: (zf.read(n), stdlib_path(n)) for n in startup if n.endswith(".py")}
            # Without docstrings: 0.2 MB less to download; nothing on the page reads a stdlib __doc__.
            compiled = compile_under_pyodide(node_pyodide, stdlib_sources, strip_docstrings=True)
        stdlib = out / "pyodide" / "python_stdlib.zip"
        stdlib.write_bytes(slim_stdlib(full, used, compiled))
        print(f"  trimmed python_stdlib.zip to {len(used)} of its files, {len(compiled or ())} compiled", flush=True)
    verify_under_pyodide(out, lock_name, rules, rules_name, verify_job, stdlib)  # exactly what ships

    start_files = ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", f"pyodide/{lock_name}")
    build_info = {
        "_note": GENERATED_NOTE,
        "pyodide": PYODIDE_VERSION,
        "lock": f"pyodide/{lock_name}",
        "engine": engine_name,
        "engine_sha256": sha256_bytes(engine),
        "engine_path": ENGINE_MOUNT,
        "rules": rules_name,
        "rules_sha256": sha256_bytes(rules),
        "fanzha": project_meta()["version"],
        "caches": CACHE_NAMES,  # the Cache Storage names the worker uses
        # What a first start downloads through the worker, as its bytes arrive (unzipped): the page shows
        # "3.1 / 7.8 MB" against it. The engine and rules are written below, so they are counted from memory.
        "start_bytes": sum((out / p).stat().st_size for p in start_files) + len(engine) + len(rules),
    }
    copy_web(out, build_info)
    (out / LABELS_MODULE).write_text(labels_module(GENERATED_NOTE), "utf-8")
    if "bundle" in LEVERS:  # the worker's modules as one file: no module fetches before it starts
        bundle_worker(out / "worker")
    ocr_tools = copy_ocr(out)
    (out / "build-info.json").write_text(json.dumps(build_info, indent=1, sort_keys=True) + "\n", "utf-8")
    write_service_worker(out, ocr_tools)
    write_manifest(out)
    shutil.rmtree(dest, ignore_errors=True)
    out.rename(dest)
    print(f"built {dest}/ in {time.monotonic() - started:.1f}s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve"])
    parser.add_argument("--if-stale", action="store_true", help="build only when a source is newer than dist/")
    parser.add_argument("--embed", action="store_true",
                        help="serve: let the parents in config.json's embed_allowed_origins frame the page")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--base", default="/", help="URL sub-path to serve under, e.g. /tools/fanzha/")
    parser.add_argument("--out", type=Path, default=DIST, help="build into this folder instead of dist/")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            if is_dist_stale():
                build()
            serve.serve(args.port, args.base, args.embed)
        elif args.if_stale and args.out.absolute() == DIST and not is_dist_stale():
            print("dist/ is up to date (sources unchanged since the last build)")
        else:
            build(args.out.absolute())
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    return 0

