"""The shipped Pyodide runtime and lock file, checked directly (not through the page's worker)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

DIST = Path(__file__).absolute().parents[2] / "dist"

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
