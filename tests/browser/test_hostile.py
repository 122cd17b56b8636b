"""Text written by criminals, a huge paste, and a hostile embedding parent: nothing runs, freezes or leaks."""

from __future__ import annotations

import json
import re

from conftest import embedding_parent
from playwright.sync_api import Browser, Page, expect

# Every payload tries to set window.__pwned; none may succeed anywhere the text is shown.
PAYLOADS = (
    '<script>window.__pwned = "script"</script>'
    "<img src=x onerror=\"window.__pwned = 'img'\">"
    '<svg onload="window.__pwned = \'svg\'"><circle r="5"/></svg>'
    "<a href=\"javascript:window.__pwned = 'link'\">点我领取</a>"
    "<iframe srcdoc=\"<script>parent.__pwned = 'iframe'</script>\"></iframe>"
    "<b onmouseover=\"window.__pwned = 'hover'\">截图</b>"
)
HOSTILE_CHAT = f"""对方：小李，我是刘处长，这是我的新微信号。{PAYLOADS}
对方：合作单位要保证金，你先帮我转8万到这个账户6222021001234567890，越快越好。
对方：合同在这里 http://1.2.3.4/合同.apk 打不开就点 javascript:alert(document.cookie)
对方：钱我已经转给你了，这是转账截图<img src=x onerror="window.__pwned = 'late'">，你查收一下。"""

ACTIVE = "script, img, svg, iframe, object, embed, a, b, form, link, style, video, audio"


def count_active(page: Page) -> dict[str, int]:
    return page.evaluate(
        """(sel) => Object.fromEntries(sel.split(", ").map((t) => [t, document.querySelectorAll(t).length]))""",
        ACTIVE,
    )


def test_html_scripts_svg_and_javascript_links_stay_inert_text(ready_page: Page) -> None:
    before = count_active(ready_page)
    ready_page.get_by_test_id("input").fill(HOSTILE_CHAT)
    ready_page.get_by_test_id("check").click()
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")

    # Every place user text appears: the marked copy, the evidence words, the details panel, the print view.
    expect(ready_page.get_by_test_id("marked")).to_contain_text('<script>window.__pwned = "script"</script>')
    expect(ready_page.get_by_test_id("marked")).to_contain_text("javascript:window.__pwned")
    expect(ready_page.get_by_test_id("entity-url").first).to_contain_text("http://1.2.3.4/")
    ready_page.get_by_test_id("finding").first.click()
    ready_page.get_by_test_id("marked").hover()
    ready_page.emulate_media(media="print")
    expect(ready_page.get_by_test_id("marked")).to_be_visible()
    ready_page.emulate_media(media="screen")
    ready_page.wait_for_timeout(300)  # an injected onerror or onload would have fired by now

    assert ready_page.evaluate("window.__pwned") is None
    assert count_active(ready_page) == before, "the pasted text added elements to the page"
    # The page's only links are its own phone links (110, 96110) and, in the footer, its licence notices;
    # nothing pasted ever becomes one.
    links = ready_page.locator("a[href]:not(.notices a)")
    assert links.evaluate_all("(els) => els.map((e) => e.getAttribute('href'))"), "the phone links are there"
    assert set(links.evaluate_all("(els) => els.map((e) => e.getAttribute('href'))")) <= {"tel:110", "tel:96110"}
    notices = ready_page.locator(".notices a").evaluate_all("(els) => els.map((e) => e.getAttribute('href'))")
    assert notices and all("LICENSE" in href and href.endswith(".txt") for href in notices), notices


FREEZE_MS = 2500


def test_a_1_mb_paste_keeps_the_page_responsive_and_says_how_much_was_checked(ready_page: Page) -> None:
    chat = "对方：我是刘处长，新微信号，你先帮我转8万到账户6222021001234567890，很急，别告诉别人。\n"
    text = (chat * (1_000_000 // len(chat) + 1))[:1_000_000]
    # Showing 1 MB in a text box is the browser's own work (~1.4 s here, as for a real paste): done first.
    ready_page.evaluate(
        """(text) => {
          const box = document.querySelector('[data-testid="input"]');
          box.value = text;
          box.scrollHeight; // lay it out now
        }""",
        text,
    )
    # Then a timer that should tick every 50 ms records the longest gap while the page checks the paste.
    ready_page.evaluate(
        """() => {
          window.__gaps = []; let last = performance.now();
          const tick = () => { const now = performance.now(); __gaps.push(now - last); last = now; };
          window.__ticker = setInterval(tick, 50);
          document.querySelector('[data-testid="input"]').dispatchEvent(new Event("input", {bubbles: true}));
        }"""
    )
    ready_page.get_by_test_id("check").click()
    notes = ready_page.get_by_test_id("notes")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text(re.compile(r"只检查了前 ?50000 ?字"))
    expect(notes).to_contain_text("1000000")
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    ready_page.wait_for_timeout(300)
    gaps = ready_page.evaluate("clearInterval(__ticker), __gaps")

    # ~450 ms on a quiet machine; the bound leaves room for a busy 2-core CI box. A real freeze (rendering
    # the whole megabyte, or checking it on the main thread) stops the timers for many seconds.
    assert len(gaps) > 10 and max(gaps) < FREEZE_MS, f"the page froze: longest timer gap {max(gaps):.0f} ms"
    shown = ready_page.get_by_test_id("marked").text_content() or ""
    assert 50_000 <= len(shown) < 50_100, f"render only what was checked, not {len(shown)} characters"
    assert ready_page.evaluate("document.getElementsByTagName('*').length") < 40_000
    assert ready_page.get_by_test_id("input").input_value() == text, "the pasted text must not be cut or lost"


SCAM = "对方：我是刘处长，这是我的新微信号。你先帮我转8万到6222021001234567890，越快越好，别告诉别人。"
TYPED_SECRET = "对方：我是王局长，新微信号，验证码739264发给我，马上转5万到安全账户"


def results(page: Page) -> list[dict]:
    return page.evaluate("got.filter((m) => m.data && m.data.type === 'fanzha:result')")


def test_a_hostile_parent_gets_answers_only_for_well_formed_asks_and_never_the_users_typing(
    browser: Browser, site_url: str, other_origin: tuple[str, dict[str, str]]
) -> None:
    context = browser.new_context(service_workers="block")
    page = embedding_parent(context, site_url, other_origin)
    frame = page.frame_locator("#fanzha")
    garbage = [
        None,
        "fanzha:check",
        ["fanzha:check", SCAM],
        {"type": "fanzha:check"},
        {"type": "fanzha:check", "text": 42},
        {"type": "fanzha:check", "text": SCAM, "id": {"nested": True}},
        {"type": "fanzha:check", "text": SCAM, "show": "yes"},
        {"type": "FANZHA:CHECK", "text": SCAM},
        {"type": "fanzha:result", "report": {"verdict": "none"}},
        {"type": "fanzha:evil", "text": SCAM},
    ]
    for message in garbage:
        page.evaluate("(m) => send(m)", message)
    page.evaluate("(text) => send({type: 'fanzha:check', text, id: 'ok-1'})", SCAM)
    page.wait_for_function("got.some((m) => m.data && m.data.id === 'ok-1')")
    page.wait_for_timeout(1000)  # give any answer to the garbage time to arrive

    answered = results(page)
    assert [m["data"].get("id") for m in answered] == ["ok-1"], answered
    assert answered[0]["origin"] == site_url.split("/tools/")[0]
    assert answered[0]["data"]["report"]["verdict"] == "high"
    expect(frame.get_by_test_id("verdict")).to_be_hidden()  # nothing asked to show it

    # A sibling frame of another origin asks for itself: the answer goes to it, not to the parent.
    spy = next(f for f in page.frames if f.url.endswith("/spy.html"))
    spy.evaluate("(text) => ask(text, 'spy-1')", SCAM)
    spy.wait_for_function("got.some((m) => m && m.id === 'spy-1')")
    page.wait_for_timeout(500)
    assert all(m["data"].get("id") != "spy-1" for m in results(page))

    # What the user types inside the frame is not posted to a parent the deployment has not allowed.
    frame.get_by_test_id("input").fill(TYPED_SECRET)
    frame.get_by_test_id("check").click()
    expect(frame.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    page.wait_for_timeout(1000)
    seen = json.dumps(page.evaluate("got"), ensure_ascii=False) + json.dumps(spy.evaluate("got"), ensure_ascii=False)
    assert "739264" not in seen and "王局长" not in seen, "typed text reached the parent or the spy"
    assert all(m["data"].get("trigger") != "user" for m in results(page))
    context.close()


def test_an_allowed_parent_receives_the_users_own_result(
    browser: Browser, site_url: str, other_origin: tuple[str, dict[str, str]]
) -> None:
    context = browser.new_context(service_workers="block")
    page = embedding_parent(context, site_url, other_origin, allowed=[other_origin[0]])
    frame = page.frame_locator("#fanzha")
    frame.get_by_test_id("input").fill(TYPED_SECRET)
    frame.get_by_test_id("check").click()
    page.wait_for_function("got.some((m) => m.data && m.data.trigger === 'user')")
    mine = [m for m in results(page) if m["data"].get("trigger") == "user"]
    assert mine[-1]["data"]["report"]["verdict"] == "high"
    context.close()
