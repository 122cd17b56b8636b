"""The screenshot fixtures of tests/screens (issue 14) are what their truth says: the chats are well formed,
their transcript reads right in the engine's parser, and every chat renders in every style at the phone's
pixel size, in overlapping shots that cover it, with each bubble the colour of its side."""

from __future__ import annotations

import importlib
import io
import json
import re
import sys
from collections.abc import Iterator
from itertools import pairwise
from types import ModuleType

import pytest
from conftest import ROOT
from PIL import Image
from playwright.sync_api import Browser, Page

from fanzha.normalize import fold
from fanzha.transcript import split_messages

SIDES = {"them", "me", "time", "system"}
# What a common Chinese OCR dictionary reads: common hanzi, printable ASCII, the full-width punctuation used.
READABLE = re.compile(r"[\u4e00-\u9fa5\x20-\x7e，。？！：；“”（）¥【】]+")
# Bubble fill per style and side, sampled just inside a bubble's left edge (in its padding).
BUBBLE_RGB = {
    "wechat_light": {"them": (255, 255, 255), "me": (0x95, 0xEC, 0x69)},
    "wechat_dark": {"them": (0x2C, 0x2C, 0x2C), "me": (0x3E, 0xB5, 0x75)},
    "qq": {"them": (255, 255, 255), "me": (0x12, 0xB7, 0xF5)},
    "sms": {"them": (0xE9, 0xE9, 0xEB), "me": (0x1A, 0x73, 0xE8)},
}


def load_screens() -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("tests.screens.render")


screens = load_screens()
CHATS = screens.load_chats()


@pytest.fixture(scope="module")
def phone2(browser: Browser) -> Iterator[Page]:
    with screens.phone_page(browser, scale=2) as page:
        yield page


@pytest.fixture(scope="module")
def phone3(browser: Browser) -> Iterator[Page]:
    with screens.phone_page(browser, scale=3) as page:
        yield page


def test_chats_are_well_formed() -> None:
    schema = json.loads((ROOT / "rules" / "schema.json").read_text(encoding="utf-8"))
    categories = set(schema["$defs"]["category"]["enum"])
    assert 20 <= len(CHATS) <= 30
    assert len({c["id"] for c in CHATS}) == len(CHATS)
    assert {c["label"] for c in CHATS} == {"scam", "benign"}
    assert sum(len(c["lines"]) >= 15 for c in CHATS) >= 5, "long chats are needed for scrolling screenshots"
    for chat in CHATS:
        assert chat["style"] in screens.STYLES and chat["category"] in categories, chat["id"]
        assert READABLE.fullmatch(chat["title"]), chat["id"]
        for line in chat["lines"]:
            assert line["side"] in SIDES and READABLE.fullmatch(line["text"]), (chat["id"], line)


@pytest.mark.parametrize("chat", CHATS, ids=[c["id"] for c in CHATS])
def test_truth_transcript_reads_as_its_speakers(chat: dict) -> None:
    """The engine's parser gives each bubble its side's speaker, skips times and gives notices no speaker."""
    messages = split_messages(fold(screens.truth_transcript(chat)).text)
    said = [line for line in chat["lines"] if line["side"] != "time"]
    expected = {"them": "对方", "me": "我", "system": None}
    assert [m.speaker for m in messages] == [expected[line["side"]] for line in said]
    if not re.search(r"[\d\s]", chat["title"]):  # a name, not an SMS number: it may stand for 对方
        messages = split_messages(fold(screens.truth_transcript(chat, other=chat["title"])).text)
        assert {m.speaker for m in messages} - {None, "我"} == {chat["title"]}


def pixel(image: Image.Image, box: tuple[int, int, int, int], scale: int) -> tuple[int, int, int]:
    x, y, _, h = box
    return image.getpixel((x + 5 * scale, y + h // 2))[:3]


def check_shots(chat: dict, style: str, shots: list, scale: int) -> None:
    """Pixel size, coverage, overlap and bubble colours of one chat's shots."""
    seen = set()
    for before, after in pairwise(shots):
        assert set(before.line_indexes) & set(after.line_indexes), f"{chat['id']} {style}: shots do not overlap"
    for shot in shots:
        image = Image.open(io.BytesIO(shot.image))
        assert image.size == shot.size == (390 * scale, 844 * scale)
        seen |= set(shot.line_indexes)
        for i in shot.line_indexes:
            side = chat["lines"][i]["side"]
            if side in ("them", "me"):
                got, want = pixel(image.convert("RGB"), shot.boxes[i], scale), BUBBLE_RGB[style][side]
                assert max(abs(a - b) for a, b in zip(got, want, strict=True)) <= 3, (chat["id"], style, i, got)
    assert seen == set(range(len(chat["lines"]))), f"{chat['id']} {style}: lines not in any shot"


@pytest.mark.parametrize("style", ["wechat_light", "wechat_dark", "qq", "sms"])
def test_every_chat_renders_in_every_style(phone2: Page, style: str) -> None:
    for chat in CHATS:
        check_shots(chat, style, screens.render(phone2, chat, style), scale=2)


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_long_chat_at_scale_3_in_two_and_three_shots(phone3: Page, fmt: str) -> None:
    for count, chat_id in ((2, "reimbursement_colleague"), (3, "leader_new_wechat")):
        chat = next(c for c in CHATS if c["id"] == chat_id)
        shots = screens.render(phone3, chat, "wechat_light", fmt=fmt, shots=count)
        assert len(shots) == count and {s.mime for s in shots} == {f"image/{fmt}"}
        assert all(s.image.startswith(b"\x89PNG" if fmt == "png" else b"\xff\xd8") for s in shots)
        if fmt == "png":
            check_shots(chat, "wechat_light", shots, scale=3)
        else:
            assert {Image.open(io.BytesIO(s.image)).size for s in shots} == {(1170, 2532)}


def test_a_short_chat_is_one_shot(phone2: Page) -> None:
    chat = next(c for c in CHATS if c["id"] == "family_transfer")
    shots = screens.render(phone2, chat, "wechat_light", shots=3)
    assert len(shots) == 1 and shots[0].line_indexes == tuple(range(len(chat["lines"])))
