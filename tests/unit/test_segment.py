"""jieba with the domain lexicon keeps fraud terms whole, so token rules and near() see them."""

from __future__ import annotations

import jieba
import pytest

import fanzha
from fanzha.segment import tokenize

fanzha.active_rules()  # loading rules teaches jieba the lexicon


@pytest.mark.parametrize("term", ["刷流水", "解冻金", "安全账户", "屏幕共享", "百万保障", "连单", "卡单", "保证金"])
def test_fraud_terms_stay_whole(term: str) -> None:
    text = f"对方说要先弄{term}才能继续"
    assert term in jieba.lcut(text)
    tokens = tokenize(text)
    start = text.index(term)
    assert tokens.is_aligned(start, start + len(term))


def test_distance_counts_words_not_characters() -> None:
    text = "请把钱转到安全账户里"
    tokens = tokenize(text)
    assert tokens.distance(text.index("安全账户"), text.index("里"), 5) == 1
    assert tokens.distance(0, len(text), 2) == 3, "over the limit reads as limit + 1"


def test_a_token_signal_word_inside_a_longer_word_is_not_aligned() -> None:
    text = "请提供信用卡单号"
    assert not tokenize(text).is_aligned(text.index("卡单"), text.index("卡单") + 2)
