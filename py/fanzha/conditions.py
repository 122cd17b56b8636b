"""The condition language of a rule: signals combined with and / or / not and a few functions.

    condition = "screenshot_sent and money_not_arrived and asker.transfer_onward"
    condition = "atleast(2, high_return, teacher_group, small_first_withdrawal)"
    condition = "near(pay_first, loan_word, 12)"       # within 12 tokens of each other
    condition = "then(screenshot_sent, money_not_arrived, transfer_request)"   # in this order

``asker.x`` counts only what the party asking for money said (prose counts as theirs);
``user.x`` only what the user said. A bare name counts anyone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

Node = tuple  # ("sig", who, name) | ("and"|"or", *nodes) | ("not", node) | ("atleast", n, *nodes)
#               | ("near", a, b, n) | ("then", *nodes)

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)|(?P<op>[(),]))")
WHO = ("anyone", "asker", "user")
FUNCTIONS = ("atleast", "near", "then")
DEFAULT_NEAR = 10
MAX_CHARS_PER_WORD = 6  # a gap of more characters than this per word cannot be "near"
MAX_NEAR_PAIRS = 50  # enough evidence; more pairs only cost time


class ConditionError(ValueError):
    pass


class Hit(NamedTuple):
    """A signal occurrence in the folded text. A tuple: a long chat makes thousands."""

    start: int
    end: int
    signal: str
    message: int


def _lex(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read {text[pos:pos + 12]!r}")
        out.append(m.group().strip())
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _lex(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise ConditionError(f"expected {expected or 'more'} but found {tok or 'the end'}")
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_()
        if self.peek() is not None:
            raise ConditionError(f"unexpected {self.peek()!r}")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.peek() == "or":
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else ("or", *items)

    def and_(self) -> Node:
        items = [self.not_()]
        while self.peek() == "and":
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else ("and", *items)

    def not_(self) -> Node:
        if self.peek() == "not":
            self.take()
            return ("not", self.not_())
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok == "(":
            node = self.or_()
            self.take(")")
            return node
        if tok in FUNCTIONS:
            return self.call(tok)
        if not re.fullmatch(r"[a-z_][a-z0-9_.]*", tok) or tok in ("and", "or", "not"):
            raise ConditionError(f"unexpected {tok!r}")
        who, _, name = tok.rpartition(".")
        if who and who not in WHO:
            raise ConditionError(f"unknown speaker {who!r} (use asker. or user.)")
        return ("sig", who or "anyone", name)

    def call(self, fn: str) -> Node:
        self.take("(")
        args: list = []
        while True:
            tok = self.peek()
            args.append(int(self.take()) if tok and tok.isdigit() else self.or_())
            if self.take() == ")":
                break
        return self.check_call(fn, args)

    @staticmethod
    def check_call(fn: str, args: list) -> Node:
        nodes = [a for a in args if not isinstance(a, int)]
        if fn == "atleast":
            if not isinstance(args[0], int) or len(nodes) < args[0] or len(nodes) != len(args) - 1:
                raise ConditionError("atleast(N, a, b, …) needs a count and at least N conditions")
            return ("atleast", args[0], *nodes)
        if fn == "near":
            dist = args[2] if len(args) == 3 and isinstance(args[2], int) else DEFAULT_NEAR
            if len(nodes) != 2 or len(args) not in (2, 3):
                raise ConditionError("near(a, b[, tokens]) takes two conditions and a distance")
            return ("near", nodes[0], nodes[1], dist)
        if len(nodes) < 2 or len(nodes) != len(args):
            raise ConditionError("then(a, b, …) takes two or more conditions")
        return ("then", *nodes)


def parse(text: str) -> Node:
    """Parse a rule's condition into a tree of tuples that ``evaluate`` walks.

    The language: signal names, ``asker.name`` / ``user.name`` (only what that side said), ``and``, ``or``,
    ``not``, parentheses, ``atleast(n, a, b, …)``, ``near(a, b, words)`` (within that many jieba words)
    and ``then(a, b, …)`` (in this order across messages). Leaves are ``("sig", who, name)``. A syntax
    error raises ConditionError naming what was expected; rules.py adds the file and rule id.
    """
    return _Parser(text).parse()


def signal_names(node: Node) -> set[str]:
    """Every signal a condition refers to."""
    if node[0] == "sig":
        return {node[2]}
    return set().union(*(signal_names(n) for n in node[1:] if isinstance(n, tuple)))


Lookup = Callable[[str, str], Sequence[Hit]]  # (who, signal) -> hits
Distance = Callable[[int, int, int], int]  # (position, position, at most) -> words apart


def evaluate(node: Node, hits: Lookup, words_apart: Distance) -> list[Hit] | None:
    """None when the condition is false; otherwise the hits that make it true (maybe none, for `not`)."""
    kind = node[0]
    if kind == "sig":
        found = hits(node[1], node[2])
        return list(found) if found else None
    if kind == "not":
        return [] if evaluate(node[1], hits, words_apart) is None else None
    if kind == "and":
        out: list[Hit] = []
        for sub in node[1:]:
            got = evaluate(sub, hits, words_apart)
            if got is None:
                return None
            out += got
        return out
    if kind in ("or", "atleast"):
        subs = node[2:] if kind == "atleast" else node[1:]
        results = [r for r in (evaluate(s, hits, words_apart) for s in subs) if r is not None]
        need = node[1] if kind == "atleast" else 1
        return [h for r in results for h in r] if len(results) >= need else None
    if kind == "near":
        return _near(evaluate(node[1], hits, words_apart), evaluate(node[2], hits, words_apart), node[3], words_apart)
    return _then([evaluate(s, hits, words_apart) for s in node[1:]])


def _near(a: list[Hit] | None, b: list[Hit] | None, dist: int, words_apart: Distance) -> list[Hit] | None:
    """Pairs of hits at most ``dist`` words apart. Only pairs within a character window are measured,
    and the search stops after MAX_NEAR_PAIRS, so a paste of repeated scam words stays fast."""
    if not a or not b:
        return None
    ys = sorted(b, key=lambda h: h.start)
    starts = [h.start for h in ys]
    window = dist * MAX_CHARS_PER_WORD
    out: set[Hit] = set()
    pairs = 0
    for x in a:
        lo, hi = bisect.bisect_left(starts, x.start - window), bisect.bisect_right(starts, x.start + window)
        for y in ys[lo:hi]:
            if words_apart(x.start, y.start, dist) <= dist:
                out.update((x, y))
                pairs += 1
                if pairs >= MAX_NEAR_PAIRS:
                    return sorted(out, key=lambda h: h.start)
    return sorted(out, key=lambda h: h.start) or None


def _then(steps: list[list[Hit] | None]) -> list[Hit] | None:
    """Each step must have a hit that starts after the previous step's chosen hit."""
    chain: list[Hit] = []
    pos = -1
    for step in steps:
        if not step:
            return None
        after = [h for h in step if h.start > pos]
        if not after:
            return None
        first = min(after, key=lambda h: h.start)
        chain.append(first)
        pos = first.start
    return chain
