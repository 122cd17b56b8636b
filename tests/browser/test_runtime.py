"""The shipped Pyodide runtime and lock file, checked directly (not through the page's worker)."""

from __future__ import annotations

import ast
import json
import tarfile
import warnings
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).absolute().parents[2]
DIST = ROOT / "dist"

# Loads the shipped runtime on the page's main thread, then every package in our lock file by name.
# loadPackage only logs a failed integrity check, so errors are collected and the imports are tried.
LOAD_ALL = """async ([lockUrl, names]) => {
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: new URL("pyodide/", location.href).href, lockFileURL: lockUrl });
  const errors = [];
  await py.loadPackage(names, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  const versions = names.map((n) => py.runPython(`import importlib.metadata as m; m.version("${n}")`));
  return { errors, versions, python: py.runPython("import sys; sys.version.split()[0]") };
}"""


def test_every_package_in_the_lock_file_loads_with_integrity_checks(page: Page, site_url: str) -> None:
    info = json.loads((DIST / "build-info.json").read_text("utf-8"))
    lock = json.loads((DIST / info["lock"]).read_text("utf-8"))
    names = sorted(lock["packages"])
    assert "micropip" in names, "micropip must stay shipped: it is the designed installer"

    page.goto(site_url)
    result = page.evaluate(LOAD_ALL, [site_url + info["lock"], names])

    assert result["errors"] == []
    assert result["versions"] == [lock["packages"][n]["version"] for n in names]
    assert result["python"] == lock["info"]["python"]


def engine_imports() -> list[str]:
    """Every module the shipped py/fanzha imports anywhere (the build's DEV_ONLY never ships), and those
    jieba's modules import at their top level."""
    from tools.builder.engine import DEV_ONLY

    names: set[str] = set()
    package = ROOT / "py" / "fanzha"
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] in DEV_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    sdist = next((ROOT / ".cache").glob("jieba-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            kept = ("/jieba/__init__.py", "/jieba/_compat.py", "/jieba/finalseg/__init__.py")
            if member.name.endswith(kept):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)  # jieba's non-raw regex literals
                    tree = ast.parse(tar.extractfile(member).read())
                for node in tree.body:  # top level only: paddle, multiprocessing etc. are optional
                    if isinstance(node, ast.Import):
                        names.update(alias.name for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] not in {"fanzha", "jieba", "__future__"})


# Under the shipped (trimmed, precompiled) standard library: import each module, then check every
# example of every rule. A module the trim left out fails here, not on a user's phone.
IMPORT_AND_CHECK = """async ([lockUrl, modules, texts, info]) => {
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: new URL("pyodide/", location.href).href, lockFileURL: lockUrl });
  const engine = await (await fetch(new URL(info.engine, location.href))).arrayBuffer();
  py.FS.writeFile(info.engine_path, new Uint8Array(engine));
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(info.engine_path)})`);
  const missing = [];
  for (const name of modules) {
    try { py.pyimport(name); } catch (err) { missing.push(name + ": " + String(err.message).split("\\n").at(-2)); }
  }
  const fanzha = py.pyimport("fanzha");
  const prebuilt = fanzha.speedups.INSTALLED.prefix_dict;
  const rules = await (await fetch(new URL(info.rules, location.href))).text();
  fanzha.load_rules(rules);
  const verdicts = texts.map((t) => JSON.parse(fanzha.check_json(t)).verdict);
  return { missing, verdicts, prebuilt };
}"""


def test_trimmed_stdlib_has_every_module_the_engine_imports(page: Page, site_url: str) -> None:
    info = json.loads((DIST / "build-info.json").read_text("utf-8"))
    bundle = json.loads((DIST / info["rules"]).read_text("utf-8"))
    texts = [t for rule in bundle["rules"] for key in ("match", "no_match") for t in rule["examples"][key]]
    modules = engine_imports()
    assert {"re", "json", "unicodedata", "struct", "hashlib"} <= set(modules)
    assert "tomllib" not in modules, "the rule files' compiler (rulefiles, DEV_ONLY) never ships"

    page.goto(site_url)
    result = page.evaluate(IMPORT_AND_CHECK, [site_url + info["lock"], modules, texts, info])

    assert result["missing"] == []
    assert result["prebuilt"], "the engine archive's prebuilt jieba dictionary was not found"
    assert len(result["verdicts"]) == len(texts) > 50
    assert {"high", "none"} <= set(result["verdicts"])
