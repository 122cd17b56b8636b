"""Browser fixtures: build dist/ once, serve it under a sub-path, drive Chromium at it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Page, expect

ROOT = Path(__file__).absolute().parents[2]
BASE = "/tools/fanzha/"  # serve under a sub-path: every URL the page uses must be relative
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# Pyodide plus jieba's dictionary take ~10 s on a slow 2-core machine; leave room for a loaded CI box.
ENGINE_TIMEOUT_MS = 90_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the tests here that drive Chromium; the ones on build.py and its server need no browser."""
    here = Path(__file__).parent
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if here in Path(item.fspath).parents and uses & {"page", "ready_page"}:
            item.add_marker(pytest.mark.browser)


def load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fanzha_build", ROOT / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """Builds dist/ if stale (as a subprocess, like a user would) and serves it under BASE."""
    build = load_build_module()
    if build.is_dist_stale():
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=ROOT, check=True)
    server = build.make_server(build.DIST, port=0, base=BASE, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}{BASE}"
    server.shutdown()
    server.server_close()


def chromium_path(playwright_chromium_path: str) -> Path:
    if Path(playwright_chromium_path).exists():
        return Path(playwright_chromium_path)
    if SYSTEM_CHROMIUM.exists():
        return SYSTEM_CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("no Chromium found: browser tests must run in CI (install the chromium package)")
    pytest.skip("no Chromium found (install the chromium package)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, playwright) -> dict:
    # `playwright install` cannot download here; fall back to Debian's chromium. --browser-channel won't do.
    path = chromium_path(playwright.chromium.executable_path)
    return {**browser_type_launch_args, "executable_path": str(path), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def engine_timeout(request: pytest.FixtureRequest) -> None:
    """Every wait in the page tests may include the engine's start-up."""
    if "page" not in request.fixturenames:
        return
    page: Page = request.getfixturevalue("page")
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.set_default_navigation_timeout(ENGINE_TIMEOUT_MS)
    expect.set_options(timeout=ENGINE_TIMEOUT_MS)  # expect() keeps its own 5 s default otherwise


@pytest.fixture(scope="module")
def loaded_page(browser: Browser, site_url: str) -> Iterator[Page]:
    """One page per test module whose engine has started: loading Pyodide costs ~10 s a time."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(site_url)
    expect(page.get_by_test_id("status")).to_have_text("已就绪", timeout=ENGINE_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def ready_page(loaded_page: Page) -> Page:
    """The module's ready page with the text box emptied, so no verdict is left from the test before."""
    expect.set_options(timeout=ENGINE_TIMEOUT_MS)
    loaded_page.get_by_test_id("clear").click()
    expect(loaded_page.get_by_test_id("verdict")).to_be_hidden()
    return loaded_page
