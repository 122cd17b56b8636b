"""The lobby and the corridor (issue 16): the kiosk made for visitors, the poster to print, reminders to
forward to staff groups, and the QR codes to the checker that the page draws itself."""

from __future__ import annotations

import io
import json
import re

import pytest
import zxingcpp
from conftest import FAKE_LEADER_CHAT_FOR_MODES as CHAT
from conftest import ROOT, open_ready, poll
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pypdf import PdfReader
from test_a11y import axe_source, serious_violations  # noqa: F401 (a fixture, used by name)

from fanzha import labels

PUBLIC_URL = "https://oa.example.gov.cn/tools/fanzha/"
UNIT = "示例市住房和城乡建设局"
KIOSK = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True}
WAIT_MS = 10_000
# Paper sizes in PDF points (1/72 inch).
PAPER_POINTS = {"a4": (595.3, 841.9), "a3": (841.9, 1190.6)}

# Every text on screen: its font size, whether it lies in the viewport, and its first characters.
SMALL_TEXT = """(min) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || !parent.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const shown = [...range.getClientRects()].some((r) => r.width > 1 && r.height > 1 && r.right > 0
      && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight);
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (shown && size < min) out.push(`${text.slice(0, 16)}: ${size}px`);
  }
  return out;
}"""

CONTENT_BOTTOM = """() => Math.max(...[...document.querySelectorAll("main *")]
  .filter((e) => e.checkVisibility({ checkVisibilityCSS: true }))
  .map((e) => e.getBoundingClientRect().bottom + scrollY))"""


def configure(context: BrowserContext, site_url: str, **config: str) -> None:
    """Serves config.json with these settings to every page of the context."""
    body = json.dumps({"embed_allowed_origins": [], **config}, ensure_ascii=False)
    context.route(site_url + "config.json", lambda route: route.fulfill(body=body, content_type="application/json"))


def qr_texts(locator: Locator) -> list[str]:
    """What a phone would read: the QR codes decoded from a screenshot of the element."""
    image = Image.open(io.BytesIO(locator.screenshot()))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def font_px(locator: Locator) -> float:
    return float(locator.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))


def kiosk(
    browser: Browser, site_url: str, query: str = "?mode=kiosk&idle=600", **config: str
) -> tuple[BrowserContext, Page]:
    """A kiosk screen (1080 x 1920, touch) whose engine is ready; config: config.json's settings."""
    context = browser.new_context(**KIOSK, service_workers="block")
    if config:
        configure(context, site_url, **config)
    return context, open_ready(context, site_url + query)


# --- kiosk ---


def test_kiosk_opens_on_the_questions_in_big_type_over_the_whole_screen(browser: Browser, site_url: str) -> None:
    context, page = kiosk(browser, site_url)
    # The start: the guided questions, one on screen at a time, with typing or pasting one touch away.
    expect(page.get_by_test_id("tab-guided")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("fieldset[data-question=who] legend")).to_be_in_viewport()
    expect(page.locator("fieldset[data-question=channel] legend")).not_to_be_in_viewport()
    expect(page.get_by_test_id("guided-step")).to_have_text("第 1 题，共 5 题")
    expect(page.get_by_test_id("tab-check")).to_be_visible()
    expect(page.get_by_test_id("input")).to_be_visible()

    assert page.evaluate(SMALL_TEXT, 24) == [], "text under 24 px on the kiosk's start"
    assert font_px(page.locator("fieldset[data-question=who] label").first) >= 24
    bottom = float(page.evaluate(CONTENT_BOTTOM))
    assert bottom >= 0.9 * 1920, f"the content ends at {bottom:.0f} px of 1920"
    qr = page.get_by_test_id("qr").bounding_box()
    assert qr and qr["y"] + qr["height"] <= 1920, f"the QR code is not on the first screen: {qr}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1080

    # The next question is a touch away, and so is the box.
    page.get_by_test_id("guided-next").click()
    expect(page.locator("fieldset[data-question=channel] legend")).to_be_in_viewport()
    expect(page.get_by_test_id("guided-step")).to_have_text("第 2 题，共 5 题")
    page.get_by_test_id("tab-check").click()
    expect(page.get_by_test_id("input")).to_be_in_viewport()
    expect(page.locator("#view-guided")).to_be_hidden()

    # A result, and the learn view, keep to the same size.
    page.get_by_test_id("input").fill(CHAT)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    for y in range(0, int(page.evaluate("document.documentElement.scrollHeight")), 1500):
        page.evaluate("(y) => window.scrollTo(0, y)", y)
        assert page.evaluate(SMALL_TEXT, 24) == [], f"text under 24 px in the kiosk's result, scrolled to {y}"
    page.get_by_test_id("tab-learn").click()
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate(SMALL_TEXT, 24) == [], "text under 24 px in the kiosk's learn view"
    expect(page.get_by_test_id("forward")).to_have_count(15)
    expect(page.get_by_test_id("forward").first).to_be_hidden()  # a shared screen copies nothing
    context.close()


def test_kiosk_answers_one_question_at_a_time_and_checks_the_description(browser: Browser, site_url: str) -> None:
    context, page = kiosk(browser, site_url)
    answers = (("who", "leader"), ("channel", "new_friend"), ("new_account", "yes"), ("purpose", "forward"))
    for question, choice in answers:
        label = page.locator(f'label[for="q-{question}-{choice}"]')
        expect(label).to_be_in_viewport()
        label.click()
        page.get_by_test_id("guided-next").click()
    expect(page.get_by_test_id("guided-next")).to_be_disabled()
    page.locator('label[for="q-signs-screenshot"]').click()
    page.get_by_test_id("guided-submit").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(page.get_by_test_id("input")).to_have_value(re.compile("单位的领导"))
    expect(page.get_by_test_id("input")).not_to_be_focused()  # no on-screen keyboard over the result
    context.close()


def test_kiosk_qr_code_holds_the_configured_address_and_the_page_asks_no_one(browser: Browser, site_url: str) -> None:
    context = browser.new_context(**KIOSK, service_workers="block")
    configure(context, site_url, public_url=PUBLIC_URL)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = open_ready(context, site_url + "?mode=kiosk&idle=600")
    qr = page.get_by_test_id("qr")
    expect(qr.locator("svg")).to_be_visible()
    expect(page.get_by_role("heading", name="用自己的手机查")).to_be_visible()
    assert qr_texts(qr) == [PUBLIC_URL]
    expect(page.locator("#kiosk-qr-address")).to_have_text(PUBLIC_URL)
    # The board between visitors offers the same code.
    page.evaluate("document.getElementById('board').hidden = false")
    assert qr_texts(page.get_by_test_id("board-qr")) == [PUBLIC_URL]
    context.close()
    # Drawn on the device: the only requests are the page's own files, the QR library among them.
    assert any(url.endswith("/vendor/qrcode.mjs") for url in requests), requests
    assert all(url.startswith(site_url) for url in requests), [u for u in requests if not u.startswith(site_url)]


def test_kiosk_qr_code_without_a_public_url_is_the_page_without_its_mode(browser: Browser, site_url: str) -> None:
    context, page = kiosk(browser, site_url, "?mode=kiosk&idle=600#top", public_url="not an address")
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    assert qr_texts(page.get_by_test_id("qr")) == [site_url]
    context.close()


def test_kiosk_counts_down_before_the_wipe_and_a_touch_cancels_it(browser: Browser, site_url: str) -> None:
    # idle=6: after 4 s without a touch, 2 s of countdown (a third of the idle time, 10 s at most), then the wipe.
    context, page = kiosk(browser, site_url, "?mode=kiosk&idle=6")
    board = page.get_by_test_id("board")
    countdown = page.get_by_test_id("countdown")
    if board.is_visible():  # nobody touched it while Python loaded
        page.mouse.click(540, 960)
    expect(board).to_be_hidden()
    police = page.locator("#q-who-police")
    page.locator('label[for="q-who-police"]').click()
    page.get_by_test_id("large-text").click()
    expect(police).to_be_checked()

    expect(countdown).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("countdown-seconds")).to_have_text(re.compile(r"^[12]$"))
    expect(countdown).to_contain_text("秒后清空屏幕")
    page.mouse.click(540, 300)  # a touch anywhere
    expect(countdown).to_be_hidden()
    page.wait_for_timeout(2500)  # past the moment the countdown would have ended
    expect(board).to_be_hidden()
    expect(police).to_be_checked()  # nothing was wiped

    expect(countdown).to_be_visible(timeout=WAIT_MS)  # left alone again: the countdown, then the wipe
    expect(board).to_be_visible(timeout=WAIT_MS)
    expect(countdown).to_be_hidden()
    expect(police).not_to_be_checked()
    expect(page.get_by_test_id("large-text")).to_have_attribute("aria-pressed", "false")  # the next visitor's own
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    page.mouse.click(540, 960)  # the next visitor: back at the first question
    expect(board).to_be_hidden()
    expect(page.get_by_test_id("tab-guided")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("guided-step")).to_have_text("第 1 题，共 5 题")
    expect(page.locator("#guided-title")).to_be_focused()
    context.close()


# --- large text ---


def test_large_text_on_a_phone_is_remembered_as_a_switch_and_nothing_else(browser: Browser, site_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, service_workers="block"
    )
    page = context.new_page()
    page.goto(site_url)
    switch = page.get_by_test_id("large-text")
    expect(switch).to_have_attribute("aria-pressed", "false")
    lead = page.locator(".lead")
    before = font_px(lead)
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert font_px(lead) >= 1.2 * before
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "large text scrolls sideways"
    page.get_by_test_id("input").fill("验证码604173")

    page.reload()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert font_px(lead) >= 1.2 * before
    assert page.evaluate("JSON.stringify(localStorage)") == '{"fanzha.large-text":"1"}'
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("localStorage.length") == 0
    context.close()


# --- poster ---


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_poster_is_one_page_with_the_unit_the_reminders_the_types_and_a_qr_code(
    browser: Browser, site_url: str, size: str
) -> None:
    context = browser.new_context(service_workers="block")
    configure(context, site_url, unit_name=UNIT, public_url=PUBLIC_URL)
    page = context.new_page()
    page.goto(site_url + "?mode=poster")
    page.get_by_test_id("poster-size").select_option(size)
    expect(page.locator("html")).to_have_attribute("data-paper", size)
    sheet = page.get_by_test_id("poster-sheet")
    expect(page.get_by_test_id("unit-name")).to_have_text(f"{UNIT}提醒您")
    expect(sheet.locator(".sheet-reminders li")).to_have_count(4)
    expect(sheet.locator(".sheet-reminders")).to_contain_text("天上不会掉馅饼")
    types = sheet.locator(".sheet-types li")
    expect(types).to_have_count(6)
    assert types.evaluate_all("(items) => items.map((e) => e.dataset.type)") == [
        "impersonate_leader", "loan", "brushing", "impersonate_police", "fake_customer_service", "investment",
    ]  # fmt: skip
    expect(sheet).to_contain_text("96110")
    expect(sheet.locator(".sheet-number strong")).to_have_text(["96110", "110"])
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    assert qr_texts(page.get_by_test_id("qr")) == [PUBLIC_URL]

    page.emulate_media(media="print")
    expect(page.locator(".poster-tools")).to_be_hidden()
    # Nothing cut off: each type on one line, and the sheet's content inside the sheet.
    lines = types.evaluate_all(
        "(items) => items.map((e) => [e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight),"
        " e.scrollWidth <= e.clientWidth])"
    )
    assert all(height < 1.6 and fits for height, fits in lines), lines
    overflow = page.locator(".sheet-inner").evaluate("(e) => e.scrollHeight - e.clientHeight")
    assert overflow <= 1, f"the poster's content runs {overflow} px past the sheet"
    assert qr_texts(page.get_by_test_id("qr")) == [PUBLIC_URL]
    page.emulate_media(media=None)

    printed = PdfReader(io.BytesIO(page.pdf(format=size.upper())))
    assert len(printed.pages) == 1, f"{size}: {len(printed.pages)} pages"
    own_size = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))  # the paper @page asks for
    assert len(own_size.pages) == 1
    box = own_size.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(PAPER_POINTS[size], abs=1.5)
    context.close()


def test_poster_without_a_unit_name_leaves_a_line_to_write_on(
    browser: Browser, site_url: str, axe_source: str  # noqa: F811
) -> None:
    context = browser.new_context(service_workers="block")
    configure(context, site_url)
    page = context.new_page()
    page.goto(site_url + "?mode=poster&size=a3")
    expect(page.get_by_test_id("poster-size")).to_have_value("a3")
    expect(page.get_by_test_id("unit-name")).to_have_text(re.compile(r"^＿+ 提醒您$"))
    expect(page.locator("#poster-unit-note")).to_be_visible()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    assert qr_texts(page.get_by_test_id("qr")) == [site_url]
    assert serious_violations(page, axe_source) == []
    # The poster checks nothing: the engine's worker, started while the page was parsed, is stopped.
    assert page.evaluate("'fanzhaPrestarted' in window") is False
    expect(page.get_by_test_id("status")).not_to_have_text("准备好了")
    context.close()


# --- reminders to forward ---

COPY_STUB = """
  window.copied = [];
  Object.defineProperty(Navigator.prototype, "share", { value: undefined, configurable: true });
  Object.defineProperty(navigator, "clipboard", {
    value: { writeText: async (text) => { window.copied.push(text); } }, configurable: true,
  });
"""

SHARE_STUB = """
  window.shared = [];
  Object.defineProperty(Navigator.prototype, "share", {
    value: async (data) => { window.shared.push(data); }, configurable: true,
  });
"""


def learn_types() -> list[dict[str, str]]:
    """name, tell and todo of each type: tell and todo read from web/content/learn.js, the name from the rules
    data it imports (fanzha.labels)."""
    source = (ROOT / "web" / "content" / "learn.js").read_text("utf-8")
    fields = ("id", "tell", "todo")
    found = {f: re.findall(rf'^\s+{f}:\s*"([^"]+)"', source, re.M) for f in fields}
    names = {c: row.get("name") for c, row in labels.load_labels(ROOT / "rules")["categories"].items()}
    types = [dict(zip(fields, values, strict=True)) for values in zip(*found.values(), strict=True)]
    return [{**t, "name": names[t["id"]]} for t in types]


def test_every_type_and_reminder_copies_a_message_with_the_checkers_address(browser: Browser, site_url: str) -> None:
    context = browser.new_context(service_workers="block")
    configure(context, site_url, public_url=PUBLIC_URL)
    context.add_init_script(COPY_STUB)
    page = context.new_page()
    page.goto(site_url)
    page.get_by_test_id("tab-learn").click()
    buttons = page.get_by_test_id("forward")
    expect(buttons).to_have_count(4 + 11)
    expect(buttons.first).to_have_text("复制转发")
    for i in range(buttons.count()):
        buttons.nth(i).click()
        poll(page, "(n) => window.copied.length > n", i, what=f"the message of button {i}")
    messages = page.evaluate("window.copied")
    assert len(set(messages)) == 15

    for message in messages:
        assert message.startswith("【防骗提醒】"), message
        assert message.rstrip().endswith(PUBLIC_URL), message
        assert "96110" in message and "110 报警" in message
        assert len(message) <= 220, f"too long for a group message ({len(message)}): {message}"
    reminders = page.get_by_test_id("reminders").locator("li > span").all_text_contents()
    for reminder, message in zip(reminders, messages[:4], strict=True):
        assert reminder in message
    for kind, message in zip(learn_types(), messages[4:], strict=True):
        assert f"“{kind['name']}”" in message and kind["tell"] in message and kind["todo"] in message, message
    police = page.locator('[data-testid="fraud-type"][data-type="impersonate_police"]')
    assert "安全账户" in messages[4 + 3]
    expect(police.get_by_role("status")).to_have_text(re.compile("已复制"))
    context.close()


def test_forward_uses_the_share_sheet_where_there_is_one(browser: Browser, site_url: str) -> None:
    context = browser.new_context(service_workers="block")
    configure(context, site_url)  # no public_url: the page's own address
    context.add_init_script(SHARE_STUB)
    page = context.new_page()
    page.goto(site_url + "?idle=30")
    page.get_by_test_id("tab-learn").click()
    page.get_by_test_id("reminders").get_by_test_id("forward").last.click()
    shared = poll(page, "() => window.shared.length && window.shared", what="a share")
    assert isinstance(shared, list) and len(shared) == 1
    text = shared[0]["text"]
    assert "熟人要求转账，一定当面核实" in text and text.endswith(site_url), text
    context.close()
