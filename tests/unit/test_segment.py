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


def test_token_index_counts_words_not_characters() -> None:
    tokens = tokenize("请把钱转到安全账户")
    assert tokens.index_at(len("请把钱转到")) == tokens.index_at(len("请把钱转到安全账户") - 1)
