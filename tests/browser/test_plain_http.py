"""The page on plain http from an intranet host name (not localhost): no secure context, so no
crypto.subtle and no service worker. It must still check, and still refuse files that are not the build's
(the worker then checks their sha256 with Python's hashlib)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from conftest import ENGINE_TIMEOUT_MS
from playwright.sync_api import Browser, BrowserContext, Playwright, Route, expect

SCAM = "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。"
HOST = "fanzha-intranet.test"  # resolved to 127.0.0.1 by the browser, so it is not "localhost"


@pytest.fixture(scope="module")
def intranet_browser(playwright: Playwright, browser_type_launch_args: dict) -> Iterator[Browser]:
    args = [*browser_type_launch_args["args"], f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]
    browser = playwright.chromium.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


@pytest.fixture
def intranet(intranet_browser: Browser, site_url: str) -> Iterator[tuple[BrowserContext, str]]:
    context = intranet_browser.new_context()
    parts = urlsplit(site_url)
    yield context, f"http://{HOST}:{parts.port}{parts.path}"
    context.close()


def test_plain_http_on_an_intranet_host_checks_without_secure_context_features(intranet) -> None:
    context, url = intranet
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(url)
    assert page.evaluate("[isSecureContext, 'serviceWorker' in navigator, Boolean(crypto.subtle)]") == [
        False, False, False,
    ]
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    page.get_by_test_id("input").fill(SCAM)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high", timeout=ENGINE_TIMEOUT_MS)


def test_plain_http_still_refuses_an_engine_that_is_not_the_builds(intranet) -> None:
    context, url = intranet

    def tampered(route: Route) -> None:
        response = route.fetch(url=route.request.url.replace(HOST, "127.0.0.1"))  # Playwright resolves apart
        route.fulfill(response=response, body=response.body() + b"\0")  # still a zip, not the build's bytes

    context.route("**/engine.*.zip", tampered)
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(url)
    page.get_by_test_id("input").fill(SCAM)
    expect(page.get_by_test_id("status")).to_contain_text("对不上", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("retry")).to_be_visible()
    expect(page.get_by_test_id("input")).to_have_value(SCAM)


def test_plain_http_reads_screenshots_and_checks_the_tools_without_crypto_subtle(intranet, intranet_browser) -> None:
    """No secure context: no crypto.subtle and no Cache Storage. The OCR worker checks each tool it downloads
    with its own SHA-256 (web/ocr/sha256.js) and reads the screenshot; a tool with one byte changed (same
    size, so only the hash can tell) is refused with the download message, and the box keeps its text."""
    from test_screenshots import assert_reads_as, files, read, shots_of

    context, url = intranet
    shots = shots_of(intranet_browser, "family_transfer", "wechat_light")
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    assert_reads_as(read(page, shots), "family_transfer")

    def one_byte_changed(route: Route) -> None:
        response = route.fetch(url=route.request.url.replace(HOST, "127.0.0.1"))
        body = bytearray(response.body())
        body[len(body) // 2] ^= 1
        route.fulfill(response=response, body=bytes(body))

    tampered = context.new_page()
    tampered.route("**/ocr/models/keys.txt", one_byte_changed)
    tampered.goto(url)
    expect(tampered.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    tampered.get_by_test_id("input").fill(SCAM)
    tampered.get_by_test_id("image").set_input_files(files(shots))
    expect(tampered.get_by_test_id("image-status")).to_contain_text("没能下载", timeout=ENGINE_TIMEOUT_MS)
    expect(tampered.get_by_test_id("input")).to_have_value(SCAM)
