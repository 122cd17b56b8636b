"""Stage 4b: find signal hits in a folded transcript and decide which rules fire.

A hit does not count when it is negated ("我不会转账", "没有让你交钱") or stands in a warning
sentence ("凡是要求转到安全账户的都是诈骗"), so the unit's own publicity is not flagged.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from typing import NamedTuple

from . import conditions
from .conditions import Hit
from .normalize import Folded
from .patterns import spans as regex_spans
from .rules import Rule, RuleSet, Signal
from .segment import Tokens, tokenize
from .transcript import Message, split_messages

CLAUSE_END = re.compile(r"[，,。.!！?？;；:：\n]|但是|可是|不过")
CONDITIONAL = re.compile(r"的话|否则|就|会|将|则")
SENTENCE_END = re.compile(r"[。!！?？\n]")
NEGATION_WINDOW = 6  # characters looked back within the clause; a bare 不 sits close to its verb
CLAUSE_WINDOW = 16  # how far a clause negator (不会, 不要, 没有) reaches back


class Fired(NamedTuple):
    """A rule that fired, with the hits that made it true."""

    rule: Rule
    hits: list[Hit]
    score: int
    context: list[str]


class Analysis(NamedTuple):
    """Everything the rules found in one folded text: its messages and speakers, its jieba tokens, every
    signal's hits (by signal name), the speakers who asked for money, and the rules that fired. The
    decision (decide.py) and the report (report.py) read it; nothing in it refers to the original text."""

    folded: Folded
    messages: list[Message]
    tokens: Tokens
    hits: dict[str, list[Hit]]
    askers: set[str | None]
    fired: list[Fired]


def message_locator(messages: list[Message]) -> Callable[[int], int]:
    """A function from a text position to the index of its message (-1 between messages)."""
    starts = [m.start for m in messages]

    def locate(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        return i if i >= 0 and pos <= messages[i].end else -1

    return locate


def message_index(messages: list[Message], length: int) -> list[int]:
    """``message_locator`` as a table: for each position 0..length, its message's index (-1 between
    messages). A check locates every hit; a list lookup is cheaper than a call each, above all in Pyodide."""
    table = [-1] * (length + 1)
    for i, m in enumerate(messages):
        # locate() gives i from m.start up to the next message's start, while the position is within m.
        stop = min(m.end + 1, messages[i + 1].start if i + 1 < len(messages) else length + 1, length + 1)
        if stop > m.start:
            table[m.start : stop] = [i] * (stop - m.start)
    return table


class _Scopes:
    """Answers "is this position negated / inside a warning sentence?" for one text."""

    def __init__(self, text: str, ruleset: RuleSet) -> None:
        self.text = text
        self.negators = ruleset.negators
        self.clause_negators = ruleset.clause_negators
        self.clause_starts = [0] + [m.end() for m in CLAUSE_END.finditer(text)]
        self._negated: dict[int, bool] = {}
        self.warning_sentences: list[tuple[int, int]] = []
        if ruleset.warning_markers is not None:
            bounds = [0] + [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]
            for a, b in itertools.pairwise(bounds):
                if ruleset.warning_markers.search(text, a, b):
                    self._add_warning(a, self._heading_reach(a, b))

    def _add_warning(self, a: int, b: int) -> None:
        """Keep the warning ranges sorted and disjoint, so in_warning can bisect them."""
        if self.warning_sentences and a <= self.warning_sentences[-1][1]:
            last = self.warning_sentences[-1]
            self.warning_sentences[-1] = (last[0], max(last[1], b))
        else:
            self.warning_sentences.append((a, b))

    def _heading_reach(self, a: int, b: int) -> int:
        """A warning heading ("反诈提醒：") covers its paragraph: the scam script it quotes is publicity."""
        if not self.text[a:b].rstrip().endswith(":"):
            return b
        end = self.text.find("\n\n", b)
        return len(self.text) if end < 0 else end

    def _clause_before(self, start: int, width: int) -> str:
        clause = self.clause_starts[bisect.bisect_right(self.clause_starts, start) - 1]
        return self.text[max(clause, start - width):start]

    def is_negated(self, start: int) -> bool:
        if start not in self._negated:
            self._negated[start] = self._negates(
                self.negators, self._clause_before(start, NEGATION_WINDOW)
            ) or self._negates(self.clause_negators, self._clause_before(start, CLAUSE_WINDOW))
        return self._negated[start]

    @staticmethod
    def _negates(negators: re.Pattern[str], window: str) -> bool:
        """A negator counts unless a condition follows it: "不关闭的话每月扣费" still threatens a charge."""
        found = [m.end() for m in negators.finditer(window)]
        return bool(found) and not CONDITIONAL.search(window, found[-1])

    def in_warning(self, start: int) -> bool:
        i = bisect.bisect_right(self.warning_sentences, (start, len(self.text) + 1)) - 1
        return i >= 0 and self.warning_sentences[i][0] <= start < self.warning_sentences[i][1]


def _signal_spans(
    signal: Signal,
    folded: str,
    words: list[tuple[int, int]],
    tokens: Tokens,
    scopes: _Scopes,
    present: _Needs,
) -> list[tuple[int, int]]:
    spans = list(words)
    if signal.regex is not None and (signal.needs is None or any(n in present for n in signal.needs)):
        spans += regex_spans(signal.regex, folded)
    if signal.token_regex is not None:
        spans += [m.span() for m in signal.token_regex.finditer(folded) if tokens.is_aligned(*m.span())]
    if signal.negatable:
        spans = [s for s in spans if not scopes.is_negated(s[0]) and not scopes.in_warning(s[0])]
    return sorted(set(spans))


class _Needs:
    """Is a pattern's required literal in the text? Most are not, and a miss scans the whole paste: a literal
    with a character the text lacks is ruled out from the text's character set instead, and signals share
    many literals (转账, 账户), so each is looked up once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chars = set(text)
        self._present: dict[str, bool] = {}

    def __contains__(self, need: str) -> bool:
        found = self._present.get(need)
        if found is None:
            found = self._present[need] = self.chars.issuperset(need) and need in self.text
        return found


def find_hits(folded: Folded, ruleset: RuleSet) -> tuple[list[Message], Tokens, dict[str, list[Hit]]]:
    """Split the text into messages, segment it, and find each signal's hits: its words (one scan for all
    signals), its patterns and token patterns. A negatable signal's hit is dropped where it is negated or
    inside a warning sentence. Each hit records the message it is in, for ``asker.``/``user.`` and ``then``.
    """
    text = folded.text
    messages = split_messages(text)
    tokens = tokenize(text)
    scopes = _Scopes(text, ruleset)
    word_spans = ruleset.words.scan(text)
    hits: dict[str, list[Hit]] = {}
    message_at = message_index(messages, len(text))
    present = _Needs(text)
    for signal in ruleset.signals:
        spans = _signal_spans(signal, text, word_spans.get(signal.name, []), tokens, scopes, present)
        if spans:
            hits[signal.name] = [Hit(a, b, signal.name, message_at[a]) for a, b in spans]
    return messages, tokens, hits


def _askers(messages: list[Message], hits: dict[str, list[Hit]], ruleset: RuleSet) -> set[str | None]:
    """Speakers who asked for money. Prose (no speaker) always counts: a description is the asker's words."""
    asking = {s.name for s in ruleset.signals if s.asker}
    found: set[str | None] = {None}
    for name in asking:
        for h in hits.get(name, []):
            if h.message >= 0 and not messages[h.message].is_user:
                found.add(messages[h.message].speaker)
    return found


def _lookup(messages: list[Message], hits: dict[str, list[Hit]], askers: set[str | None]) -> conditions.Lookup:
    """Hits of a signal, optionally only those said by the asker or by the user."""

    def speaker(h: Hit) -> str | None:
        return messages[h.message].speaker if h.message >= 0 else None

    cache: dict[tuple[str, str], list[Hit]] = {}

    def lookup(who: str, name: str) -> list[Hit]:
        key = (who, name)
        if key not in cache:
            found = hits.get(name, [])
            if who == "asker":
                found = [h for h in found if speaker(h) in askers]
            elif who == "user":
                found = [h for h in found if speaker(h) is None or speaker(h) not in askers - {None}]
            cache[key] = found
        return cache[key]

    return lookup


def analyse(folded: Folded, ruleset: RuleSet) -> Analysis:
    """Find the hits, work out who asked for money, and evaluate every rule's condition over the hits.
    A rule fires with the hits that made its condition true, plus its context words' hits, and scores its
    points (plus its context bonus when a context word is present)."""
    messages, tokens, hits = find_hits(folded, ruleset)
    askers = _askers(messages, hits, ruleset)
    lookup = _lookup(messages, hits, askers)
    fired: list[Fired] = []
    if ruleset.quiet_when is not None and conditions.evaluate(ruleset.quiet_when, lookup, tokens.distance) is not None:
        return Analysis(folded, messages, tokens, hits, askers, fired)  # a retold warning: no rule fires
    for rule in ruleset.rules:
        got = conditions.evaluate(rule.condition, lookup, tokens.distance)
        if got is None:
            continue
        context = [c for c in rule.context if hits.get(c)]
        score = min(100, rule.score + (rule.context_bonus if context else 0))
        ctx_hits = [h for c in context for h in hits[c]]
        fired.append(Fired(rule, got + ctx_hits, score, context))
    return Analysis(folded, messages, tokens, hits, askers, fired)
