"""Stage 3: jieba segmentation with the domain lexicon, so fraud terms stay whole."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)
_lexicon_loaded: set[str] = set()


def add_lexicon(words: Iterable[str]) -> None:
    """Teach jieba the domain words (刷流水, 安全账户, …). Idempotent across rule reloads."""
    new = sorted(set(words) - _lexicon_loaded)
    if not new:
        return
    jieba.initialize()
    for word in new:
        # A high frequency keeps the term whole even beside common words ("把钱转到安全账户").
        jieba.add_word(word, freq=max(jieba.dt.FREQ.get(word, 0), 20000))
    _lexicon_loaded.update(new)


class Tokens:
    """Token boundaries of a text, segmented on first use.

    Most checks never need them: only token signals that matched and near() conditions ask. So a
    short benign text costs no segmentation, and a long one pays for jieba at most once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._bounds: frozenset[int] = frozenset()

    def _segment(self) -> list[int]:
        if self._starts is None:
            starts = [a for _word, a, _b in jieba.tokenize(self.text)]
            self._bounds = frozenset([*starts, len(self.text)])
            self._starts = starts
        return self._starts

    @property
    def starts(self) -> list[int]:
        return self._segment()

    def index_at(self, pos: int) -> int:
        """The index of the token that contains ``pos``."""
        return max(0, bisect.bisect_right(self._segment(), pos) - 1)

    def is_aligned(self, start: int, end: int) -> bool:
        self._segment()
        return start in self._bounds and end in self._bounds


def tokenize(text: str) -> Tokens:
    return Tokens(text)
