"""What the rules are compiled into for speed, each checked against the slow, plain way: the bundle's
precompiled part, the word scanner (wordscan.py), the pattern analysis (patterns.py) that guards and skips
regexes. None of it may change a result."""

from __future__ import annotations

import json

import pytest

import fanzha


def test_the_bundles_compiled_part_loads_the_same_rules_as_its_text() -> None:
    """The browser loads conditions and the word scanner precompiled (bundle["compiled"]); without that
    part they are parsed from the rule text. Both must be the same rules, or a phone would differ."""
    from fanzha.rulefiles import compile_rules
    from fanzha.rules import RuleSet

    bundle = json.loads(json.dumps(compile_rules(fanzha.RULES_DIR)))  # through JSON, as the page gets it
    fast = RuleSet.from_bundle(bundle)
    slow = RuleSet.from_bundle({k: v for k, v in bundle.items() if k != "compiled"})
    assert [r.condition for r in fast.rules] == [r.condition for r in slow.rules]
    assert fast.words.regex.pattern == slow.words.regex.pattern
    assert fast.words.signals_of == slow.words.signals_of
    assert [s.needs for s in fast.signals] == [s.needs for s in slow.signals]
    patterns = [(s.regex and s.regex.pattern) for s in fast.signals] + [fast.negators.pattern]
    assert patterns == [(s.regex and s.regex.pattern) for s in slow.signals] + [slow.negators.pattern]
    text = "刘局长：我在开会，你先帮我转5万给合作方，账号6222021234567890123。"
    assert fanzha.check(text, fast).to_dict() == fanzha.check(text, slow).to_dict()


def test_the_word_scanner_finds_every_signal_word_where_it_stands() -> None:
    """The scanner's one regex (a trie behind grouped guards) against plain str.find of every word:
    each word at each of its positions, overlaps and words inside longer ones included."""
    import random

    ruleset = fanzha.active_rules()
    words = sorted(ruleset.words.signals_of)
    rng = random.Random(6)
    filler = "的了我你在是有和款钱转账"
    text = "".join(rng.choice(words) + rng.choice(filler) * rng.randint(0, 2) for _ in range(3000))
    expected: dict[str, set[tuple[int, int]]] = {}
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            for name in ruleset.words.signals_of[word]:
                expected.setdefault(name, set()).add((pos, pos + len(word)))
            pos = text.find(word, pos + 1)
    found = {name: set(spans) for name, spans in ruleset.words.scan(text).items()}
    assert found == expected
    assert len(expected) > 100  # nearly every signal with words is exercised


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("转账|汇款", {"转账", "汇款"}),
        (r"(?:付|转)(?:个|了)?\d{3}", {"付", "转"}),
        ("a?b", {"b"}),
        ("(?:转|)账", {"账"}),
        ("(?:保证金){1,2}|解冻", {"保证金", "解冻"}),
        ("x{0,3}", None),
        ("(?i)abc", None),
        ("转账|(?=截图)", None),
        (r"\d{6}", None),
    ],
)
def test_required_literals_name_what_every_match_contains(pattern: str, needs: set[str] | None) -> None:
    from fanzha.patterns import required_literals

    assert required_literals(pattern) == (None if needs is None else frozenset(needs))


@pytest.mark.parametrize(
    ("pattern", "firsts"),
    [
        ("转账|汇款", "汇转"),
        (r"(?<![\d.])[1-9]\d{2}", "1-9"),
        (r"(?:付|转)(?:个|了)?\d{3}", "付转"),
        (r"\s?元", r"\s元"),
        ("a*b|c", "abc"),
        (r"(?:加|添加)[^。]{0,10}微信|微信号", "加微添"),
        (r"\bq", "q"),
        ("x{0,3}", None),  # may match empty
        ("(?=截图)", None),
        ("(?i)abc", None),
        (r"[^。]{0,3}群", None),  # starts with nearly any character
        (".x", None),
    ],
)
def test_first_chars_name_where_every_match_starts(pattern: str, firsts: str | None) -> None:
    from fanzha.patterns import first_chars

    assert first_chars(pattern) == firsts


def test_a_guarded_pattern_finds_exactly_what_it_found_unguarded() -> None:
    """Patterns that run over the whole paste sit behind their first characters: a lookahead of them
    (``guarded``, the language's patterns, searched in windows) or a leading set of them with the match
    captured inside a lookbehind (``scanning``, the signals'). Every rule example, folded as a check folds
    it, must give the same matches as the bare pattern."""
    import re

    from fanzha.patterns import SCAN_GROUP, first_chars, guarded, scanning, spans

    def bare(regex: re.Pattern[str]) -> tuple[str, object]:
        p = regex.pattern
        if p.startswith("(?=["):
            return p.split(")(?:", 1)[1][:-1], guarded
        if SCAN_GROUP in regex.groupindex:
            head = f"(?P<{SCAN_GROUP}>"
            return p[p.index(head) + len(head) : p.rindex("))(?s:.))")], scanning
        return p, None

    ruleset = fanzha.active_rules()
    texts = [fanzha.normalize.fold(t).text for r in ruleset.rules for ex in r.examples.values() for t in ex]
    regexes = [s.regex for s in ruleset.signals if s.regex is not None]
    regexes += [ruleset.negators, ruleset.clause_negators, ruleset.warning_markers]
    forms = [bare(r) for r in regexes]
    assert sum(form is scanning for _, form in forms) >= 15, "most signal patterns scan by their first characters"
    assert all(form is guarded for _, form in forms[-3:]), "the language's patterns are guarded"
    matched = 0
    for fast, (pattern, form) in zip(regexes, forms, strict=True):
        assert form is None or fast.pattern == form(pattern, first_chars(pattern))
        slow = re.compile(pattern)
        for text in texts:
            got = spans(fast, text)
            assert got == [m.span() for m in slow.finditer(text) if m.end() > m.start()], (pattern, text)
            matched += len(got)
    assert matched > 1000


def test_a_signal_regex_is_skipped_only_when_it_cannot_match() -> None:
    """The check skips a signal's regex when the text holds none of its required strings: that must never
    hide a match. Every rule example, folded as a check folds it, through every signal's regex."""
    ruleset = fanzha.active_rules()
    texts = [fanzha.normalize.fold(t).text for r in ruleset.rules for ex in r.examples.values() for t in ex]
    gated = [s for s in ruleset.signals if s.regex is not None and s.needs]
    assert len(gated) > 0.8 * sum(s.regex is not None for s in ruleset.signals), "most signals can be skipped"
    matched = 0
    for signal in gated:
        for text in texts:
            if signal.regex.search(text):
                matched += 1
                assert any(n in text for n in signal.needs), (signal.name, text)
    assert matched > 1000  # the examples exercise the gate, not just pass it by


def test_a_scanning_pattern_starts_with_exactly_its_first_characters() -> None:
    """The engine's own whole-paste patterns (entities, folding) are written in patterns.scanning's form
    with their first characters given by hand: a character missing there would silently lose every match
    that starts with it. They must equal what patterns.first_chars works out from the pattern."""
    import re

    from fanzha import entities, normalize
    from fanzha.patterns import SCAN_GROUP, first_chars

    scanners = [entities.CARD, entities.PHONE, entities.AMOUNT, normalize._FILLER_RUN, normalize._SUBSTITUTE_RE]
    for regex in scanners:
        p = regex.pattern
        head = f"(?P<{SCAN_GROUP}>"
        bare = p[p.index(head) + len(head) : p.rindex("))(?s:.))")]
        given = p[1 : p.index(f"](?<=(?=(?P<{SCAN_GROUP}>")]
        derived = first_chars(bare)
        assert derived, bare
        mine, theirs = re.compile(f"[{given}]"), re.compile(f"[{derived}]")
        differ = [chr(c) for c in range(0x10000) if bool(mine.match(chr(c))) != bool(theirs.match(chr(c)))]
        assert not differ, (bare, differ[:10])
