"""Modes by URL: the phone page (default), ?mode=kiosk and ?mode=embed, each made for its users
(the kiosk's layout, countdown and QR code, and ?mode=poster, are in test_lobby.py)."""

from __future__ import annotations

import re

from conftest import FAKE_LEADER_CHAT_FOR_MODES as CHAT
from conftest import embedding_parent, open_ready
from playwright.sync_api import Browser, Page, expect

TAPPABLE = "button:visible, .choice label:visible, textarea:visible"


def too_small_targets(page: Page) -> list[str]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .filter((e) => e.offsetParent !== null)
            .map((e) => [e.textContent.trim().slice(0, 12) || e.tagName, e.getBoundingClientRect()])
            .filter(([, r]) => r.height < 44 || r.width < 44)
            .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        TAPPABLE.replace(":visible", ""),
    )


def has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_phone_360_px_has_no_sideways_scroll_and_big_enough_targets(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = open_ready(context, site_url)
    page.get_by_test_id("input").fill(CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    for view in ("check", "guided", "learn"):
        page.get_by_test_id(f"tab-{view}").click()
        assert not has_horizontal_scroll(page), f"{view}: the page scrolls sideways at 360 px"
        assert too_small_targets(page) == [], f"{view}: tap targets under 44 px"
    context.close()


def test_kiosk_wipes_everything_when_idle_and_shows_the_fraud_types(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True)
    page = open_ready(context, site_url + "?mode=kiosk&idle=3")
    board = page.get_by_test_id("board")
    expect(board).to_be_visible(timeout=8000)  # nobody touched it while Python loaded
    page.mouse.click(540, 960)  # a visitor walks up
    expect(board).to_be_hidden()
    # The kiosk starts on the guided questions; typing or pasting is one touch away (the box, or its tab).
    expect(page.locator("#view-guided")).to_be_visible()
    expect(page.locator("#guided-title")).to_be_focused()  # not the box: that would open the on-screen keyboard
    box = page.get_by_test_id("input")
    expect(box).to_be_visible()
    page.get_by_test_id("tab-check").click()
    expect(page.locator("#view-guided")).to_be_hidden()
    assert float(box.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")) >= 24
    clear = page.get_by_test_id("clear").bounding_box()
    assert clear and clear["height"] >= 60 and clear["width"] >= 200, f"the clear button is not big: {clear}"

    box.fill(CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(board).to_be_visible(timeout=8000)  # 3 s without a touch
    expect(box).to_have_value("")
    expect(page.get_by_test_id("result")).to_be_hidden()
    assert CHAT[5:15] not in (page.text_content("body") or ""), "the last visitor's text is still in the page"
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    first = page.locator("#board-title").text_content()
    expect(page.locator("#board-title")).not_to_have_text(first or "", timeout=12_000)  # it cycles
    page.mouse.click(540, 960)
    expect(board).to_be_hidden()
    expect(page.get_by_test_id("tab-guided")).to_have_attribute("aria-pressed", "true")  # back at the start
    expect(page.locator("#guided-title")).to_be_focused()
    context.close()


def test_embed_answers_its_parent_and_reports_its_height(
    browser: Browser, site_url: str, other_origin: tuple[str, dict[str, str]]
) -> None:
    context = browser.new_context(service_workers="block")
    page = embedding_parent(context, site_url, other_origin)
    page.wait_for_function("got.some((m) => m.data && m.data.type === 'fanzha:height' && m.data.px > 100)")
    heights = page.evaluate("got.filter((m) => m.data.type === 'fanzha:height').length")

    page.evaluate("(text) => send({type: 'fanzha:check', text, id: 7, show: true})", CHAT)
    page.wait_for_function("got.some((m) => m.data && m.data.type === 'fanzha:result' && m.data.id === 7)")
    reply = page.evaluate("got.find((m) => m.data.type === 'fanzha:result').data")
    assert reply["report"]["verdict"] == "high"
    assert reply["report"]["findings"], reply
    frame = page.frame_locator("#fanzha")
    expect(frame.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")  # show: true
    # Showing a result makes the page taller: the parent hears the new height.
    page.wait_for_function("(n) => got.filter((m) => m.data.type === 'fanzha:height').length > n", arg=heights)
    assert re.fullmatch(r"\d+", str(page.evaluate("got.at(-1).data.px")))
    context.close()
