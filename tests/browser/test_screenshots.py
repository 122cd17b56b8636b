"""Chat screenshots read on the device (issue 14): drawn by tests/screens in Chromium, read by the page's OCR
worker, put in the text box with who said what, and checked. The picture never leaves the page."""

from __future__ import annotations

import base64
import difflib
import importlib
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterator

import pytest
from conftest import CACHE_NAMES, ENGINE_TIMEOUT_MS, ROOT, embedding_parent, open_ready, poll
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

import fanzha

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
screens = importlib.import_module("tests.screens.render")

OCR_TIMEOUT_MS = 180_000  # the first read downloads 17 MB of tools and starts them, on a busy 2-core machine
CHATS = {c["id"]: c for c in screens.load_chats()}


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def shots_of(browser: Browser, chat_id: str, style: str, scale: int = 2, fmt: str = "png") -> list:
    with screens.phone_page(browser, scale=scale) as phone:
        return screens.render(phone, CHATS[chat_id], style, fmt=fmt)


def files(shots: list) -> list[dict]:
    ext = {"image/png": "png", "image/jpeg": "jpg"}
    return [{"name": f"shot{i}.{ext[s.mime]}", "mimeType": s.mime, "buffer": s.image} for i, s in enumerate(shots)]


def read(page: Page, shots: list) -> str:
    """Chooses the screenshots in the picker, as a user does; returns the text box once they are read."""
    page.get_by_test_id("image").set_input_files(files(shots))
    expect(page.get_by_test_id("image-status")).to_have_attribute("data-state", "done", timeout=OCR_TIMEOUT_MS)
    return page.get_by_test_id("input").input_value()


def said(transcript: str) -> list[tuple[str, str]]:
    """(side, text) of each message line: 我 for the user, 对方 for anyone else."""
    out = []
    for line in transcript.splitlines():
        name, sep, text = line.partition("：")
        if sep and not line.startswith("（系统提示）"):
            out.append(("我" if name == "我" else "对方", norm(text)))
    return out


def truth(chat_id: str) -> list[tuple[str, str]]:
    side = {"them": "对方", "me": "我"}
    return [(side[x["side"]], norm(x["text"])) for x in CHATS[chat_id]["lines"] if x["side"] in side]


def assert_reads_as(transcript: str, chat_id: str) -> None:
    """Every message once, in order, on its side, its text as shown but for a rare misread character
    (bench/ocr.py measures how rare: character accuracy over all the fixtures)."""
    got, want = said(transcript), truth(chat_id)
    assert [s for s, _ in got] == [s for s, _ in want], transcript
    for (_, a), (_, b) in zip(got, want, strict=True):
        assert difflib.SequenceMatcher(None, a, b).ratio() >= 0.9, (a, b)


REQUESTS: list[Request] = []  # every request of the module's context, from its first page on


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    ctx.on("request", lambda request: REQUESTS.append(request))  # the page's, and its workers' fetches
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def page(context: BrowserContext, site_url: str) -> Iterator[Page]:
    """One page for the module: the OCR tools download and start once."""
    page = open_ready(context, site_url)
    yield page
    page.close()


def test_scrolling_screenshots_of_a_chat_become_one_transcript_with_speakers(page: Page, browser: Browser) -> None:
    shots = shots_of(browser, "leader_new_wechat", "wechat_light", scale=3)
    assert len(shots) == 3
    page.evaluate("""() => {
      window.__statuses = [];
      const status = document.querySelector("[data-testid=image-status]");
      new MutationObserver(() => __statuses.push(status.textContent))
        .observe(status, { childList: true, characterData: true, subtree: true });
    }""")
    transcript = read(page, shots)
    statuses = page.evaluate("() => window.__statuses")

    # Each message once, in order, on its side: the overlaps of the three screenshots are not repeated.
    assert_reads_as(transcript, "leader_new_wechat")
    assert "王局长：" in transcript  # the title bar's name stands for the other side
    assert re.search(r"^昨天 ?14:32$", transcript, re.M) and "（系统提示）你已添加了王局长" in transcript
    # The first use says how much of the tools has arrived, in plain words.
    assert any(re.search(r"下载识别工具 \d+\.\d / \d+\.\d MB", s) for s in statuses), statuses
    # Then it is checked at once, and the highlights point into the text as read.
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    expect(page.get_by_test_id("marked")).to_contain_text("新换的微信")
    expect(page.get_by_test_id("entities")).to_contain_text("6222021234567890123")  # every digit read
    expect(page.get_by_test_id("entities")).to_contain_text("中国农业银行杭州西湖支行")


@pytest.mark.parametrize(
    ("chat_id", "style", "scale", "fmt"),
    [
        ("game_account_trade", "wechat_dark", 2, "jpeg"),
        ("leader_secretary_qq", "qq", 3, "jpeg"),
        ("courier_claim_sms", "sms", 2, "png"),
        ("family_transfer", "wechat_light", 2, "jpeg"),
    ],
)
def test_each_style_reads_as_its_true_text(
    page: Page, browser: Browser, chat_id: str, style: str, scale: int, fmt: str
) -> None:
    """Dark mode, QQ and SMS screens, PNG and JPEG: the same speakers, and the same verdict as the true text."""
    page.get_by_test_id("clear").click()
    transcript = read(page, shots_of(browser, chat_id, style, scale, fmt))
    assert_reads_as(transcript, chat_id)
    expected = fanzha.check(screens.truth_transcript(CHATS[chat_id])).verdict
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", expected)
    if CHATS[chat_id]["label"] == "benign":
        assert expected in ("none", "low")


def test_a_tall_scrolling_screenshot_is_read_whole(page: Page, browser: Browser) -> None:
    """A phone's 滚动截屏 is several screens tall: read in overlapping tiles, every message once, the title
    bar's name for the other side throughout."""
    with screens.phone_page(browser, scale=3) as phone:
        tall = screens.long_screenshot(phone, CHATS["police_safe_account"], "wechat_light")
    assert tall.size[1] > 3 * tall.size[0]  # more than a phone screen: it needs tiling
    page.get_by_test_id("clear").click()
    transcript = read(page, [tall])
    assert_reads_as(transcript, "police_safe_account")
    assert not re.search(r"^对方：", transcript, re.M), transcript  # 张警官 all through, not only on the first tile
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")


def test_a_link_and_an_account_come_out_exactly_as_shown(page: Page, browser: Browser) -> None:
    page.get_by_test_id("clear").click()
    read(page, shots_of(browser, "refund_customer_service", "wechat_light"))
    expect(page.get_by_test_id("entities")).to_contain_text("http://t.cn/A6xYz9Q")  # case kept


def test_a_picture_with_no_text_says_so_and_the_box_keeps_working(page: Page) -> None:
    blank = io.BytesIO()
    Image.new("RGB", (390, 844), "white").save(blank, "PNG")
    page.get_by_test_id("input").fill("我：你好")
    page.get_by_test_id("image").set_input_files(
        [{"name": "blank.png", "mimeType": "image/png", "buffer": blank.getvalue()}]
    )
    status = page.get_by_test_id("image-status")
    expect(status).to_have_attribute("data-state", "failed", timeout=OCR_TIMEOUT_MS)
    expect(status).to_contain_text("没有找到文字")
    expect(page.get_by_test_id("input")).to_have_value("我：你好")  # what was there is kept


def test_a_pasted_or_dropped_picture_is_read(page: Page, browser: Browser) -> None:
    shot = shots_of(browser, "family_transfer", "wechat_light")[0]
    for event in ("paste", "drop"):
        page.get_by_test_id("clear").click()
        page.evaluate(
            """([data, kind]) => {
              const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], "shot.png", { type: "image/png" }));
              const box = document.querySelector("[data-testid=input]");
              const init = { bubbles: true, cancelable: true };
              box.dispatchEvent(kind === "paste" ? new ClipboardEvent("paste", { ...init, clipboardData: transfer })
                                                 : new DragEvent("drop", { ...init, dataTransfer: transfer }));
            }""",
            [base64.b64encode(shot.image).decode(), event],
        )
        expect(page.get_by_test_id("input")).to_have_value(re.compile("我：没事，过年我回家"), timeout=OCR_TIMEOUT_MS)


def test_the_picture_never_leaves_and_is_never_kept(
    context: BrowserContext, page: Page, browser: Browser, site_url: str
) -> None:
    page.get_by_test_id("clear").click()
    transcript = read(page, shots_of(browser, "police_sms_warrant", "sms"))
    page.wait_for_timeout(500)
    # Since the page opened: its start, the OCR tools' first download and every screenshot read so far.
    seen = list(REQUESTS)
    assert any(r.url.endswith("/ocr/models/rec.onnx") for r in seen), "the OCR download was recorded"
    assert all(r.method == "GET" and r.url.startswith(site_url) and not r.post_data_buffer for r in seen), [
        (r.method, r.url) for r in seen
    ]
    assert not [r.url for r in seen if r.url.startswith(("blob:", "data:"))]
    marker = said(transcript)[0][1][:12]
    kept = page.evaluate(
        """async () => {
          const out = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              const response = await cache.match(request);
              const type = response.headers.get("content-type") || "";
              const small = Number(response.headers.get("content-length") || 0) < 2000000;
              const body = small && type.startsWith("text") ? await response.text() : "";
              out.push({ name, url: request.url, type, body });
            }
          }
          return { caches: out, idb: (await indexedDB.databases()).length, local: localStorage.length };
        }"""
    )
    assert kept["idb"] == 0 and kept["local"] == 0
    assert not [e for e in kept["caches"] if e["type"].startswith("image/") or not e["url"].startswith(site_url)]
    assert not [e["url"] for e in kept["caches"] if marker in norm(e["body"])], "text read from a screenshot was kept"


def test_the_first_visit_downloads_no_screenshot_tools(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    urls: list[str] = []
    context.on("request", lambda r: urls.append(r.url))
    page = open_ready(context, site_url)
    page.wait_for_timeout(1000)
    context.close()
    assert not [u for u in urls if "/ocr/" in u], "screenshot reading is loaded only when used"


def test_screenshots_read_offline_after_the_first_use(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    try:
        page = open_ready(context, site_url)
        poll(page, "async () => Boolean(navigator.serviceWorker.controller)", what="the service worker in control")
        read(page, shots_of(browser, "family_transfer", "wechat_light"))
        # The tools were kept as they arrived: the code by the service worker, the models and the runtime
        # by the OCR worker once it had checked them. Offline, a reload reads the next screenshot as well.
        kept = """async ([prefix, min]) => {
          const names = (await caches.keys()).filter((n) => n.startsWith(prefix));
          return names.length === 1 && (await (await caches.open(names[0])).keys()).length >= min;
        }"""
        poll(page, kept, [CACHE_NAMES["on_use"], 6], what="the screenshot code kept for offline use")
        poll(page, kept, [CACHE_NAMES["ocr_tools"], 4], what="the screenshot models kept for offline use")
        context.set_offline(True)
        page.reload()
        expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
        transcript = read(page, shots_of(browser, "roommate_split_bill", "wechat_light"))
        assert_reads_as(transcript, "roommate_split_bill")
    finally:
        context.close()


def test_a_damaged_kept_model_is_downloaded_again(browser: Browser, site_url: str) -> None:
    """A kept copy that is not this build's bytes (a disk error, a half-written entry) is never loaded: the
    worker drops it and downloads the file again, so screenshots do not stay broken on that device."""
    context = browser.new_context()
    try:
        page = open_ready(context, site_url)
        read(page, shots_of(browser, "family_transfer", "wechat_light"))
        kept = """async (prefix) => (await caches.keys()).find((n) => n.startsWith(prefix))"""
        name = poll(page, kept, CACHE_NAMES["ocr_tools"], what="the screenshot models kept")
        keys_url = site_url + "ocr/models/keys.txt"
        size = """async ([name, url]) => {
          const response = await (await caches.open(name)).match(url);
          return response ? (await response.arrayBuffer()).byteLength : 0;
        }"""
        good = poll(page, size, [name, keys_url], what="the dictionary kept")
        page.evaluate(
            "async ([name, url]) => (await caches.open(name)).put(url, new Response('一\\n二\\n'))", [name, keys_url]
        )
        assert page.evaluate(size, [name, keys_url]) < good
        page.reload()
        expect(page.get_by_test_id("status")).to_have_text("准备好了", timeout=ENGINE_TIMEOUT_MS)
        assert_reads_as(read(page, shots_of(browser, "roommate_split_bill", "wechat_light")), "roommate_split_bill")
        poll(page, f"async (args) => ({size})(args).then((n) => n === {good})", [name, keys_url],
             what="the damaged dictionary replaced by a good copy")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("Object.defineProperty(WebAssembly, 'validate', { value: () => false });", "SIMD"),
        ("Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5 });", "内存不够"),
        ("", "没能下载"),
    ],
    ids=["no-simd", "little-memory", "download-failed"],
)
def test_when_screenshots_cannot_be_read_the_page_says_why(
    browser: Browser, site_url: str, setup: str, expected: str
) -> None:
    context = browser.new_context(service_workers="block")
    try:
        if setup:
            context.add_init_script(setup)
        else:
            context.route(re.compile(r".*/ocr/models/rec\.onnx$"), lambda route: route.abort())
        page = open_ready(context, site_url)
        shot = shots_of(browser, "family_transfer", "wechat_light")
        page.get_by_test_id("image").set_input_files(files(shot))
        status = page.get_by_test_id("image-status")
        expect(status).to_have_attribute("data-state", "failed", timeout=OCR_TIMEOUT_MS)
        expect(status).to_contain_text(expected)
        # The text box still works.
        page.get_by_test_id("input").fill("对方：我是你领导，这是我新换的微信，先帮我转两万给合作方")
        page.get_by_test_id("check").click()
        expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "high")
    finally:
        context.close()


def test_a_parent_page_sends_a_screenshot_and_gets_the_result(
    browser: Browser, site_url: str, other_origin: tuple[str, dict[str, str]]
) -> None:
    context = browser.new_context(service_workers="block")
    try:
        parent = embedding_parent(context, site_url, other_origin)
        shot = shots_of(browser, "leader_secretary_qq", "wechat_light")[0]
        parent.evaluate(
            """(data) => {
              const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
              send({ type: "fanzha:check-image", image: bytes.buffer, id: "s1" });
            }""",
            base64.b64encode(shot.image).decode(),
        )
        got = poll(parent, "() => got.find((m) => m.data.id === 's1')", what="the result message")
        assert got["data"]["type"] == "fanzha:result" and got["data"]["report"]["verdict"] == "high"
        assert_reads_as(got["data"]["text"], "leader_secretary_qq")
    finally:
        context.close()


@pytest.mark.parametrize("allowed", [None, True], ids=["default", "turned-on"])
def test_a_kiosk_reads_screenshots_only_when_the_deployment_allows(browser: Browser, site_url: str,
                                                                   allowed: bool | None) -> None:
    """A kiosk is a shared device: off unless config.json's kiosk_screenshots turns it on."""
    context = browser.new_context(service_workers="block")
    try:
        if allowed is not None:
            body = json.dumps({"kiosk_screenshots": allowed})
            context.route(site_url + "config.json", lambda route: route.fulfill(body=body, content_type="text/json"))
        page = open_ready(context, site_url + "?mode=kiosk")
        page.get_by_test_id("tab-check").click()
        if allowed:
            expect(page.locator("#image-block")).to_be_visible()
        else:
            page.wait_for_timeout(500)  # config.json has been read by then
            expect(page.locator("#image-block")).to_be_hidden()
    finally:
        context.close()
