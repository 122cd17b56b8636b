"""Text written by criminals, or a paste gone wrong, must never raise, hang or break offsets.

The time bound is loose on purpose: it is not a benchmark (bench/engine.py is), it catches the
catastrophic cases (a regex that rescans a 100 KB run of digits took minutes before it was bounded).
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fanzha

HOSTILE = {
    "digits": "1" * 100_000,
    "spaced digits": "1 " * 50_000,
    "dotted": "1." * 50_000,
    "letters": "a" * 100_000,
    "url-ish": "www." + "a." * 50_000,
    "chinese numerals": "一" * 100_000,
    "speaker prefixes": "张三:" * 30_000,
    "newlines": "\n" * 100_000,
    "brackets": "【" * 100_000,
    "scam words": "安全账户转账验证码保证金" * 9_000,
    "zero width": "\u200b" * 100_000,
    "rtl and emoji": ("\u202e转账\U0001f4b0" * 25_000),
}
BOUND_S = 10.0


@pytest.mark.parametrize("name", list(HOSTILE))
def test_long_hostile_paste_is_answered_in_time(name: str) -> None:
    text = HOSTILE[name]
    t0 = time.perf_counter()
    report = fanzha.check(text)
    assert time.perf_counter() - t0 < BOUND_S
    assert report.notes, "a paste over the limit says how much was checked"
    for f in report.findings:
        for e in f.evidence:
            assert text[e.start:e.end] == e.text


UNICODE_SOUP = st.text(
    alphabet=st.one_of(
        st.characters(),  # anything, control characters and surrogates' neighbours included
        st.sampled_from(list("转账安全账户验证码领导截图没到账，。！？:：\n\u200b\u202e\u3000 ")),
    ),
    max_size=600,
)


@settings(max_examples=200, deadline=None)
@given(UNICODE_SOUP, st.integers(min_value=1, max_value=60))
def test_repeated_soup_never_raises(text: str, times: int) -> None:
    pasted = text * times
    report = fanzha.check(pasted).to_dict()
    assert report["verdict"] in ("high", "medium", "low", "none")
    for f in report["findings"]:
        for e in f["evidence"]:
            assert pasted[e["start"]:e["end"]] == e["text"]


def test_the_report_says_how_many_characters_it_read() -> None:
    """The page marks evidence only in what was read: it takes the number from checked_chars, not from the
    wording of a note."""
    long = fanzha.check("转账" * (fanzha.MAX_CHARS // 2 + 100)).to_dict()
    assert long["checked_chars"] == fanzha.MAX_CHARS and long["notes"]
    short = fanzha.check("你好，周末一起吃饭？").to_dict()
    assert short["checked_chars"] == len("你好，周末一起吃饭？") and "notes" not in short
