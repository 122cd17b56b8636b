"""Stage 3: jieba segmentation with the domain lexicon, so fraud terms stay whole.

In the browser jieba's dictionary and HMM table load as texts need them (``fanzha.jieba_data``, installed
by ``fanzha.speedups`` before this module imports jieba); segmentation is the same as CPython's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import jieba

from .conditions import MAX_CHARS_PER_WORD

jieba.setLogLevel(logging.WARNING)
_lexicon_loaded: set[str] = set()


def add_lexicon(words: Iterable[str], counts: Mapping[str, int] | None = None) -> None:
    """Teach jieba the domain words (刷流水, 安全账户, …). Idempotent across rule reloads.

    counts: each word's count as jieba would suggest it (``lexicon_counts``, worked out at build time).
    Suggesting one segments the word, which in the browser loads the dictionary of its characters.
    """
    new = sorted(set(words) - _lexicon_loaded)
    if not new:
        return
    jieba.initialize()
    counts = counts or {}
    for word in new:
        # jieba suggests a frequency just high enough to keep the term whole; a fixed high one would
        # also split ordinary words around it (信用卡单号 -> 信用/卡单/号).
        jieba.add_word(word, counts.get(word))
    _lexicon_loaded.update(new)


def lexicon_counts(words: Iterable[str]) -> dict[str, int]:
    """The count add_lexicon gives each word when jieba has only its own dictionary (the page's case)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    counts = {}
    for word in sorted(set(words)):  # add_lexicon's order: each added word changes the next suggestion
        tokenizer.add_word(word)
        counts[word] = tokenizer.FREQ[word]
    return counts













WINDOW = 8  # characters of context each side when checking a word's boundaries


class Tokens:
    """Word boundaries of a text from jieba, segmented locally and only where a rule asks.

    A check needs boundaries in two places: a token signal that matched (is it a whole word here,
    or part of a longer one: 卡单 in 系统卡单了 but not in 信用卡单号?) and near() (how many words
    apart are two hits?). Both look at a few characters, so jieba runs on those snippets, not on the
    whole paste: a long chat costs a few small segmentations instead of one large one.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._bounds: dict[tuple[int, int], frozenset[int]] = {}

    def _boundaries(self, a: int, b: int) -> frozenset[int]:
        key = (a, b)
        if key not in self._bounds:
            cuts = {a, b}
            for _word, s, e in jieba.tokenize(self.text[a:b]):
                cuts.update((a + s, a + e))
            self._bounds[key] = frozenset(cuts)
        return self._bounds[key]

    def is_aligned(self, start: int, end: int) -> bool:
        """Does [start, end) sit on word boundaries, judged with a little context each side?"""
        a, b = max(0, start - WINDOW), min(len(self.text), end + WINDOW)
        bounds = self._boundaries(a, b)
        return (start == a or start in bounds) and (end == b or end in bounds)

    def distance(self, p: int, q: int, most: int) -> int:
        """How many words from position p to q (either order); anything over ``most`` is ``most + 1``."""
        lo, hi = min(p, q), max(p, q)
        if hi - lo > most * MAX_CHARS_PER_WORD:
            return most + 1
        if hi == lo:
            return 0
        return min(most + 1, len(self._boundaries(lo, hi)) - 1)


def tokenize(text: str) -> Tokens:
    return Tokens(text)
