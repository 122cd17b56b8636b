"""Browser fixtures: build dist/ once, serve it under a sub-path, drive Chromium at it."""

from __future__ import annotations

import http.server
import importlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

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
# Our own test chat (a fake "leader" on a new account), for tests that need one clear warning.
FAKE_LEADER_CHAT_FOR_MODES = (
    "对方：小李，我是刘处长，这是我的新微信号，原来那个号不用了。\n"
    "对方：合作单位要一笔保证金，你先帮我转8万到这个账户，账号6222021001234567890，户名张建国。\n"
    "对方：钱我已经转给你了，这是转账截图。银行有延迟，你先转过去，越快越好。"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the tests here that drive Chromium; the ones on build.py and its server need no browser."""
    here = Path(__file__).parent
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if here in Path(item.fspath).parents and uses & {"page", "ready_page", "loaded_page", "browser", "context"}:
            item.add_marker(pytest.mark.browser)


def builder_module(name: str) -> ModuleType:
    """A module of build.py's package, tools/builder/."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"tools.builder.{name}")


def load_build_module() -> ModuleType:
    """build.py's development server, tools/builder/serve.py: make_server, is_dist_stale, DIST."""
    return builder_module("serve")


# The Cache Storage names ({prefix, staging, snapshot}), as the build defines them for sw.js and the worker.
CACHE_NAMES: dict[str, str] = builder_module("assemble").CACHE_NAMES


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """Builds dist/ if stale (as a subprocess, like a user would) and serves it under BASE."""
    dev_server = load_build_module()
    if dev_server.is_dist_stale():
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=ROOT, check=True)
    server = dev_server.make_server(dev_server.DIST, port=0, base=BASE, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}{BASE}"
    server.shutdown()
    server.server_close()


def chromium_path(playwright_chromium_path: str) -> Path:
    """Debian's chromium first: it is the browser CI and a new machine have. A browser Playwright cached on a
    long-lived machine is used only where there is no system one, so a green run here means green in CI."""
    if SYSTEM_CHROMIUM.exists():
        return SYSTEM_CHROMIUM
    if os.environ.get("CI") != "true" and Path(playwright_chromium_path).exists():
        return Path(playwright_chromium_path)
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
    yield open_ready(context, site_url)
    context.close()


@pytest.fixture
def ready_page(loaded_page: Page) -> Page:
    """The module's ready page with the text box emptied, so no verdict is left from the test before."""
    expect.set_options(timeout=ENGINE_TIMEOUT_MS)
    loaded_page.get_by_test_id("tab-check").click()  # a test before may have left another view open
    loaded_page.get_by_test_id("clear").click()
    expect(loaded_page.get_by_test_id("verdict")).to_be_hidden()
    return loaded_page


def poll(page: Page, script: str, arg: object = None, what: str = "the page's condition") -> object:
    """Evaluates script (maybe async: evaluate awaits it) every 250 ms until truthy; returns that value.
    wait_for_function would take an async script's Promise itself as true."""
    deadline = time.monotonic() + ENGINE_TIMEOUT_MS / 1000
    while not (value := page.evaluate(script, arg)):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(250)
    return value


def open_ready(context: BrowserContext, url: str) -> Page:
    """A new page in context at url, once its engine is ready."""
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session")
def other_origin() -> Iterator[tuple[str, dict[str, str]]]:
    """A second server on another port (another origin), for embedding parents.

    Yields its origin and a dict path -> HTML that tests fill before loading a page from it.
    """
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode())

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


EMBED_PARENT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>parent</title>
<iframe id="fanzha" title="checker" src="{src}" style="width:600px;height:500px"></iframe>
<iframe id="spy" title="spy" src="{spy}" style="width:10px;height:10px"></iframe>
<script>
  // Records what the checker's frame posts to this window, with the origin it came from.
  window.got = [];
  addEventListener("message", (e) => {{
    if (e.source === document.getElementById("fanzha").contentWindow) got.push({{origin: e.origin, data: e.data}});
  }});
  window.send = (msg) => document.getElementById("fanzha").contentWindow.postMessage(msg, "*");
</script></html>"""

EMBED_SPY = """<!doctype html><html lang="en"><meta charset="utf-8"><title>spy</title><script>
  // A sibling frame of another origin: it records everything it receives, and can ask for itself.
  window.got = [];
  addEventListener("message", (e) => got.push(e.data));
  window.ask = (text, id) => parent.frames[0].postMessage({type: "fanzha:check", text, id}, "*");
</script></html>"""


def embedding_parent(
    context: BrowserContext, site_url: str, other_origin: tuple[str, dict[str, str]], allowed: list[str] | None = None
) -> Page:
    """A parent page on another origin that frames the checker (?mode=embed) next to a spy frame.

    The dev server sends frame-ancestors 'self'; a deployment that embeds lists its parents there, so the
    checker's document is served here with the parent's origin added. allowed: the config's
    embed_allowed_origins. Service workers are left out: they would answer before these routes.
    """
    origin, pages = other_origin
    spy_origin = origin.replace("127.0.0.1", "localhost")  # same server, another origin
    pages["/spy.html"] = EMBED_SPY
    pages["/parent.html"] = EMBED_PARENT.format(src=site_url + "?mode=embed", spy=spy_origin + "/spy.html")

    def allow_parent(route: Route) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        csp = headers.get("content-security-policy", "")
        headers["content-security-policy"] = csp.replace("frame-ancestors 'self'", f"frame-ancestors 'self' {origin}")
        route.fulfill(response=response, headers=headers)

    context.route(lambda url: url.startswith(site_url) and "mode=embed" in url, allow_parent)
    if allowed is not None:
        body = json.dumps({"embed_allowed_origins": allowed})
        context.route(site_url + "config.json", lambda route: route.fulfill(body=body, content_type="application/json"))
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(origin + "/parent.html")
    expect(page.frame_locator("#fanzha").get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    return page
