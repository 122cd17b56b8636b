"""When parts of the page fail (issue 7): a file that cannot be downloaded, a stalled download, a rules
bundle that is not the build's, a worker that crashes or hangs in the middle of a check. Each ends in a
clear Chinese message or a recovery, and the user's text is never lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ENGINE_TIMEOUT_MS
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

SCAM = "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。"

# Drives engine-client.js directly, on a page of our origin without the app, so a test can give it
# short time limits and read every state it reports. Returns the states and the check's outcome.
DRIVE_CLIENT = """async ([options, text, hang]) => {
  const { createEngine } = await import("./engine-client.js");
  const states = [];
  let readyOnce;
  const firstReady = new Promise((resolve) => (readyOnce = resolve));
  const engine = createEngine((s) => {
    states.push(s);
    if (s.state === "ready") readyOnce();
    if (s.state === "failed") readyOnce();
  }, options);
  window.__engine = engine;
  await firstReady;
  if (!text) return { states };
  if (hang) await hang();
  try {
    const report = await engine.check(text);
    return { states, verdict: report && report.verdict };
  } catch (err) {
    return { states, error: err.userMessage, reason: err.reason };
  }
}"""


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: no service worker, no cached runtime from another test."""
    context = browser.new_context(service_workers="block")
    yield context
    context.close()


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(url)
    return page


def test_a_blocked_download_says_so_keeps_the_text_and_retry_works(context: BrowserContext, site_url: str) -> None:
    blocked = {"on": True}

    def wasm(route: Route) -> None:
        if blocked["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route("**/pyodide/pyodide.asm.wasm", wasm)
    page = open_page(context, site_url)
    expect_failed_keeping_text(page, "重试")

    blocked["on"] = False
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("input")).to_have_value(SCAM)


def expect_failed_keeping_text(page: Page, says: str) -> None:
    """Type the scam, then see the failure explained (``says``), a retry offered and the text kept."""
    page.get_by_test_id("input").fill(SCAM)
    expect(page.get_by_test_id("status")).to_contain_text(says, timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("retry")).to_be_visible()
    expect(page.get_by_test_id("input")).to_have_value(SCAM)


def tampered(route: Route) -> None:
    """The real rules bundle with one byte more: still valid JSON, but not the build's bytes."""
    response = route.fetch()
    route.fulfill(response=response, body=response.body() + b" ")


def test_a_rules_bundle_that_is_not_the_builds_is_refused(context: BrowserContext, site_url: str) -> None:
    context.route("**/rules.*.json", tampered)
    page = open_page(context, site_url + "build-info.json")
    result = page.evaluate(DRIVE_CLIENT, [{}, None, None])
    last = result["states"][-1]
    assert last["state"] == "failed" and last["reason"] == "integrity", last
    assert "规则文件" in last["message"] and "重试" in last["message"]


def test_a_stalled_download_is_reported_not_waited_for_forever(context: BrowserContext, site_url: str) -> None:
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: None)  # never answered
    page = open_page(context, site_url + "build-info.json")
    result = page.evaluate(DRIVE_CLIENT, [{"stallMs": 3000}, None, None])
    last = result["states"][-1]
    assert last["state"] == "failed" and last["reason"] == "stalled", last
    assert "停住" in last["message"] and "重试" in last["message"]


def test_a_check_over_its_budget_restarts_the_worker_and_is_answered(context: BrowserContext, site_url: str) -> None:
    page = open_page(context, site_url + "build-info.json")
    page.evaluate(DRIVE_CLIENT, [{"checkBudgetMs": 2000}, None, None])
    # Make the running worker hang on its next message, as a runaway check would.
    page.workers[0].evaluate("() => { self.onmessage = () => { for (;;) {} }; }")
    result = page.evaluate("(text) => window.__engine.check(text).then((r) => r && r.verdict)", SCAM)
    assert result == "high"


def test_a_worker_crash_in_the_middle_of_a_check_is_recovered(context: BrowserContext, site_url: str) -> None:
    page = open_page(context, site_url)
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    (worker,) = page.workers
    worker.evaluate("() => { self.onmessage = () => { throw new Error('test: the worker crashed'); }; }")
    page.get_by_test_id("input").fill(SCAM)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high", timeout=ENGINE_TIMEOUT_MS)
    expect(page.get_by_test_id("input")).to_have_value(SCAM)
    assert len(page.workers) == 1, "the crashed worker must be gone"


def test_the_page_says_why_the_engine_failed(context: BrowserContext, site_url: str) -> None:
    """The status line shows the engine client's own message, not a general one."""
    context.route("**/rules.*.json", tampered)
    page = open_page(context, site_url)
    expect_failed_keeping_text(page, "规则文件")


def test_the_engine_started_before_the_app_loaded_is_taken_over(context: BrowserContext, site_url: str) -> None:
    """engine-start.js starts the worker before app.js arrives; everything the worker said meanwhile
    (progress, ready) reaches the app once it loads, and checks work as usual."""
    held: list[Route] = []
    context.route("**/app.js", lambda route: held.append(route))  # held back until the worker is ready
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(site_url, wait_until="commit")
    worker = page.wait_for_event("worker")
    # fanzhaBench (the benchmark's hook) resolves once the worker's start-up is over.
    assert worker.evaluate("() => self.fanzhaBench('你好', 1).then(() => true)")
    assert len(held) == 1, "app.js was requested and is still held"
    held[0].continue_()
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    page.get_by_test_id("input").fill(SCAM)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high", timeout=ENGINE_TIMEOUT_MS)
    assert len(page.workers) == 1, "one Python per page: the app took over the worker engine-start.js started"
