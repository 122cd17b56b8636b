"""Regex analysis for the rules' patterns, on re's own parser: what every match must contain (so a check
skips a regex the text cannot match) and which characters a match starts with (so a scan skips positions).

Worked out when a bundle is compiled; the page only reads the results. Tests run every rule example
through every signal to show the guarded or skipped regex finds exactly what the plain one finds.
"""

from __future__ import annotations

import re
from typing import Any


def _parsed(pattern: str) -> list[Any] | None:
    """``pattern`` as re's own parser reads it; None when it ignores case (no literal can then be named)."""
    from re import _parser as p  # type: ignore[attr-defined]

    parsed = p.parse(pattern)
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when none can be named.

    Most texts show few signals: a check skips a signal's regex outright when the text holds none of
    its strings, instead of running it over the whole paste (a fifth of a check's time in the page).
    """
    items = _parsed(pattern)
    return None if items is None else _needs(items)


def _needs(items: Any) -> frozenset[str] | None:
    """For a parsed sequence: the most selective set among those its required parts give."""
    from re import _constants as c  # type: ignore[attr-defined]

    options: list[frozenset[str]] = []
    run = ""  # consecutive literal characters: the whole run must occur
    for op, av in items:
        if op == c.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        need = None
        if op == c.SUBPATTERN and not av[1] & re.IGNORECASE:  # (group, add flags, del flags, body)
            need = _needs(av[-1])
        elif op == c.ATOMIC_GROUP:
            need = _needs(av)
        elif op == c.BRANCH:
            alternatives = [_needs(alt) for alt in av[1]]
            if all(alternatives):
                need = frozenset().union(*alternatives)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _needs(av[2])
        elif op == c.IN and 0 < len(av) <= 8 and all(o == c.LITERAL for o, _ in av):
            need = frozenset(chr(v) for _, v in av)
        if need:
            options.append(need)
    if run:
        options.append(frozenset([run]))
    # Longer strings are rarer in a text; fewer of them are quicker to look for.
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)

_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def first_chars(pattern: str) -> str | None:
    """A character class (the inside of "[…]") holding the first character of every match of ``pattern``,
    or None when none can be given: a match may be empty or start with any character, or case is ignored."""
    items = _parsed(pattern)
    return None if items is None else _first_class(items)


def _first_class(items: list[Any]) -> str | None:
    found = _firsts(items)
    return None if found is None or found[1] else "".join(sorted(found[0]))


def scan_guard(pattern: str) -> str | None:
    """The class to put ``pattern`` behind (``guarded``) when a scan of a paste would otherwise try it in
    full at every position; None when the regex engine already skips positions by itself, or cannot be
    helped.

    Python's engine skips the positions that cannot start a match only for a pattern that begins with a
    literal, a class, or alternatives that each begin with a literal. A signal's alternation of
    sub-patterns, or one that begins with a lookbehind, runs at every position of the paste; behind a
    lookahead of its first characters, such a position costs one test. (Where the engine skips by
    itself, a guard would only slow it down.)
    """
    items = _parsed(pattern)
    return None if items is None or _engine_skips(items) else _first_class(items)


def _engine_skips(items: Any) -> bool:
    """Does the regex engine find this pattern's start by itself? (re._compiler's prefix and charset.)"""
    from re import _constants as c  # type: ignore[attr-defined]

    while items and items[0][0] == c.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = list(items[0][1][-1])
    if not items:
        return False
    op, av = items[0]
    if op in (c.LITERAL, c.IN):
        return True
    return op == c.BRANCH and all(alt and alt[0][0] == c.LITERAL for alt in av[1])


def _firsts(items: Any) -> tuple[set[str], bool] | None:
    """For a parsed sequence: the class items its first consumed character is in, and whether it can
    match empty. None when unknown."""
    out: set[str] = set()
    for op, av in items:
        one = _first_of(op, av)
        if one is None:
            return None
        out |= one[0]
        if not one[1]:
            return out, False
    return out, True


def _first_of(op: Any, av: Any) -> tuple[set[str], bool] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op == c.LITERAL:
        return {re.escape(chr(av))}, False
    if op == c.IN:
        return _class_items(av), False
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):  # zero-width: the first character comes after
        return set(), True
    if op == c.SUBPATTERN:  # (group, add flags, del flags, body)
        return None if av[1] & re.IGNORECASE else _firsts(av[-1])
    if op == c.ATOMIC_GROUP:
        return _firsts(av)
    if op == c.BRANCH:
        alternatives = [_firsts(alt) for alt in av[1]]
        if any(a is None for a in alternatives):
            return None
        return set().union(*(a[0] for a in alternatives)), any(a[1] for a in alternatives)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):  # (min, max, body)
        body = _firsts(av[2])
        return None if body is None else (body[0], body[1] or av[0] == 0)
    return None  # any character, a negated literal, a back-reference…


def _class_items(items: Any) -> set[str] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    out = set()
    for op, av in items:
        if op == c.LITERAL:
            out.add(re.escape(chr(av)))
        elif op == c.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op == c.CATEGORY and str(av) in _CATEGORY_CLASSES:
            out.add(_CATEGORY_CLASSES[str(av)])
        else:  # a negated class or category: nearly every character
            return None
    return out


def guarded(pattern: str, firsts: str | None) -> str:
    """``pattern`` behind a lookahead of the characters its matches start with (``first_chars``)."""
    return f"(?=[{firsts}])(?:{pattern})" if firsts else pattern


SCAN_GROUP = "scan"


def scanning(pattern: str, firsts: str | None) -> str:
    """``pattern`` in the form a whole-paste search is fastest in: one of its first characters, with the
    match from there captured (group ``scan``) by a lookahead inside a one-character lookbehind.

    Python's regex engine skips, in its own tight loop, the positions where a pattern's leading character
    set fails; a pattern that starts with a lookahead (``guarded``) is tried at every position instead,
    which costs more than the test itself (about 40 % of the signals' scan in CPython, more in Pyodide).
    ``spans`` turns its matches back into ``finditer``'s.
    """
    # The lookbehind steps back over the character just matched: any character will do ((?s:.), width 1).
    return f"[{firsts}](?<=(?=(?P<{SCAN_GROUP}>{pattern}))(?s:.))" if firsts else pattern


def scanner(pattern: str, firsts: str) -> re.Pattern[str]:
    """``pattern`` compiled in the ``scanning`` form, behind ``firsts`` (a character class's contents)."""
    return re.compile(scanning(pattern, firsts))


def scan(regex: re.Pattern[str], text: str) -> list[tuple[re.Match[str], int, int]]:
    """The non-empty matches of ``regex`` in ``text`` as ``finditer`` finds them (leftmost, not
    overlapping), for a plain pattern or one made by ``scanning`` (which matches at every start): each
    with the span of the whole match. Named groups are the pattern's own either way. A list, not a
    generator: a check runs it for every signal's pattern, and resuming a generator costs more."""
    if SCAN_GROUP not in regex.groupindex:
        return [(m, m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]
    out: list[tuple[re.Match[str], int, int]] = []
    last = 0
    for m in regex.finditer(text):
        a, b = m.span(SCAN_GROUP)
        if a >= last and b > a:
            out.append((m, a, b))
            last = b
    return out


def spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The spans of ``scan``."""
    return [(a, b) for _, a, b in scan(regex, text)]


def _joined(words: list[str], patterns: list[str]) -> str:
    return "|".join([re.escape(w) for w in sorted(words, key=len, reverse=True)] + [f"(?:{p})" for p in patterns])


def needs_of(patterns: list[str]) -> list[str] | None:
    need = required_literals(_joined([], patterns)) if patterns else None
    return None if need is None else sorted(need)
