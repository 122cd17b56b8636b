"""Where things are: the folders the build reads, dist/ it writes, .cache/ for the pinned downloads."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).absolute().parents[2]
PY = ROOT / "py"  # the engine's import root: the package's entry (__init__.py) puts it on sys.path
PKG_SRC = PY / "fanzha"
WEB = ROOT / "web"
RULES = ROOT / "rules"
BUILDER = Path(__file__).absolute().parent  # this package, with the programs it runs under Pyodide
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
# Sources whose change makes dist/ stale (for `serve` and `build --if-stale`).
SOURCES = (ROOT / "build.py", BUILDER, ROOT / "pyproject.toml", WEB, RULES, PKG_SRC)
