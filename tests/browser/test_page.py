"""The page end to end: paste or type a chat, see the verdict and findings the engine reports."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from test_result import merged_cards

import fanzha

# Our own test chats (not from the eval set). The emoji before the evidence makes code-point offsets
# (Python) and UTF-16 indices (JS) differ, so the page must convert them.
FAKE_LEADER_CHAT = """\
（新添加的微信好友）
对方：小李，我是刘处长，这是我的新微信号，原来那个号不用了。
对方：我在开会不方便接电话🙏，有件急事你帮我办一下。
对方：合作单位要一笔保证金，你先帮我转8万到这个账户，户名张建国，账号6222021001234567890。
对方：钱我已经转给你了，这是转账截图，你查收一下。
我：刘处，我这边还没看到到账。
对方：银行系统有延迟，24小时内到账。你先转过去，对方催得紧，越快越好，别耽误了。
"""

BENIGN_REIMBURSEMENT_CHAT = """\
王会计：小陈，你上个月出差的报销单我看了，高铁票和住宿发票都齐了。
我：好的，谢谢王老师。还需要补什么材料吗？
王会计：审批单要处长签字，签好后交到财务室就行。
我：明白，我明天上午送过去。
王会计：报销款月底统一发到你的工资卡，不用另外提供账号。
"""


NOT_WARNED = re.compile(r"^(none|low)$")
WARNED_FINDINGS = '[data-testid="finding"][data-severity="high"], [data-testid="finding"][data-severity="medium"]'


def wait_ready(page: Page) -> None:
    expect(page.get_by_test_id("status")).to_have_text("准备好了")


def check_by_click(page: Page, text: str) -> None:
    page.get_by_test_id("input").fill(text)
    page.get_by_test_id("check").click()


def test_fake_leader_chat_is_high_risk(ready_page: Page) -> None:
    check_by_click(ready_page, FAKE_LEADER_CHAT)

    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(ready_page.get_by_test_id("verdict")).to_contain_text("很可能是诈骗")
    leader = ready_page.locator('[data-testid="finding"][data-category="impersonate_leader"]')
    expect(leader.first).to_be_visible()
    evidence = leader.locator("mark").all_text_contents()
    assert evidence, "an impersonate_leader finding shows no evidence words"
    for words in evidence:
        assert words and words in FAKE_LEADER_CHAT, f"evidence {words!r} is not a slice of the pasted chat"
    # The other side's details, to write down: the amount grouped by thousands, the account as typed.
    expect(ready_page.get_by_test_id("entities")).to_contain_text("80,000 元")
    expect(ready_page.get_by_test_id("entities")).to_contain_text("6222021001234567890")


def test_page_shows_what_the_engine_reports_under_cpython(ready_page: Page) -> None:
    # The same package runs in both; evidence offsets are code points, so a wrong UTF-16
    # conversion in the page would show different words here.
    report = fanzha.check(FAKE_LEADER_CHAT).to_dict()
    check_by_click(ready_page, FAKE_LEADER_CHAT)

    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", report["verdict"])
    # Findings of one pattern (or the same words) share a card, which shows every title and their words.
    cards = merged_cards(report["findings"])
    shown = ready_page.get_by_test_id("finding")
    expect(shown).to_have_count(len(cards))
    for i, members in enumerate(cards):
        expect(shown.nth(i)).to_have_attribute("data-rule", members[0]["rule"])
        expect(shown.nth(i).locator(".finding-title")).to_have_text([f["title"] for f in members])
        words = list(dict.fromkeys(e["text"] for f in members for e in f["evidence"]))[:12]
        expect(shown.nth(i).locator(".evidence mark")).to_have_text(words)


def test_benign_reimbursement_chat_is_not_warned(ready_page: Page) -> None:
    check_by_click(ready_page, BENIGN_REIMBURSEMENT_CHAT)

    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", NOT_WARNED)
    expect(ready_page.locator(WARNED_FINDINGS)).to_have_count(0)


def test_typing_checks_without_a_click(ready_page: Page) -> None:
    ready_page.get_by_test_id("input").press_sequentially("我是你领导，新微信号，马上帮我转账，很急", delay=30)

    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile(r"^(high|medium)$"))


def test_a_newer_text_replaces_the_result(ready_page: Page) -> None:
    box = ready_page.get_by_test_id("input")
    box.fill(FAKE_LEADER_CHAT)
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    box.fill(BENIGN_REIMBURSEMENT_CHAT)
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", NOT_WARNED)
    box.fill("")
    expect(ready_page.get_by_test_id("verdict")).to_be_hidden()


# These start from a fresh page load: they are about what happens while the engine loads.


def test_input_works_while_loading_and_checks_once_ready(page: Page, site_url: str) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(site_url)
    # Python needs seconds to load; the box must take input and the click must not be lost meanwhile.
    expect(page.get_by_test_id("status")).to_contain_text("正在准备检查工具")
    check_by_click(page, FAKE_LEADER_CHAT)
    expect(page.get_by_test_id("status")).to_contain_text("正在准备检查工具")

    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    wait_ready(page)
    expect(page.get_by_test_id("input")).to_have_value(FAKE_LEADER_CHAT)
    assert problems == [], "start-up and a check should leave the console clean"


def test_failed_engine_says_so_and_retry_recovers(page: Page, site_url: str) -> None:
    # Break the rules bundle for the first start only; the worker's fetch goes through the context.
    page.context.route("**/rules.*.json", lambda route: route.fulfill(status=503, body="down"))
    page.goto(site_url)
    page.get_by_test_id("input").fill(FAKE_LEADER_CHAT)
    status = page.get_by_test_id("status")
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("重试")  # what happened and what to do, in the engine client's words
    expect(page.get_by_test_id("input")).to_have_value(FAKE_LEADER_CHAT)

    page.context.unroute("**/rules.*.json")
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    wait_ready(page)
    expect(page.get_by_test_id("retry")).to_be_hidden()
