"""The page end to end: paste or type a chat, see the verdict and findings the engine reports."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

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


def open_page(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.get_by_test_id("input")).to_be_editable()


def wait_ready(page: Page) -> None:
    expect(page.get_by_test_id("status")).to_have_text("已就绪")


def test_fake_leader_chat_is_high_risk(page: Page, site_url: str) -> None:
    open_page(page, site_url)
    page.get_by_test_id("input").fill(FAKE_LEADER_CHAT)
    page.get_by_test_id("check").click()

    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(page.get_by_test_id("verdict")).to_contain_text("很可能是诈骗")
    leader = page.locator('[data-testid="finding"][data-category="impersonate_leader"]')
    expect(leader.first).to_be_visible()
    evidence = leader.locator("mark").all_text_contents()
    assert evidence, "an impersonate_leader finding shows no evidence words"
    for words in evidence:
        assert words and words in FAKE_LEADER_CHAT, f"evidence {words!r} is not a slice of the pasted chat"


def test_benign_reimbursement_chat_is_not_warned(page: Page, site_url: str) -> None:
    open_page(page, site_url)
    page.get_by_test_id("input").fill(BENIGN_REIMBURSEMENT_CHAT)
    page.get_by_test_id("check").click()

    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile(r"^(none|low)$"))
    finding = '[data-testid="finding"]'
    warned = page.locator(f'{finding}[data-severity="high"], {finding}[data-severity="medium"]')
    expect(warned).to_have_count(0)


def test_input_works_while_loading_and_checks_once_ready(page: Page, site_url: str) -> None:
    page.goto(site_url)
    # Python needs seconds to load; the box must take input and the click must not be lost meanwhile.
    expect(page.get_by_test_id("status")).to_contain_text("正在加载")
    page.get_by_test_id("input").fill(FAKE_LEADER_CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("status")).to_contain_text("正在加载")

    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    wait_ready(page)
    expect(page.get_by_test_id("input")).to_have_value(FAKE_LEADER_CHAT)


def test_typing_checks_without_a_click(page: Page, site_url: str) -> None:
    open_page(page, site_url)
    wait_ready(page)
    page.get_by_test_id("input").press_sequentially("我是你领导，新微信号，马上帮我转账，很急", delay=30)

    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile(r"^(high|medium)$"))


def test_a_newer_text_replaces_the_result(page: Page, site_url: str) -> None:
    open_page(page, site_url)
    wait_ready(page)
    box = page.get_by_test_id("input")
    box.fill(FAKE_LEADER_CHAT)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    box.fill(BENIGN_REIMBURSEMENT_CHAT)
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile(r"^(none|low)$"))
    box.fill("")
    expect(page.get_by_test_id("verdict")).to_be_hidden()


def test_failed_engine_says_so_and_retry_recovers(page: Page, site_url: str) -> None:
    # Break the rules bundle for the first start only; the worker's fetch goes through the context.
    page.context.route("**/rules.*.json", lambda route: route.fulfill(status=503, body="down"))
    open_page(page, site_url)
    page.get_by_test_id("input").fill(FAKE_LEADER_CHAT)
    expect(page.get_by_test_id("status")).to_contain_text("加载失败")
    expect(page.get_by_test_id("input")).to_have_value(FAKE_LEADER_CHAT)

    page.context.unroute("**/rules.*.json")
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    wait_ready(page)
    expect(page.get_by_test_id("retry")).to_be_hidden()
