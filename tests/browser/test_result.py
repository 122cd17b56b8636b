"""A result a staff member can act on in three seconds (issue 15): on a phone's first screen the verdict, why
and what to do now, with 110 and 96110 to tap; what to do if the money has gone; a record to hand over;
loading in plain words; an answer for an empty box."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import ENGINE_TIMEOUT_MS, ROOT, open_ready, poll
from conftest import FAKE_LEADER_CHAT_FOR_MODES as CHAT
from playwright.sync_api import Browser, Page, expect

from fanzha import labels

PHONE = {"width": 390, "height": 844}
ACCOUNT = "6222021001234567890"  # as typed in CHAT
BENIGN = "同事：下午三点的会改到四点了，会议室不变。\n我：收到，我带上投影的材料。"

# Stand-ins for the clipboard and the share sheet, installed before the page's scripts: they keep what the
# page hands them. A test picks the path: navigator.share = undefined leaves the clipboard.
CAPTURE = """
window.__copied = null;
window.__shared = null;
window.__shareFails = null;
Object.defineProperty(navigator, "clipboard", {
  configurable: true,
  value: { writeText: async (text) => { window.__copied = String(text); } },
});
Object.defineProperty(navigator, "share", {
  configurable: true,
  writable: true,
  value: async (data) => {
    if (window.__shareFails) throw new DOMException("closed", window.__shareFails);
    window.__shared = data;
  },
});
"""

# Every status text the page shows, in order, and whether the progress bar was showing with it.
WATCH_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const status = document.getElementById("status");
  const bar = document.getElementById("load-progress");
  if (!status) return;
  const seen = [status.textContent, bar ? !bar.hidden : null];  // null: the bar is not parsed yet
  const last = window.__statuses.at(-1);
  if (!last || last[0] !== seen[0] || last[1] !== seen[1]) window.__statuses.push(seen);
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
"""

DEVELOPER_WORDS = re.compile(r"Python|Pyodide|WebAssembly|引擎|运行环境|分词|组件|词典|模块", re.IGNORECASE)


def merged_cards(findings: list[dict]) -> list[list[dict]]:
    """The page's cards (web/ui/result.js mergeFindings): findings of one category, or whose evidence spans
    are all among another's, share a card; cards in the order of their first finding."""
    root = list(range(len(findings)))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i

    def join(a: int, b: int) -> None:
        x, y = find(a), find(b)
        if x != y:
            root[max(x, y)] = min(x, y)

    first: dict[str, int] = {}
    for i, f in enumerate(findings):
        if f["category"] in first:
            join(first[f["category"]], i)
        else:
            first[f["category"]] = i
    spans = [{(e["start"], e["end"]) for e in f.get("evidence", [])} for f in findings]
    for i in range(len(findings)):
        for j in range(i + 1, len(findings)):
            a, b = spans[i], spans[j]
            if find(i) != find(j) and ((a and a <= b) or (b and b <= a)):
                join(i, j)
    cards: dict[int, list[dict]] = {}
    for i, f in enumerate(findings):
        cards.setdefault(find(i), []).append(f)
    return list(cards.values())


@pytest.fixture(scope="module")
def phone(browser: Browser, site_url: str) -> Iterator[Page]:
    """A phone-sized page, ready, with the clipboard and share sheet captured."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(CAPTURE)
    yield open_ready(context, site_url)
    context.close()


@pytest.fixture
def result(phone: Page) -> Page:
    """The phone page showing the fake leader chat's result, as a user gets it: paste, tap 检查."""
    expect.set_options(timeout=ENGINE_TIMEOUT_MS)
    phone.set_viewport_size(PHONE)
    phone.get_by_test_id("clear").click()
    phone.evaluate(f"() => {{ window.scrollTo(0, 0); {CAPTURE} }}")  # a fresh capture, share sheet and all
    (worker,) = phone.workers
    worker.evaluate(KEEP_REPORTS)
    phone.get_by_test_id("input").fill(CHAT)
    phone.get_by_test_id("check").click()
    expect(phone.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    settle_scroll(phone)
    return phone


# In the page's worker: keeps the last report it sends, to compare the page with what it was given.
KEEP_REPORTS = """() => {
  if (self.__keeping) return;
  self.__keeping = true;
  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    if (message && message.ok && message.result) self.__lastReport = message.result;
    return post(message, ...rest);
  };
}"""


def shown_report(page: Page) -> dict:
    """The report behind the result on screen, as the page's worker sent it."""
    (worker,) = page.workers
    return worker.evaluate("() => self.__lastReport")


def settle_scroll(page: Page) -> None:
    """Waits for the smooth scroll to the result to end."""
    last = None
    for _ in range(40):
        y = page.evaluate("window.scrollY")
        if y == last:
            return
        last = y
        page.wait_for_timeout(100)


# --- 1. the first screen decides ---


def test_the_first_screen_shows_verdict_why_and_the_first_steps(result: Page) -> None:
    verdict = result.get_by_test_id("verdict")
    first_step = result.locator('[data-testid="advice"] > li').first
    expect(verdict).to_be_in_viewport()
    expect(first_step).to_be_visible()
    top = verdict.bounding_box()["y"]
    bottom = first_step.bounding_box()["y"] + first_step.bounding_box()["height"]
    assert bottom - top <= PHONE["height"], f"the first step ends {bottom - top:.0f} px below the verdict's top"
    assert top >= 0 and bottom <= PHONE["height"], (
        f"verdict at {top:.0f}, first step ends at {bottom:.0f}: not one screen"
    )

    # Why, in one line under the verdict: the pattern in the user's terms, one of the findings' titles.
    why = result.get_by_test_id("why")
    expect(why).to_be_visible()
    titles = result.locator('[data-testid="finding"] .finding-title').all_text_contents()
    assert why.text_content() in titles, (why.text_content(), titles)
    assert why.bounding_box()["y"] < first_step.bounding_box()["y"]

    # The steps are a list, and end with the numbers to call, as tel: links.
    advice = result.get_by_test_id("advice")
    assert advice.evaluate("(e) => e.tagName") in ("OL", "UL")
    assert advice.locator("li").count() >= 2
    for number in ("110", "96110"):
        link = advice.locator(f'a[href="tel:{number}"]')
        expect(link).to_be_visible()
        expect(link).to_have_text(number)
        box = link.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], f"{number} is below the first screen"


def test_the_pages_labels_are_the_rules_data(result: Page) -> None:
    """content/labels.js, which the build writes, holds the rules data's labels and verdict words, and the
    page shows them: no second copy to drift."""
    words = labels.load_labels(ROOT / "rules")
    cats = words["categories"]
    page = result.evaluate('async () => ({ ...(await import("./content/labels.js")) })')
    assert page["VERDICTS"] == words["verdicts"]
    assert page["CATEGORY_LABELS"] == {c: row["label"] for c, row in cats.items()}
    assert page["CATEGORY_NAMES"] == {c: row["name"] for c, row in cats.items() if "name" in row}
    expect(result.get_by_test_id("verdict")).to_have_text(words["verdicts"]["high"]["text"])
    card = result.get_by_test_id("finding").first
    expect(card.locator(".finding-meta")).to_contain_text(cats[card.get_attribute("data-category")]["label"])


def test_findings_of_one_pattern_share_a_card_that_keeps_every_title(result: Page) -> None:
    report = shown_report(result)
    cards = merged_cards(report["findings"])
    shown = result.get_by_test_id("finding")
    expect(shown).to_have_count(len(cards))
    assert len(cards) < len(report["findings"]), "this chat's findings show one pattern: they merge"
    for i, members in enumerate(cards):
        card = shown.nth(i)
        expect(card).to_have_attribute("data-rule", members[0]["rule"])
        expect(card).to_have_attribute("data-category", members[0]["category"])
        expect(card.locator(".finding-title")).to_have_text([f["title"] for f in members])
        for title in card.locator(".finding-title").all():
            expect(title).to_be_visible()
        words = list(dict.fromkeys(e["text"] for f in members for e in f["evidence"]))[:12]
        expect(card.locator(".evidence mark")).to_have_text(words)


# --- 2. already paid ---


def test_what_to_do_if_already_paid_is_there_in_order(result: Page) -> None:
    paid = result.get_by_test_id("paid")
    expect(paid).to_be_visible()
    paid.locator("summary").click()
    steps = paid.locator("li")
    expect(steps.first).to_be_visible()
    texts = steps.all_text_contents()
    order = [("银行", "止付"), ("110",), ("聊天记录", "转账记录"), ("退款", "解冻", "追回损失")]
    assert len(texts) == len(order), texts
    for text, words in zip(texts, order, strict=True):
        for word in words:
            assert word in text, (word, text)
    assert "对方给" in texts[0], "the bank's own number, not one the other side gave"
    expect(paid.locator('a[href="tel:110"]')).to_have_text("110")
    paid.locator("summary").click()


# --- 3. a record to hand over ---


def record_must_hold(page: Page, record: str) -> None:
    assert page.get_by_test_id("verdict").text_content() in record
    assert (page.get_by_test_id("why").text_content() or "x") in record
    for title in page.locator('[data-testid="finding"] .finding-title').all_text_contents():
        assert title in record, title
    for words in page.locator('[data-testid="finding"] .evidence mark').all_text_contents():
        assert f"“{words}”" in record, words
    assert ACCOUNT in record, "the account number exactly as typed"
    for value in page.locator('[data-testid="entities"] dd').all_text_contents():
        assert value in record, value
    for step in page.locator('[data-testid="advice"] li, #more-advice li').all_text_contents():
        assert step.strip() in record, step
    assert re.search(r"(^|\D)110(\D|$)", record) and "96110" in record
    assert re.search(r"检查时间：\d{4}-\d\d-\d\d \d\d:\d\d", record), record[:80]


def test_share_copies_the_record_where_there_is_no_share_sheet(result: Page) -> None:
    result.evaluate("() => { navigator.share = undefined; }")
    result.get_by_test_id("share").click()
    record = result.evaluate("window.__copied")
    assert record, "nothing was copied"
    record_must_hold(result, record)
    expect(result.get_by_test_id("share-status")).to_contain_text("已复制")


def test_share_opens_the_share_sheet_where_there_is_one(result: Page) -> None:
    result.get_by_test_id("share").click()
    shared = poll(result, "window.__shared", what="the share sheet")
    record_must_hold(result, shared["text"])
    assert result.evaluate("window.__copied") is None, "shared, so nothing goes to the clipboard"

    # Closing the share sheet is the user's choice: nothing is copied instead.
    result.evaluate("() => { window.__shared = null; window.__shareFails = 'AbortError'; }")
    result.get_by_test_id("share").click()
    result.wait_for_timeout(200)
    assert result.evaluate("window.__copied") is None


def test_the_print_view_carries_the_same_record(result: Page) -> None:
    result.emulate_media(media="print")
    try:
        for hook in ("verdict", "why", "advice", "entities", "paid"):
            expect(result.get_by_test_id(hook)).to_be_visible()
        expect(result.locator("#print-time")).to_have_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d"))
        expect(result.locator('[data-testid="finding"] .evidence mark').first).to_be_visible()
        expect(result.locator('[data-testid="finding"] .finding-title').first).to_be_visible()
        expect(result.get_by_test_id("paid").locator("li").first).to_be_visible()  # folded on screen, open on paper
        expect(result.get_by_test_id("entities")).to_contain_text(ACCOUNT)
        expect(result.get_by_test_id("share")).to_be_hidden()
    finally:
        result.emulate_media(media="screen")


# --- 6. loading tells the truth ---


def test_loading_speaks_plain_words_with_a_bar_and_ends_ready(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(WATCH_STATUS)
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto(site_url)
    box = page.get_by_test_id("input")
    expect(box).to_be_editable()  # typing is welcome before the checker is ready
    box.fill("对方：我是刘处长，")
    expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
    statuses = page.evaluate("window.__statuses")
    context.close()

    loading = [(text, bar) for text, bar in statuses if text != "准备好了"]
    assert loading, statuses
    assert all(text.startswith("正在准备检查工具") for text, _ in loading), loading
    assert all(bar is not False for _, bar in loading) and any(bar for _, bar in loading), loading
    assert all("可以先粘贴" in text for text, _ in loading), loading
    assert not [text for text, _ in statuses if DEVELOPER_WORDS.search(text)], statuses
    amounts = [re.search(r"([\d.]+) / ([\d.]+) MB", text) for text, _ in loading]
    amounts = [(float(m.group(1)), float(m.group(2))) for m in amounts if m]
    assert amounts, f"a first visit shows how much of how much has arrived: {loading}"
    assert all(done <= total for done, total in amounts), amounts
    assert len({total for _, total in amounts}) == 1, "one total, the first visit's"
    assert statuses[-1] == ["准备好了", False], "ready: the bar goes"


# --- 8. small things ---


def test_checking_an_empty_box_says_what_to_paste(phone: Page) -> None:
    phone.get_by_test_id("clear").click()
    phone.get_by_test_id("check").click()
    note = phone.get_by_test_id("empty-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("粘贴")
    expect(phone.get_by_test_id("verdict")).to_be_hidden()
    expect(phone.get_by_test_id("input")).to_be_focused()
    phone.get_by_test_id("input").press_sequentially("你好", delay=20)
    expect(note).to_be_hidden()
    phone.get_by_test_id("clear").click()


# The words of each line of an element, by the vertical position of each character.
LINES = """(e) => {
  const lines = new Map();
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const top = Math.round(range.getBoundingClientRect().top);
      lines.set(top, (lines.get(top) || "") + node.data[i]);
    }
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}"""

# Each verdict as the page renders it (the app's own module: one module per URL).
SHOW_VERDICT = """async (verdict) => {
  const { renderReport } = await import("./ui/result.js");
  renderReport({ verdict, score: 0, categories: [], findings: [], advice: [], entities: {} }, "");
  return document.querySelector('[data-testid="verdict"]').textContent;
}"""


@pytest.mark.parametrize("width", [320, 360, 390])
def test_the_verdict_never_leaves_one_character_alone_on_a_line(result: Page, width: int) -> None:
    result.set_viewport_size({"width": width, "height": PHONE["height"]})
    verdict = result.get_by_test_id("verdict")
    assert "balance" in verdict.evaluate("(e) => getComputedStyle(e).textWrap || getComputedStyle(e).textWrapStyle")
    for kind in ("high", "medium", "low", "none"):
        text = result.evaluate(SHOW_VERDICT, kind)
        lines = verdict.evaluate(LINES)
        assert "".join(lines) == text
        assert all(len(line) >= 2 for line in lines), f"{width} px: {lines}"
        if len(lines) > 1 and "，" in text:
            assert lines[0].endswith("，"), f"{width} px: broken inside a clause: {lines}"


def test_evidence_chips_never_break_inside_a_word(result: Page) -> None:
    result.set_viewport_size({"width": 320, "height": PHONE["height"]})
    chips = result.locator('[data-testid="finding"] .evidence mark')
    assert chips.count() > 0
    broken = chips.evaluate_all(
        """(els) => els.filter((m) => m.getClientRects().length !== 1
             || m.getBoundingClientRect().right > m.closest('.finding').getBoundingClientRect().right + 0.5)
           .map((m) => m.textContent)"""
    )
    assert broken == [], f"chips split over lines or out of their card: {broken}"
    assert not result.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


# How far the shown mark's focus ring stays from the characters beside it on its line (negative: it covers them).
RING_GAPS = """(m) => {
  const style = getComputedStyle(m);
  const ring = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const box = m.getClientRects()[0];
  const charRect = (node, i) => {
    const r = document.createRange();
    r.setStart(node, i);
    r.setEnd(node, i + 1);
    return r.getBoundingClientRect();
  };
  const textOf = (n, last) => n && (n.nodeType === 3 ? n : last ? n.lastChild : n.firstChild);
  const before = textOf(m.previousSibling, true);
  const after = textOf(m.nextSibling, false);
  const out = {offset: parseFloat(style.outlineOffset), ring};
  if (before && before.length) {
    const r = charRect(before, before.length - 1);
    if (Math.abs(r.top - box.top) < 4) out.before = box.left - ring - r.right;
  }
  if (after && after.length) {
    const r = charRect(after, 0);
    if (Math.abs(r.top - box.top) < 4) out.after = r.left - (box.right + ring);
  }
  return out;
}"""


def test_the_ring_around_a_shown_mark_does_not_cover_text(result: Page) -> None:
    # By keyboard, so the mark gets the focus ring (a tap shows the marks without one).
    result.get_by_test_id("show-evidence").first.focus()
    result.keyboard.press("Enter")
    mark = result.locator("#marked mark.emph").first
    expect(mark).to_be_focused()
    assert mark.evaluate("(m) => m.matches(':focus-visible') && getComputedStyle(m).outlineStyle") == "solid"
    gaps = mark.evaluate(RING_GAPS)
    assert gaps["offset"] >= 2, gaps  # off its own letters
    assert gaps.get("before", 0) >= -0.5 and gaps.get("after", 0) >= -0.5, f"the ring covers a neighbour: {gaps}"
