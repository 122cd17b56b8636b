"""Accessibility: axe-core finds no serious or critical problem in any mode, and the keyboard alone suffices."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tarfile

import pytest
from conftest import FAKE_LEADER_CHAT_FOR_MODES as CHAT
from conftest import ROOT, open_ready
from playwright.sync_api import Browser, Page, expect

# axe-core comes through npm's own client into .cache/, pinned and checked like build.py's downloads.
AXE_VERSION = "4.10.3"
AXE_TGZ_SHA256 = "0f2b4d7dcdf7d1219df8d1959ad68e565f51d14c3f0d88bb71cd59abeb956292"
CACHE = ROOT / ".cache"


@pytest.fixture(scope="module")
def axe_source() -> str:
    tgz = CACHE / f"axe-core-{AXE_VERSION}.tgz"
    if not tgz.exists():
        CACHE.mkdir(exist_ok=True)
        cmd = ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(CACHE)]
        subprocess.run(cmd, check=True, capture_output=True)
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    assert digest == AXE_TGZ_SHA256, f"{tgz.name}: sha256 {digest}, expected {AXE_TGZ_SHA256}"
    with tarfile.open(tgz) as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


def serious_violations(page: Page, axe_source: str) -> list[str]:
    # The page's CSP allows no inline script; evaluate() runs through DevTools, outside the CSP.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run(document)")
    assert results["passes"], "axe ran no checks"
    found = results["violations"]
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def show_result(page: Page) -> None:
    page.get_by_test_id("input").fill(CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")


@pytest.mark.parametrize("query", ["", "?mode=kiosk", "?mode=embed"])
def test_axe_finds_no_serious_problem(browser: Browser, site_url: str, axe_source: str, query: str) -> None:
    context = browser.new_context(viewport={"width": 1080, "height": 1920} if "kiosk" in query else None)
    page = open_ready(context, site_url + query)
    problems = {}
    show_result(page)
    page.get_by_test_id("finding").first.click()
    problems["result"] = serious_violations(page, axe_source)
    for view in ("guided", "learn"):
        page.get_by_test_id(f"tab-{view}").click()
        problems[view] = serious_violations(page, axe_source)
    if "kiosk" in query:
        page.evaluate("document.getElementById('board').hidden = false; document.body.classList.add('board-on')")
        page.locator("#board-title").evaluate("(e) => e.textContent = '小心“冒充领导、熟人”诈骗'")
        problems["board"] = serious_violations(page, axe_source)
    context.close()
    assert not any(problems.values()), problems


def focus_by_tab(page: Page, selector: str, limit: int = 40) -> None:
    """Presses Tab until the element matching selector has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_checks_a_chat_and_reaches_the_evidence(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    page = open_ready(context, site_url)
    page.keyboard.press("Tab")
    focus_by_tab(page, '[data-testid="input"]')
    page.keyboard.insert_text(CHAT)
    focus_by_tab(page, '[data-testid="check"]')
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(page.get_by_test_id("announce")).to_contain_text("很可能是诈骗")

    focus_by_tab(page, '[data-testid="show-evidence"]')
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.className")
    assert focused == "MARK emph", f"the evidence did not get the focus: {focused}"

    # The guided mode, by keyboard: tabs, arrow keys in a radio group, space on a checkbox, Enter to send.
    page.keyboard.press("Shift+Tab")
    focus_by_tab(page, '[data-testid="tab-guided"]', limit=80)
    page.keyboard.press("Enter")
    focus_by_tab(page, 'input[name="who"]')
    page.keyboard.press("ArrowDown")  # radio groups move with arrows: the second choice (a relative)
    page.keyboard.press("Space")
    focus_by_tab(page, 'input[name="purpose"]')
    for _ in range(6):
        page.keyboard.press("ArrowDown")  # to "borrow"
    focus_by_tab(page, 'input[value="hurry"]')
    page.keyboard.press("Space")
    focus_by_tab(page, '[data-testid="guided-submit"]')
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("input")).to_have_value(re.compile("借钱"))
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile("^(high|medium)$"))
    context.close()


def test_labels_are_chinese(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url)
    names = page.evaluate(
        """() => [...document.querySelectorAll('button, textarea, input')].map((e) => {
             const label = e.labels && e.labels[0] ? e.labels[0].textContent : e.getAttribute('aria-label');
             return (label || e.textContent).trim();
           })"""
    )
    context.close()
    assert names and all(re.search(r"[\u4e00-\u9fff]", n) for n in names), names
