"""jieba with the domain lexicon keeps fraud terms whole, so token rules and near() see them."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

import fanzha
from fanzha.jieba_data import build_emission, build_prefix_dict, install_prefix_dict, lazy_emission
from fanzha.segment import lexicon_counts, tokenize

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


# --- the browser's prebuilt, lazily loaded prefix dictionary (jieba_data.build_prefix_dict) ---

DICT_TXT = Path(jieba.__file__).with_name("dict.txt")


@pytest.fixture(scope="module")
def prefix_dict() -> bytes:
    return build_prefix_dict(DICT_TXT.read_bytes())


def lazy_tokenizer(data: bytes) -> tuple[jieba.Tokenizer, object]:
    tokenizer = jieba.Tokenizer()
    return tokenizer, install_prefix_dict(data, tokenizer)


def test_the_prebuilt_dictionary_holds_what_jieba_itself_builds(prefix_dict: bytes) -> None:
    tokenizer, ensure = lazy_tokenizer(prefix_dict)
    with DICT_TXT.open("rb") as f:
        expected, total = jieba.Tokenizer.gen_pfdict(f)
    ensure("".join({word[0] for word in expected}))
    assert tokenizer.FREQ == expected
    assert tokenizer.total == total


def test_the_dictionary_loads_only_the_first_characters_a_text_needs(prefix_dict: bytes) -> None:
    tokenizer, _ = lazy_tokenizer(prefix_dict)
    assert tokenizer.FREQ == {}
    tokenizer.lcut("转账")
    assert tokenizer.FREQ and {word[0] for word in tokenizer.FREQ} <= {"转", "账"}
    assert "转账" in tokenizer.FREQ


@pytest.mark.parametrize("counted", [False, True], ids=["suggested", "counts-from-build"])
def test_lazy_loading_segments_exactly_like_jieba(prefix_dict: bytes, counted: bool) -> None:
    """Every rule example, with and without HMM and with the lexicon added, cut the same both ways.

    counted: the lazy side adds the lexicon with the counts the build works out (as the page does),
    before the dictionary of their characters is loaded; the eager side lets jieba suggest them."""
    ruleset = fanzha.active_rules()
    texts = [t for rule in ruleset.rules for examples in rule.examples.values() for t in examples]
    counts = lexicon_counts(ruleset.lexicon) if counted else {}
    eager = jieba.Tokenizer()
    eager.initialize()
    lazy, _ = lazy_tokenizer(prefix_dict)
    for word in ruleset.lexicon[:40]:  # some words before any text is cut, the rest after
        eager.add_word(word)
        lazy.add_word(word, counts.get(word))
    if counted:
        assert lazy.FREQ.keys() <= {w[:i] for w in ruleset.lexicon for i in range(1, len(w) + 1)}, (
            "adding counted words loaded dictionary words"
        )
    assert [lazy.lcut(t) for t in texts[:200]] == [eager.lcut(t) for t in texts[:200]]
    for word in ruleset.lexicon[40:]:
        eager.add_word(word)
        lazy.add_word(word, counts.get(word))
    for hmm in (True, False):
        assert [lazy.lcut(t, HMM=hmm) for t in texts] == [eager.lcut(t, HMM=hmm) for t in texts]
    assert lazy.total == eager.total
    assert all(lazy.FREQ[w] == eager.FREQ[w] for w in ruleset.lexicon)


def test_a_word_added_before_its_first_character_loaded_keeps_its_count(prefix_dict: bytes) -> None:
    lazy, _ = lazy_tokenizer(prefix_dict)
    lazy.add_word("转账", 99)  # 转's dictionary words load first, so they cannot overwrite it later
    lazy.lcut("先转账，再转给他")
    assert lazy.FREQ["转账"] == 99
    assert lazy.FREQ["转给"] > 0, "the dictionary's own words of 转 are there too"


# --- the browser's HMM emission table, loaded by character (jieba_data.build_emission / lazy_emission) ---


def test_the_lazy_hmm_table_finds_unknown_words_exactly_like_jiebas_own() -> None:
    """finalseg's Viterbi over every Han block of every rule example (and names jieba does not know),
    with the table loaded character by character, against jieba's full table."""
    from jieba import finalseg

    table, ensure = lazy_emission(build_emission(finalseg.emit_P))
    assert not any(table.values()), "nothing is loaded before a text asks"
    ruleset = fanzha.active_rules()
    texts = [t for rule in ruleset.rules for examples in rule.examples.values() for t in examples]
    texts.append("王晓红说她表哥邓佳睿在鄂尔多斯开了家汽修厂")
    blocks = [b for t in texts for b in finalseg.re_han.split(t) if b and finalseg.re_han.match(b)]
    assert len(blocks) > 500
    full = (finalseg.start_P, finalseg.trans_P)
    for block in blocks:
        ensure(block)
        assert finalseg.viterbi(block, "BMES", *full, table) == finalseg.viterbi(block, "BMES", *full, finalseg.emit_P)
    loaded = set().union(*table.values())
    assert loaded <= set("".join(blocks)), "only the characters the texts hold"
    assert all(table[s][c] == finalseg.emit_P[s][c] for s in table for c in table[s])
    assert all(c not in table[s] for s in table for c in loaded if c not in finalseg.emit_P[s])
