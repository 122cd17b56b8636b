"""Stage 3: jieba segmentation with the domain lexicon, so fraud terms stay whole."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token boundaries of a text: ``starts[i]`` is where token i begins."""

    starts: list[int]
    boundaries: frozenset[int]

    def index_at(self, pos: int) -> int:
        """The index of the token that contains ``pos``."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def is_aligned(self, start: int, end: int) -> bool:
        return start in self.boundaries and end in self.boundaries


def tokenize(text: str) -> Tokens:
    starts: list[int] = []
    bounds: set[int] = {0, len(text)}
    for _word, a, b in jieba.tokenize(text):
        starts.append(a)
        bounds.add(b)
    bounds.update(starts)
    return Tokens(starts, frozenset(bounds))
