"""The word scanner: every signal word of every rule found in a text in one regex pass (a trie)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .patterns import SCAN_GROUP, scanning

TRIE_GUARD_OVER = 64  # a trie branch with more alternatives than this is split into guarded groups


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal words, shaped as a trie (转(?:账(?:截图)?|给)…), so a position costs
    a few steps instead of one try per word. At each position it matches the longest word."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [(ch, re.escape(ch) + emit(child)) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = _guarded(branches)
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _guarded(branches: list[tuple[str, str]]) -> str:
    """Alternatives that each start with their own character; a wide branch as groups behind guards.

    The regex engine tries a branch's alternatives one by one, and the trie's first level has hundreds
    (one per first character). Split into about √n groups of √n, each behind a lookahead of its first
    characters (one bitmap test), a position costs about 2√n tries instead of n: the scan of a chat takes
    less than half the time. Only that first level is wide enough to be worth the guards' code. The
    alternatives and their order are unchanged, so are the matches.
    """
    alts = [alt for _, alt in branches]
    if len(branches) <= TRIE_GUARD_OVER:
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    size = math.isqrt(len(branches) - 1) + 1
    groups = [branches[i : i + size] for i in range(0, len(branches), size)]
    guarded = [f"(?=[{re.escape(''.join(ch for ch, _ in g))}])(?:{'|'.join(alt for _, alt in g)})" for g in groups]
    return "(?:" + "|".join(guarded) + ")"


def _scanner_pattern(words: Iterable[str]) -> str:
    """At each position that starts a word, capture the longest word there.

    patterns.scanning's form: the match is that one character, with the word captured (group ``scan``) by
    a lookahead inside a one-character lookbehind, so the next search starts at the next character and
    overlapping words are found; the leading character set lets the regex engine skip the positions no
    word starts at (the scan takes 15 % less time in CPython, more under Pyodide).
    """
    words = sorted(words)
    first = "".join(sorted({w[0] for w in words}))
    return scanning(_trie_pattern(words), re.escape(first)) if words else "(?!)"


class WordScanner:
    """Finds every signal word in a text in one pass.

    A lookahead match at each position yields the longest word there; every other word that starts
    at the same position is a prefix of it, so ``found(word)`` lists the (signal, length) of every
    word it starts with (overlaps included).
    """

    __slots__ = ("_found", "regex", "signals_of")

    def __init__(self, regex: re.Pattern[str], signals_of: dict[str, list[str]]) -> None:
        self.regex = regex
        self.signals_of = signals_of
        self._found: dict[str, list[tuple[str, int]]] = {}  # found(), for the words texts have shown

    @classmethod
    def build(cls, signal_words: dict[str, list[str]], pattern: str | None = None) -> WordScanner:
        """pattern: the trie regex, when the bundle carries it prebuilt (rules._compiled)."""
        signals_of: dict[str, list[str]] = {}
        for name, words in signal_words.items():
            for w in words:
                signals_of.setdefault(w, []).append(name)
        if pattern is None:
            pattern = _scanner_pattern(signals_of)
        return cls(re.compile(pattern), signals_of)

    def found(self, word: str) -> list[tuple[str, int]]:
        if word not in self._found:
            signals_of = self.signals_of
            self._found[word] = [(name, i) for i in range(1, len(word) + 1) for name in signals_of.get(word[:i], ())]
        return self._found[word]

    def scan(self, text: str) -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        cached, found = self._found, self.found
        for m in self.regex.finditer(text):
            pos = m.start()
            word = m.group(SCAN_GROUP)
            for name, n in cached.get(word) or found(word):
                hits = spans.get(name)
                if hits is None:
                    hits = spans[name] = []
                hits.append((pos, pos + n))
        return spans
