"""Chat screenshots drawn in Chromium, with their ground truth, for the OCR tests and benchmark (issue 14).

A chat in ``chats.json`` has ``id``, ``style`` (its usual look), ``title`` (the other side's name or SMS
number in the title bar), ``label`` (scam or benign), ``category`` (a rules/schema.json category; for a benign
chat, the scam type it is shaped like) and ``lines``: ``{"side": "them"|"me"|"time"|"system", "text": ...}``,
a group chat's lines with the sender's ``name`` (shown above the bubble in ``qq``).

It is laid out as a phone screen 390x844 CSS px: status bar, title bar with the other side's name, the
scrolling chat body, an input bar. Styles: ``wechat_light``, ``wechat_dark``, ``qq``,
``sms``. A long chat is taken as 2-3 scrolling screenshots that overlap by at least one message, the title bar
on each, as a person takes them.

Ground truth is per line of the chat (``side`` is them, me, time or system). Each ``Shot`` lists the lines it
shows fully and their boxes in image pixels (the bubble for them/me, the text for time/system), so a test can
check both text and speaker colour. The chrome (status bar clock "9:41", title, input bar) is not a line.

The transcript the engine reads (``truth_transcript``), one line per chat line:

    昨天 14:32                       a time: as shown; fanzha.transcript skips it (TIME_LINE)
    （系统提示）你已添加了王局长，现在可以开始聊天了  a system notice: tagged, so it takes no speaker
    对方：小张，我是王局长……            the other side (``other=`` may put the title's name instead,
                                     where the parser takes it for one: not "95588", no spaces)
    我：好的王局，已经存了。             the user ("我" is in fanzha.transcript.USER_NAMES)

A bubble is one line however it wraps on screen. A system notice carries fanzha.transcript's tag (as
web/ocr/layout.js writes it), so it neither takes nor changes a speaker wherever it sits.

Long card numbers, phone numbers and links do not wrap inside a bubble, so their spaces are never lost at a
line break and the truth keeps them as written.

In a test: ``with phone_page(browser, scale=3) as page: shots = render(page, chat, "qq", fmt="jpeg")``.
From the shell (files <id>.<style>.<n>.png|jpg and truth.json):

    python -m tests.screens.render --out DIR [--style S|all] [--scale 2|3] [--fmt png|jpeg] [--shots N]
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import json
import math
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHATS = Path(__file__).with_name("chats.json")
STYLES = ("wechat_light", "wechat_dark", "qq", "sms")
WIDTH, HEIGHT = 390, 844
MAX_SHOTS = 3
# A next screenshot scrolls by at most this share of the chat body: people keep some context in view.
MAX_STEP = 0.8
SIDE_PREFIX = {"them": "对方", "me": "我"}
SYSTEM_TAG = "（系统提示）"  # fanzha.transcript.SYSTEM_NOTICE, as the screenshot reader writes notices
# The same browser as tests/browser/conftest.py (Debian's chromium; Playwright cannot download one here).
SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# Digit groups (cards, phones, amounts) and links: kept on one line in a bubble.
NO_WRAP = re.compile(r"https?://[\x21-\x7e]+|[A-Za-z]*\d[\d ,.\-:%]*\d")


@dataclass(frozen=True)
class Shot:
    """One screenshot: the image and which chat lines it shows."""

    image: bytes
    mime: str
    size: tuple[int, int]  # image pixels (width, height)
    line_indexes: tuple[int, ...]  # lines shown fully, in order
    partial_indexes: tuple[int, ...] = ()  # lines cut by the top or bottom of the chat body
    # line index -> (x, y, width, height) in image pixels: the bubble, or the time/system text.
    boxes: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)


def load_chats(path: Path = CHATS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def truth_transcript(chat: dict, other: str = "对方") -> str:
    """The transcript the engine should get from the chat's screenshots (the form is in the docstring)."""
    out = []
    for line in chat["lines"]:
        side, text = line["side"], line["text"]
        name = other if side == "them" else SIDE_PREFIX.get(side)
        out.append(f"{name}：{text}" if name else SYSTEM_TAG + text if side == "system" else text)
    return "\n".join(out)


def truth(chat: dict) -> dict:
    """The chat's ground truth as JSON-ready data."""
    keys = ("id", "style", "title", "label", "category")
    return {**{k: chat[k] for k in keys}, "lines": chat["lines"], "transcript": truth_transcript(chat)}


# --- the page -----------------------------------------------------------------------------------------------

BASE_CSS = """
* { box-sizing: border-box; margin: 0; padding: 0; }
html, body { width: 390px; height: 844px; overflow: hidden; }
body { font-family: "Noto Sans CJK SC", sans-serif; background: var(--bg); color: var(--text);
  display: flex; flex-direction: column; -webkit-font-smoothing: antialiased; }
#status { height: 44px; flex: none; display: flex; align-items: center; justify-content: space-between;
  padding: 0 26px 0 34px; background: var(--bar); color: var(--title); font: 600 15px "Noto Sans CJK SC"; }
.icons { display: flex; align-items: flex-end; gap: 2px; }
.sig { width: 3px; background: var(--title); border-radius: 1px; }
.bat { margin-left: 6px; width: 24px; height: 12px; border: 1.5px solid var(--title); border-radius: 3px;
  padding: 1.5px; opacity: .9; }
.bat div { width: 70%; height: 100%; background: var(--title); border-radius: 1px; }
#title { height: 44px; flex: none; position: relative; display: flex; align-items: center;
  justify-content: center; background: var(--bar); border-bottom: 1px solid var(--line); }
#title .name { font-size: 17px; font-weight: 500; color: var(--title); }
.back { position: absolute; left: 18px; top: 15px; width: 12px; height: 12px;
  border-left: 2px solid var(--title); border-bottom: 2px solid var(--title); transform: rotate(45deg); }
.more { position: absolute; right: 16px; top: 20px; display: flex; gap: 3px; }
.more i { width: 4px; height: 4px; border-radius: 50%; background: var(--title); }
#body { flex: 1; overflow-y: scroll; padding: 6px 12px 14px; }
#body::-webkit-scrollbar { display: none; }
.row { display: flex; align-items: flex-start; margin: 14px 0; }
.row.me { flex-direction: row-reverse; }
.center { text-align: center; margin: 16px 24px; }
.center span { font-size: 13px; color: var(--muted); line-height: 1.5; }
.avatar { width: 40px; height: 40px; flex: none; border-radius: 4px; }
.col { display: flex; flex-direction: column; margin: 0 10px; max-width: 250px; }
.me .col { align-items: flex-end; }
.nick { font-size: 12px; color: var(--muted); margin: -2px 0 3px 2px; }
.bubble { position: relative; padding: 9px 12px; border-radius: 4px; font-size: 16px; line-height: 1.5;
  background: var(--them-bg); color: var(--them-text); overflow-wrap: anywhere; }
.me .bubble { background: var(--me-bg); color: var(--me-text); }
.bubble::before { content: ""; position: absolute; top: 13px; left: -5px; border: 6px solid transparent;
  border-left: 0; border-right-color: var(--them-bg); }
.me .bubble::before { left: auto; right: -5px; border: 6px solid transparent; border-right: 0;
  border-left-color: var(--me-bg); }
.nw { white-space: nowrap; }
#input { height: 90px; flex: none; background: var(--bar); border-top: 1px solid var(--line);
  display: flex; align-items: flex-start; gap: 10px; padding: 10px 12px 0; }
.circle { width: 30px; height: 30px; border-radius: 50%; border: 1.5px solid var(--title); flex: none;
  margin-top: 4px; opacity: .8; }
.field { flex: 1; height: 38px; border-radius: 6px; background: var(--field); }
"""

STYLE_CSS = {
    "wechat_light": """:root { --bg: #EDEDED; --bar: #EDEDED; --title: #191919; --text: #191919; --muted: #9A9A9A;
  --them-bg: #FFFFFF; --them-text: #191919; --me-bg: #95EC69; --me-text: #191919; --line: #DADADA;
  --field: #FFFFFF; }
#input { background: #F7F7F7; }""",
    "wechat_dark": """:root { --bg: #111111; --bar: #111111; --title: #D5D5D5; --text: #D5D5D5; --muted: #6F6F6F;
  --them-bg: #2C2C2C; --them-text: #D5D5D5; --me-bg: #3EB575; --me-text: #0F0F0F; --line: #222222;
  --field: #2C2C2C; }
#input { background: #1E1E1E; }""",
    "qq": """:root { --bg: #F1F2F6; --bar: #FFFFFF; --title: #111111; --text: #111111; --muted: #8E8E93;
  --them-bg: #FFFFFF; --them-text: #111111; --me-bg: #12B7F5; --me-text: #FFFFFF; --line: #E3E4E8;
  --field: #F1F2F6; }
.avatar { border-radius: 50%; }
.bubble { border-radius: 14px; padding: 9px 13px; }
.bubble::before { display: none; }""",
    "sms": """:root { --bg: #FFFFFF; --bar: #F8F8F8; --title: #111111; --text: #111111; --muted: #8E8E93;
  --them-bg: #E9E9EB; --them-text: #111111; --me-bg: #1A73E8; --me-text: #FFFFFF; --line: #E0E0E0;
  --field: #FFFFFF; }
.avatar { display: none; }
.col { max-width: 280px; margin: 0; }
.bubble { border-radius: 18px; padding: 8px 13px; }
.bubble::before { display: none; }
.row { margin: 6px 0; }
.center { margin: 18px 24px 8px; }
.center span { font-size: 12px; }
.field { border: 1px solid #D0D0D0; border-radius: 19px; }""",
}

AVATAR_COLOURS = ("#5B8FF9", "#F6BD16", "#E8684A", "#6DC8EC", "#9270CA", "#FF9D4D", "#269A99", "#FF99C3")


def _avatar(seed: str) -> str:
    """A plain picture-like square (two colours, no letters: OCR would read them)."""
    n = zlib.crc32(seed.encode())
    a, b = AVATAR_COLOURS[n % 8], AVATAR_COLOURS[(n + 1 + (n >> 3) % 7) % 8]  # two different colours
    return f'<div class="avatar" style="background: linear-gradient(135deg, {a} 0 55%, {b} 55%)"></div>'


def _bubble_html(text: str) -> str:
    """Escaped text with digit groups and links wrapped so they stay on one line."""
    out, pos = [], 0
    for m in NO_WRAP.finditer(text):
        out += [html.escape(text[pos : m.start()]), f'<span class="nw">{html.escape(m.group())}</span>']
        pos = m.end()
    return "".join([*out, html.escape(text[pos:])])


def _line_html(chat: dict, style: str, i: int, line: dict) -> str:
    side = line["side"]
    if side in ("time", "system"):
        return f'<div class="center" data-i="{i}"><span class="box">{html.escape(line["text"])}</span></div>'
    nick = ""
    if style == "qq" and side == "them":
        nick = f'<div class="nick">{html.escape(line.get("name", chat["title"]))}</div>'
    seed = "me" if side == "me" else line.get("name", chat["title"])
    bubble = f'<div class="bubble box">{_bubble_html(line["text"])}</div>'
    return f'<div class="row {side}" data-i="{i}">{_avatar(seed)}<div class="col">{nick}{bubble}</div></div>'


def chat_html(chat: dict, style: str) -> str:
    """The whole phone screen for a chat as one HTML document (no external requests)."""
    rows = "\n".join(_line_html(chat, style, i, line) for i, line in enumerate(chat["lines"]))
    bars = "".join(f'<div class="sig" style="height:{h}px"></div>' for h in (4, 6, 8, 10))
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>{BASE_CSS}{STYLE_CSS[style]}</style></head><body>
<div id="status"><span>9:41</span><div class="icons">{bars}<div class="bat"><div></div></div></div></div>
<div id="title"><div class="back"></div><span class="name">{html.escape(chat["title"])}</span>
<div class="more"><i></i><i></i><i></i></div></div>
<div id="body">{rows}</div>
<div id="input"><div class="circle"></div><div class="field"></div><div class="circle"></div>
<div class="circle"></div></div>
</body></html>"""


# --- rendering ----------------------------------------------------------------------------------------------

MEASURE_JS = """() => {
  const body = document.getElementById('body').getBoundingClientRect();
  return [...document.querySelectorAll('[data-i]')].map(row => {
    const r = row.getBoundingClientRect(), b = row.querySelector('.box').getBoundingClientRect();
    const inside = r.top >= body.top - 0.5 && r.bottom <= body.bottom + 0.5;
    const cut = !inside && r.bottom > body.top && r.top < body.bottom;
    return {i: +row.dataset.i, inside, cut, box: [b.left, b.top, b.width, b.height]};
  });
}"""


@contextmanager
def phone_page(browser: Browser, scale: int = 3) -> Iterator[Page]:
    """A page with a phone's viewport (390x844 CSS px) at the device scale; closed afterwards."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=scale)
    context.route("**/*", lambda route: route.abort())  # the screen is self-contained: no request leaves
    try:
        yield context.new_page()
    finally:
        context.close()


def _scroll_positions(page: Page, shots: int | None) -> list[int]:
    """Where the chat body is scrolled for each shot: top to bottom, evenly spaced."""
    top_max, view = page.evaluate(
        "() => { const b = document.getElementById('body'); return [b.scrollHeight - b.clientHeight, b.clientHeight]; }"
    )
    if top_max <= 0:
        return [0]
    count = shots or max(2, 1 + math.ceil(top_max / (MAX_STEP * view)))
    if count == 1:
        return [top_max]  # one screenshot of a long chat shows its latest messages
    return [round(top_max * k / (count - 1)) for k in range(count)]


def _shoot(page: Page, scroll_top: int, fmt: str, scale: float) -> Shot:
    page.evaluate("top => { document.getElementById('body').scrollTop = top; }", scroll_top)
    rows = page.evaluate(MEASURE_JS)
    kind = "jpeg" if fmt in ("jpg", "jpeg") else "png"
    image = page.screenshot(type=kind, quality=70 if kind == "jpeg" else None, animations="disabled")
    boxes = {r["i"]: tuple(round(v * scale) for v in r["box"]) for r in rows if r["inside"]}
    return Shot(
        image=image,
        mime=f"image/{kind}",
        size=(round(WIDTH * scale), round(HEIGHT * scale)),
        line_indexes=tuple(r["i"] for r in rows if r["inside"]),
        partial_indexes=tuple(r["i"] for r in rows if r["cut"]),
        boxes=boxes,
    )


def render(page: Page, chat: dict, style: str | None = None, fmt: str = "png", shots: int | None = None) -> list[Shot]:
    """Screenshots of a chat in a style (default: the chat's own) on a phone_page.

    shots: how many (1 to 3; 1 of a long chat shows its end); None: as few as scroll by at most MAX_STEP of
    the chat body each. A chat that fits one screen gives one shot whatever is asked. Raises ValueError if
    consecutive shots share no whole line, or there would be more than MAX_SHOTS.
    """
    style = style or chat["style"]
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r} (one of {', '.join(STYLES)})")
    page.set_content(chat_html(chat, style))
    page.evaluate("document.fonts.ready.then(() => true)")
    scale = page.evaluate("devicePixelRatio")
    result = [_shoot(page, top, fmt, scale) for top in _scroll_positions(page, shots)]
    if len(result) > MAX_SHOTS:
        raise ValueError(f"{chat['id']} needs {len(result)} screenshots in {style}; shorten it")
    for before, after in pairwise(result):
        if not set(before.line_indexes) & set(after.line_indexes):
            raise ValueError(f"{chat['id']}: {len(result)} screenshots in {style} do not overlap by a line")
    return result


def long_screenshot(page: Page, chat: dict, style: str | None = None, fmt: str = "png") -> Shot:
    """One tall screenshot of the whole chat, as a phone's scrolling screenshot (滚动截屏) makes: the page
    grows until the chat body needs no scrolling. Restores the phone's viewport afterwards."""
    style = style or chat["style"]
    page.set_content(chat_html(chat, style))
    page.evaluate("document.fonts.ready.then(() => true)")
    hidden = page.evaluate(
        "() => { const b = document.getElementById('body'); return b.scrollHeight - b.clientHeight; }"
    )
    tall = HEIGHT + max(0, hidden)
    page.set_viewport_size({"width": WIDTH, "height": tall})
    grow = "h => { for (const e of [document.documentElement, document.body]) e.style.height = h + 'px'; }"
    page.evaluate(grow, tall)
    try:
        scale = page.evaluate("devicePixelRatio")
        shot = _shoot(page, 0, fmt, scale)
        return dataclasses.replace(shot, size=(round(WIDTH * scale), round(tall * scale)))
    finally:
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})


# --- command line -------------------------------------------------------------------------------------------


def launch(playwright: Playwright) -> Browser:
    path = SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else None
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def write_all(browser: Browser, out: Path, styles: list[str | None], scale: int, fmt: str, shots: int | None) -> Path:
    """Every chat's shots in each style (None: the chat's own) as files <id>.<style>.<n>.<ext> in out, and
    truth.json: one entry per chat and style, with its lines, transcript and shots (file, lines, boxes)."""
    out.mkdir(parents=True, exist_ok=True)
    ext = "jpg" if fmt in ("jpg", "jpeg") else "png"
    entries = []
    with phone_page(browser, scale) as page:
        for style in styles:
            for chat in load_chats():
                chat_style = style or chat["style"]
                files = []
                for n, shot in enumerate(render(page, chat, chat_style, fmt, shots), 1):
                    name = f"{chat['id']}.{chat_style}.{n}.{ext}"
                    (out / name).write_bytes(shot.image)
                    boxes = {str(i): box for i, box in shot.boxes.items()}
                    files.append(
                        {
                            "file": name,
                            "mime": shot.mime,
                            "size": shot.size,
                            "line_indexes": shot.line_indexes,
                            "boxes": boxes,
                        }
                    )
                entries.append({**truth(chat), "style": chat_style, "scale": scale, "shots": files})
    path = out / "truth.json"
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render the chat fixtures as phone screenshots.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--style", choices=(*STYLES, "all"), help="one style, or all (default: each chat's own)")
    parser.add_argument("--scale", type=int, default=3, choices=(2, 3))
    parser.add_argument("--fmt", default="png", choices=("png", "jpeg"))
    parser.add_argument("--shots", type=int, choices=(1, 2, 3), help="shots per long chat (default: as needed)")
    args = parser.parse_args(argv)
    with sync_playwright() as p:
        browser = launch(p)
        styles = list(STYLES) if args.style == "all" else [args.style]
        path = write_all(browser, args.out, styles, args.scale, args.fmt, args.shots)
        browser.close()
    print(path)


if __name__ == "__main__":
    main()
