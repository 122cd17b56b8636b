"""build.py (tools/builder/) and its server, without a browser: what the page relies on from them."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from conftest import CACHE_NAMES, builder_module

ROOT = Path(__file__).absolute().parents[2]


def fetch(url: str) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_assets_have_their_mime_types_and_the_csp(site_url: str) -> None:
    info = json.loads(fetch(site_url + "build-info.json")[2])
    expected = {
        "": "text/html",
        "app.js": "text/javascript",
        "worker/worker.js": "text/javascript",
        "pyodide/pyodide.mjs": "text/javascript",
        "pyodide/pyodide.asm.wasm": "application/wasm",
        info["rules"]: "application/json",
    }
    for path, mime in expected.items():
        status, headers, _ = fetch(site_url + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith(mime), (path, headers["Content-Type"])
        assert "default-src 'self'" in headers["Content-Security-Policy"], path


def test_serve_embed_lets_the_configured_parents_frame_the_page(tmp_path: Path) -> None:
    """`build.py serve --embed` follows config.json's embed_allowed_origins, so an intranet page on another
    origin can embed the checker in development; without it only the page's own origin may."""
    import threading

    from conftest import load_build_module

    dev_server = load_build_module()
    (tmp_path / "index.html").write_text("<!doctype html>", "utf-8")
    (tmp_path / "config.json").write_text(json.dumps({"embed_allowed_origins": ["https://oa.example.gov.cn"]}))
    for parents, expected in ((dev_server.embed_parents(tmp_path), "frame-ancestors 'self' https://oa.example.gov.cn"),
                              ([], "frame-ancestors 'self'")):
        server = dev_server.make_server(tmp_path, port=0, quiet=True, frame_parents=parents)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            csp = fetch(f"http://127.0.0.1:{server.server_address[1]}/")[1]["Content-Security-Policy"]
        finally:
            server.shutdown()
            server.server_close()
        assert csp.endswith(expected), csp


def test_server_answers_only_under_its_base(site_url: str) -> None:
    origin, base = site_url.split("/tools/", 1)[0], "/tools/" + site_url.split("/tools/", 1)[1]
    assert fetch(origin + "/index.html")[0] == 404
    status, headers, _ = fetch(origin + base.rstrip("/"))
    assert (status, headers["Location"]) == (301, base)


def test_built_worker_has_the_build_info_and_manifest_lists_every_file(site_url: str) -> None:
    worker = fetch(site_url + "worker/worker.js")[2].decode()
    assert "__FANZHA_BUILD_INFO__" not in worker
    manifest = json.loads(fetch(site_url + "asset-manifest.json")[2])
    dist = ROOT / "dist"
    files = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {"asset-manifest.json"}


def test_the_cache_names_are_the_builds_alone(site_url: str) -> None:
    """sw.js and the worker get the Cache Storage names from the build (assemble.CACHE_NAMES), so no web/ source
    spells one: a renamed cache cannot leave a second name behind."""
    names = CACHE_NAMES.values()
    for path in (ROOT / "web").rglob("*.js"):
        source = path.read_text("utf-8")
        assert not [n for n in names if f'"{n}' in source], f"{path.relative_to(ROOT)} spells a cache name"
    build_info = json.loads(fetch(site_url + "build-info.json")[2])
    assert build_info["caches"] == CACHE_NAMES
    sw = fetch(site_url + "sw.js")[2].decode()
    assets = re.search(r"^const ASSETS = (\{.*?^\});$", sw, re.S | re.M)
    assert assets and json.loads(assets.group(1))["caches"] == CACHE_NAMES


def test_the_worker_ships_as_one_file_of_its_modules(site_url: str) -> None:
    """web/worker/ is split by job; dist/ has one worker script (no module fetches before it runs) that holds
    each module, and no import or export is left in it."""
    modules = sorted(p.name for p in (ROOT / "web" / "worker").glob("*.js"))
    assert len(modules) > 1 and sorted(p.name for p in (ROOT / "dist" / "worker").iterdir()) == ["worker.js"]
    worker = fetch(site_url + "worker/worker.js")[2].decode()
    assert sorted(re.findall(r"^// ---- (\S+)$", worker, re.M)) == modules
    assert not re.search(r"""^(?:import\b[^;\n]*["'];?|export\b)""", worker, re.M)


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"a.js": 'import { b } from "./b.js";\nb();\n', "b.js": "export const c = 1;\n"}, "does not declare it"),
        ({"a.js": 'import { b } from "./b.js";\nconst b2 = b;\n', "b.js": "export function b() {}\nconst b2 = 1;\n"},
         "declared at the top of both"),
        ({"a.js": 'import { b } from "./b.js";\n', "b.js": 'import { a } from "./a.js";\nexport const b = 1;\n'},
         "in a circle"),
        ({"a.js": 'import b from "./b.js";\n', "b.js": "export default 1;\n"}, "more than bundle.py joins"),
    ],
    ids=["unknown-name", "same-name", "circle", "default"],
)
def test_the_worker_bundler_refuses_what_it_cannot_join(tmp_path: Path, files: dict[str, str], words: str) -> None:
    bundle, errors = builder_module("bundle"), builder_module("errors")
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    with pytest.raises(errors.BuildError, match=words):
        bundle.bundle_modules(tmp_path, "a.js")


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """The parts build.py reads, copied, so a test can break them."""
    for name in ("build.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("py", "rules", "web", "tools"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_a_broken_rule_file_fails_the_build_with_its_name(source_copy: Path) -> None:
    (source_copy / "rules" / "zz_broken.toml").write_text('category = "loan"\n[[rule]\nid = \n', "utf-8")
    result = subprocess.run(
        [sys.executable, "build.py", "build"], cwd=source_copy, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "zz_broken.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (source_copy / "dist").exists()


def tree_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_builds_from_the_same_inputs_are_byte_identical(source_copy: Path) -> None:
    """A deployment can be verified by rebuilding: same sources and pins, same dist/, byte for byte."""
    cache = source_copy / ".cache"
    cache.mkdir()
    for path in (ROOT / ".cache").iterdir():  # the pinned downloads, not the shared build folder
        if path.suffix in {".tgz", ".whl", ".gz"} or (path.is_dir() and path.name.startswith("pyodide-")):
            (cache / path.name).symlink_to(path)
    builds = []
    for _ in range(2):
        subprocess.run(
            [sys.executable, "build.py", "build"], cwd=source_copy, check=True, capture_output=True, timeout=600
        )
        builds.append(tree_digests(source_copy / "dist"))
    assert builds[0] == builds[1]
    assert "sw.js" in builds[0] and "pyodide/python_stdlib.zip" in builds[0]


def test_a_first_visit_downloads_at_most_8_mb_gzipped(site_url: str) -> None:
    """Issue 6's budget: everything the page loads (the service worker's precache list), as gzip sends it."""
    manifest = json.loads(fetch(site_url + "asset-manifest.json")[2])["files"]
    sw = fetch(site_url + "sw.js")[2].decode()
    start = sw.index("const ASSETS = ") + len("const ASSETS = ")
    precached = json.loads(sw[start : sw.index(";\n", start)])["files"]
    assert "pyodide/pyodide.asm.wasm" in precached and "index.html" in precached
    total = sum(manifest[path]["gzip"] for path in precached)
    assert total <= 8_000_000, f"first visit is {total / 1e6:.2f} MB gzip"
