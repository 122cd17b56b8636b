"""Stage 4a: the compiled rules a check runs with (``RuleSet``), loaded from the JSON bundle that
``fanzha.rulefiles.compile_rules`` makes from ``rules/*.toml``. The records are what detect.py reads.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from . import conditions
from .patterns import _joined, guarded, needs_of, scan_guard, scanning
from .wordscan import WordScanner

SCHEMA_VERSION = 1


# The engine's records are NamedTuples: dataclass() writes and compiles its classes' methods when a
# module is imported, about 50 ms of the page's start-up for ten classes.


class Signal(NamedTuple):
    name: str
    regex: re.Pattern[str] | None
    token_regex: re.Pattern[str] | None
    negatable: bool
    asker: bool
    needs: frozenset[str] | None  # regex can only match a text holding one of these (None: unknown)
    identity: bool  # who the other side claims to be: evidence even in a speaker's name ("刘局长：…")


class Rule(NamedTuple):
    id: str
    title: str
    category: str
    severity: str
    score: int  # points when fired (plus context_bonus): the severity's, or the rule's own score
    precedence: int  # between categories whose best rules score the same, the higher one is reported first
    status: str  # "stable": fires on a whole scam chat of tests/corpus (a test checks it); else "experimental"
    explanation: str
    advice: list[str]
    condition: conditions.Node
    context: list[str]
    context_bonus: int
    infer_category: bool
    examples: dict[str, list[str]]


def bundle_lexicon(bundle: dict[str, Any]) -> list[str]:
    """The words jieba must keep whole: the language's lexicon and every token signal's words."""
    tokens = {w for spec in bundle["signals"].values() for w in spec["tokens"]}
    return sorted(set(bundle["language"].get("lexicon", [])) | tokens)


def _as_needs(value: list[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _as_node(value: Any) -> Any:
    """A condition tree back from JSON: lists were tuples."""
    return tuple(_as_node(v) for v in value) if isinstance(value, list) else value


def language_patterns(lang: dict[str, Any]) -> dict[str, str]:
    """The language's word lists, each as the one pattern a check runs over the whole paste."""
    markers = lang.get("warning_markers") or []
    return {
        "negators": "|".join(lang["negators"]),
        "clause_negators": "|".join(lang.get("clause_negators") or ["(?!)"]),
        **({"warning_markers": "|".join(markers)} if markers else {}),
    }


def first_chars_of(bundle: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """The guard (scan_guard) of every pattern a check runs over the whole paste, by signal and by
    language list."""
    signals = {
        name: scan_guard(_joined([], spec["patterns"])) for name, spec in bundle["signals"].items() if spec["patterns"]
    }
    language = {key: scan_guard(pattern) for key, pattern in language_patterns(bundle["language"]).items()}
    return {"signals": signals, "language": language}


def _quiet_when(lang: dict[str, Any], compiled: dict[str, Any]) -> conditions.Node | None:
    if compiled.get("quiet_when") is not None:
        return _as_node(compiled["quiet_when"])
    return conditions.parse(lang["quiet_when"]) if lang.get("quiet_when") else None


def _alternation(words: list[str], patterns: list[str], firsts: str | None = None) -> re.Pattern[str] | None:
    """A signal's words and patterns as one regex, in the form a whole-paste search is fastest in."""
    return re.compile(scanning(_joined(words, patterns), firsts)) if words or patterns else None


class RuleSet(NamedTuple):
    """The compiled rules a check runs with, built once (``compile_rules`` from rules/*.toml in CPython,
    ``RuleSet.from_bundle`` from build.py's JSON bundle in the page).

    ``signals`` are the named building blocks (words, patterns) and ``rules`` the user-facing patterns whose
    conditions combine them; ``words`` scans every signal's words in one pass; ``negators``,
    ``clause_negators`` and ``warning_markers`` decide when a hit does not count; ``verdict`` maps points to
    levels and ``advice`` is the advice library the rules cite by id. ``version`` names the rules' content.
    """

    version: str
    signals: list[Signal]
    rules: list[Rule]
    advice: dict[str, dict[str, Any]]
    negators: re.Pattern[str]
    clause_negators: re.Pattern[str]
    warning_markers: re.Pattern[str] | None
    verdict: dict[str, int]
    verdict_advice: dict[str, list[str]]
    lexicon: list[str]
    words: WordScanner
    topics: dict[str, list[str]]
    lexicon_counts: dict[str, int]  # from the page's bundle (build.py); else empty
    quiet_when: conditions.Node | None = None  # when it holds, no rule fires: a retold warning

    def advice_for_verdict(self, verdict: str) -> list[str]:
        """The advice every report of this level carries, whatever fired."""
        return list(self.verdict_advice.get(verdict, []))

    @classmethod
    def from_bundle(cls, bundle: dict[str, Any] | str) -> RuleSet:
        if isinstance(bundle, str):
            bundle = json.loads(bundle)
        if bundle.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"rules bundle schema {bundle.get('schema')} is not {SCHEMA_VERSION}")
        lang = bundle["language"]
        compiled = bundle.get("compiled") or {}
        parsed = compiled.get("conditions", {})
        needs = compiled.get("needs", {})
        firsts = compiled.get("first_chars") or first_chars_of(bundle)
        signals = [
            Signal(
                name,
                _alternation([], spec["patterns"], firsts["signals"].get(name)),
                _alternation(spec["tokens"], []),
                spec["negatable"],
                spec["asker"],
                _as_needs(needs[name] if name in needs else needs_of(spec["patterns"])),
                spec.get("identity", False),
            )
            for name, spec in bundle["signals"].items()
        ]
        rules = [
            Rule(
                r["id"], r["title"], r["category"], r["severity"], r["score"], r.get("precedence", 0), r["status"],
                r["explanation"], r["advice"],
                _as_node(parsed[r["id"]]) if r["id"] in parsed else conditions.parse(r["condition"]), r["context"],
                r["context_bonus"], r.get("infer_category", False), r.get("examples", {}),
            )
            for r in bundle["rules"]
        ]
        language = {
            key: re.compile(guarded(pattern, firsts["language"].get(key)))
            for key, pattern in language_patterns(lang).items()
        }
        return cls(
            version=bundle["version"],
            signals=signals,
            rules=rules,
            advice=bundle["advice"],
            negators=language["negators"],
            clause_negators=language["clause_negators"],
            warning_markers=language.get("warning_markers"),
            verdict=lang.get("verdict", {"high": 70, "medium": 40, "low": 1}),
            verdict_advice=lang.get("verdict_advice", {}),
            topics=lang.get("topics", {}),
            lexicon=bundle_lexicon(bundle),
            lexicon_counts=compiled.get("lexicon_counts", {}),
            quiet_when=_quiet_when(lang, compiled),
            words=WordScanner.build(
                {name: spec["words"] for name, spec in bundle["signals"].items()}, compiled.get("scanner_pattern")
            ),
        )
