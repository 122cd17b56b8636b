"""Warm start (issue 6): a returning visit restores the Python heap kept at the end of the first visit's
start-up (before any user text reached Python) instead of booting Python again; a snapshot that cannot be
restored is dropped, and the page starts afresh."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import CACHE_NAMES, ENGINE_TIMEOUT_MS, poll
from playwright.sync_api import Browser, BrowserContext, Page, expect

SCAM = "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。"
SNAPSHOT = json.dumps(CACHE_NAMES["snapshot"])  # the worker's Cache Storage name, as a JS string
SNAPSHOT_KEPT = f"""async () => {{
  const cache = await caches.open({SNAPSHOT});
  const keys = await cache.keys();
  if (keys.length !== 1) return null;
  return [keys[0].url, (await (await cache.match(keys[0])).arrayBuffer()).byteLength];
}}"""


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


def visit(context: BrowserContext, url: str) -> tuple[Page, dict, dict]:
    """Opens the page, checks SCAM; returns the page, the worker's start-up timings and the report shown."""
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    timings: list[dict] = []
    page.on("console", lambda m: m.text.startswith("fanzha engine ready") and timings.append(m.args[1].json_value()))
    page.goto(url)
    page.get_by_test_id("input").fill(SCAM)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high", timeout=ENGINE_TIMEOUT_MS)
    marks = page.locator("mark")
    shown = {
        "rules": page.locator('[data-testid="finding"]').evaluate_all("(els) => els.map((e) => e.dataset.rule)"),
        # textContent, not innerText: the marked text sits in a content-visibility: auto block, which Chromium
        # leaves unrendered (innerText '') until it nears the screen; whether it is near depends on timing.
        "highlights": marks.all_text_contents(),
    }
    # What a user sees once they scroll to it: the marks render with their text.
    marks.first.scroll_into_view_if_needed()
    expect(marks.first).to_have_text(shown["highlights"][0])
    assert marks.first.inner_text() == shown["highlights"][0]
    return page, timings[0], shown


def wait_for_snapshot(page: Page) -> list:
    return poll(page, SNAPSHOT_KEPT, what="a kept Python snapshot")


def test_a_returning_visit_restores_python_and_checks_the_same(context: BrowserContext, site_url: str) -> None:
    first, first_timings, first_shown = visit(context, site_url)
    assert first_timings["snapshot"] == "made"
    url, size = wait_for_snapshot(first)
    assert url.startswith(site_url) and size > 1_000_000
    first.close()

    second, second_timings, second_shown = visit(context, site_url)
    assert second_timings["snapshot"] == "restored"
    assert "import" not in second_timings and "rules" not in second_timings, "nothing left to import or load"
    assert second_shown == first_shown
    second.close()


def test_a_snapshot_that_cannot_be_restored_is_dropped(context: BrowserContext, site_url: str) -> None:
    first, _, _ = visit(context, site_url)
    url, _ = wait_for_snapshot(first)
    first.evaluate(
        f"async (url) => (await caches.open({SNAPSHOT})).put(url, new Response(new Uint8Array(4096)))",
        url,
    )
    first.close()

    second, timings, shown = visit(context, site_url)
    assert timings["snapshot"] == "made", "started afresh, and kept a new snapshot"
    assert shown["rules"]
    assert wait_for_snapshot(second)[1] > 1_000_000, "the broken one was replaced"
    second.close()
