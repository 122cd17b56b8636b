"""Nothing the user types leaves the device; the page fetches only its own files under its own path."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Page, Request, expect

SECRET_CHAT = "对方：我是财务处赵主任，把验证码318594发给我，再转两万到安全账户，别告诉别人"
# Distinctive pieces that must not appear in any URL or request body, raw or percent-encoded.
SECRETS = ["318594", "赵主任", "安全账户", SECRET_CHAT]


def leaks(request: Request) -> list[str]:
    body = request.post_data_buffer or b""
    found = []
    for secret in SECRETS:
        forms = {secret, quote(secret), quote(secret, safe="")}
        if any(form in request.url for form in forms) or secret.encode() in body:
            found.append(secret)
    return found


def test_requests_stay_on_own_path_and_carry_no_user_text(page: Page, site_url: str) -> None:
    seen: list[Request] = []

    def record(request: Request) -> None:
        seen.append(request)

    # A request the CSP blocks never shows up as a request; Chromium logs the refusal instead.
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", record)
    page.context.on("request", record)  # the worker's fetches show up on the context

    page.goto(site_url)
    page.get_by_test_id("input").fill(SECRET_CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile("."))
    page.get_by_test_id("input").press_sequentially("。", delay=10)  # one more check, by typing
    page.wait_for_timeout(1000)

    urls = sorted({r.url for r in seen})
    assert any(u.endswith(".wasm") for u in urls), f"the worker's requests were not recorded: {urls}"
    outside = [u for u in urls if not u.startswith(site_url)]
    assert not outside, f"requests outside {site_url}: {outside}"
    leaked = {r.url: leaks(r) for r in seen if leaks(r)}
    assert not leaked, f"user text left the page: {leaked}"
    assert not refusals, f"the page tried something its CSP refused: {refusals}"
    assert all(r.method == "GET" for r in seen), [(r.method, r.url) for r in seen if r.method != "GET"]
