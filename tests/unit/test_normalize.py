from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.normalize import fold

FOLDS = [
    # (pasted, folded, why)
    ("转 账", "转账", "a space between Chinese characters"),
    ("安-全-账-户", "安全账户", "dashes between characters"),
    ("安\u200b全\u200d账户", "安全账户", "zero-width characters"),
    ("加ＶＸ：ａｂｃ１２３", "加微信:abc123", "full-width letters and colon"),
    ("加V信", "加微信", "V信 homophone"),
    ("薇信转帐", "微信转账", "薇信 and 帐"),
    ("zfb付款", "支付宝付款", "zfb abbreviation"),
    ("发yzm给我", "发验证码给我", "yzm abbreviation"),
    ("无抵押带款", "无抵押贷款", "带款 homophone"),
    ("扣扣号", "qq号", "扣扣"),
    ("wxyz", "wxyz", "wx inside a longer ASCII word is left alone"),
    ("你好。我是", "你好。我是", "sentence punctuation stays"),
]


@pytest.mark.parametrize(("pasted", "folded", "why"), FOLDS, ids=[f[2] for f in FOLDS])
def test_fold(pasted: str, folded: str, why: str) -> None:
    assert fold(pasted).text == folded


def test_spans_map_back_to_the_original() -> None:
    text = "请把钱转到 安-全-账-户 里"
    f = fold(text)
    i = f.text.index("安全账户")
    a, b = f.original_span(i, i + 4)
    assert text[a:b] == "安-全-账-户"


def test_substitute_maps_to_whole_source() -> None:
    text = "加V信聊"
    f = fold(text)
    i = f.text.index("微信")
    a, b = f.original_span(i, i + 2)
    assert text[a:b] == "V信"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_never_raises_and_maps_every_char(text: str) -> None:
    f = fold(text)
    assert len(f.starts) == len(f.ends) == len(f.text)
    for a, b in zip(f.starts, f.ends, strict=True):
        assert 0 <= a < b <= len(text)
