"""Offline use (issue 5): after one visit the service worker serves the page and its runtime."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BASE, CACHE_NAMES, ENGINE_TIMEOUT_MS, load_build_module, poll
from playwright.sync_api import Browser, BrowserContext, Page, expect

DIST = Path(__file__).absolute().parents[2] / "dist"
SCAM = "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。"

# True once a service worker controls the page and its cache holds every file build.py listed for it.
OFFLINE_READY = f"""async (expected) => {{
  if (!navigator.serviceWorker.controller) return false;
  const names = (await caches.keys()).filter((n) => n.startsWith({json.dumps(CACHE_NAMES["prefix"])}));
  if (names.length !== 1) return false;
  return (await (await caches.open(names[0])).keys()).length === expected;
}}"""
CACHED_URLS = """async () => {
  const out = [];
  for (const name of await caches.keys())
    for (const request of await (await caches.open(name)).keys()) out.push([name, request.url]);
  return out;
}"""


def precached(site: str) -> dict[str, str]:
    """The precache list build.py wrote into the site's sw.js."""
    with urllib.request.urlopen(site + "sw.js") as response:
        source = response.read().decode()
    start = source.index("const ASSETS = ") + len("const ASSETS = ")
    return json.loads(source[start : source.index(";\n", start)])["files"]


SENT: list[tuple[str, int]] = []  # (path, status) of every answer of the offline site's server
FIRST_VISIT: list[tuple[str, int]] = []  # the same, for the first visit (offline_context)


def serve_copy(root: Path, log: list[tuple[str, int]] | None = None) -> tuple[str, object]:
    """A copy of dist/ on its own server and origin: a rebuild of the shared dist/ by a concurrent test
    run cannot change it under the test, and a test may deploy a new version to it."""
    shutil.copytree(DIST, root)
    server = load_build_module().make_server(root, port=0, base=BASE, quiet=True)
    if log is not None:
        handler = server.RequestHandlerClass

        class Logged(handler):
            def send_response(self, code: int, message: str | None = None) -> None:
                log.append((self.path.split("?")[0], code))
                super().send_response(code, message)

        server.RequestHandlerClass = Logged
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{BASE}", server


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory, site_url: str) -> Iterator[str]:
    url, server = serve_copy(tmp_path_factory.mktemp("offline") / "dist", SENT)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def offline_context(browser: Browser, offline_site: str) -> Iterator[BrowserContext]:
    """A profile that visited once, checked a text, and has everything cached for offline use."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(offline_site)
    check(page, SCAM)
    wait_until_offline_ready(page, offline_site)
    page.close()
    FIRST_VISIT[:] = SENT
    yield context
    context.close()


def wait_until_offline_ready(page: Page, site: str) -> None:
    poll(page, OFFLINE_READY, len(precached(site)), "the service worker to take over and cache the site")


def check(page: Page, text: str, verdict: str = "high") -> None:
    page.get_by_test_id("input").fill(text)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", verdict, timeout=ENGINE_TIMEOUT_MS)


def test_a_first_visit_downloads_each_file_once(offline_context: BrowserContext) -> None:
    """The service worker's precache copies what the page's worker downloaded (and staged) instead of
    downloading 15 MB a second time on a phone's data plan."""
    # sw.js itself is the browser's to fetch (registration, update check), past any cache.
    downloads = [path for path, status in FIRST_VISIT if status == 200 and not path.endswith("/sw.js")]
    assert any(path.endswith("pyodide.asm.wasm") for path in downloads)
    assert sorted(p for p in set(downloads) if downloads.count(p) > 1) == []


def test_page_reloads_and_checks_offline_after_one_visit(offline_context: BrowserContext, offline_site: str) -> None:
    page = offline_context.new_page()
    page.goto(offline_site)
    # The second visit: the page is the service worker's and the engine has started before the network goes.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    offline_context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
        check(page, SCAM)
    finally:
        offline_context.set_offline(False)
        page.close()


def test_offline_page_keeps_its_query_and_its_worker_paths(offline_context: BrowserContext, offline_site: str) -> None:
    """A cached page served for ?mode=kiosk must still be the kiosk page, and its worker must load."""
    page = offline_context.new_page()
    offline_context.set_offline(True)
    try:
        page.goto(offline_site + "?mode=kiosk&idle=600")
        assert page.evaluate("location.search") == "?mode=kiosk&idle=600"
        assert page.evaluate("document.documentElement.dataset.mode") == "kiosk"
        expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
        check(page, SCAM)
    finally:
        offline_context.set_offline(False)
        page.close()


def test_service_worker_caches_only_our_static_files(offline_context: BrowserContext, offline_site: str) -> None:
    page = offline_context.new_page()
    page.goto(offline_site)
    check(page, "明天上午开会，有事打我电话 13800138000", verdict="none")
    cached = page.evaluate(CACHED_URLS)
    page.close()
    # Besides the service worker's cache, the worker keeps one Python snapshot (test_warm_start.py).
    snapshots = [url for name, url in cached if name == CACHE_NAMES["snapshot"]]
    assert len(snapshots) <= 1 and all("/python-snapshot." in url for url in snapshots), snapshots
    cached = [(name, url) for name, url in cached if name != CACHE_NAMES["snapshot"]]
    allowed = {offline_site + ("" if path == "index.html" else path) for path in precached(offline_site)}
    assert cached, "nothing cached"
    assert {url for _, url in cached} <= allowed
    assert not any("13800138000" in url or "?" in url for _, url in cached)


@pytest.fixture
def own_site(tmp_path: Path, site_url: str) -> Iterator[tuple[str, Path]]:
    url, server = serve_copy(tmp_path / "dist")
    yield url, tmp_path / "dist"
    server.shutdown()
    server.server_close()


def test_a_waiting_new_version_is_offered_and_reload_takes_it(browser: Browser, own_site: tuple[str, Path]) -> None:
    url, root = own_site
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    check(page, SCAM)
    wait_until_offline_ready(page, url)

    sw = root / "sw.js"  # a new deployment: sw.js differs byte-wise
    sw.write_text(sw.read_text("utf-8") + "\n// next version\n", "utf-8")
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    update = page.get_by_test_id("update")
    expect(update).to_have_text("有新版本，点此更新", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("input")).to_have_value(SCAM)
    with page.expect_navigation():
        update.click()
    expect(page.get_by_test_id("update")).to_have_count(0)
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    assert page.evaluate("async () => !(await navigator.serviceWorker.getRegistration()).waiting")
    context.close()
