"""Every example in every rule file is a test (semgrep's ruleid:/ok:, Sigma's regression data).

A rule brings its own tests: nothing here lists them by hand. ``known_miss`` and ``known_false_hit``
are strict xfails, so a change that fixes a known gap fails until the example is moved. A rule's
``status`` decides what else it needs (Sigma's status): a ``stable`` rule must also fire on at least one
whole scam chat of tests/corpus; an ``experimental`` one needs only its own examples.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import fanzha
from fanzha.rules import RuleSet

RULESET: RuleSet = fanzha.active_rules()


def _cases(kind: str) -> list:
    out = []
    for rule in RULESET.rules:
        for i, text in enumerate(rule.examples.get(kind, [])):
            marks = [pytest.mark.xfail(strict=True, reason="documented gap")] if kind.startswith("known") else []
            out.append(pytest.param(rule.id, text, id=f"{rule.id}:{kind}[{i}]", marks=marks))
    return out


def _fired(text: str) -> set[str]:
    return {f.rule for f in fanzha.check(text).findings}


@pytest.mark.parametrize(("rule_id", "text"), _cases("match"))
def test_rule_fires_on_its_match_examples(rule_id: str, text: str) -> None:
    assert rule_id in _fired(text)


@pytest.mark.parametrize(("rule_id", "text"), _cases("no_match"))
def test_rule_stays_quiet_on_its_near_misses(rule_id: str, text: str) -> None:
    assert rule_id not in _fired(text)


@pytest.mark.parametrize(("rule_id", "text"), _cases("known_miss"))
def test_known_miss_still_missed(rule_id: str, text: str) -> None:
    assert rule_id in _fired(text)


@pytest.mark.parametrize(("rule_id", "text"), _cases("known_false_hit"))
def test_known_false_hit_still_hits(rule_id: str, text: str) -> None:
    assert rule_id not in _fired(text)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_is_well_formed(rule) -> None:
    assert rule.title and rule.explanation and rule.advice
    assert len(rule.examples["match"]) >= 1 and len(rule.examples["no_match"]) >= 1
    # A high-severity rule's own examples must make the whole report warn, not just fire.
    if rule.severity == "high":
        for text in rule.examples["match"]:
            assert fanzha.check(text).warned, text


def _whole_scam_chats() -> list[str]:
    """tests/corpus/scam/*.json and the chat-shaped scam rows of tests/corpus/chats/*.jsonl."""
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted((corpus / "scam").glob("*.json"))]
    for path in sorted((corpus / "chats").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [r["text"] for r in rows if r["label"] == "scam" and r.get("shape") == "chat"]
    return texts


@functools.cache
def _fired_on_whole_chats() -> frozenset[str]:
    return frozenset(f.rule for text in _whole_scam_chats() for f in fanzha.check(text).findings)


@pytest.mark.parametrize("rule", [r for r in RULESET.rules if r.status == "stable"], ids=lambda r: r.id)
def test_stable_rule_fires_on_a_whole_scam_chat(rule) -> None:
    assert rule.id in _fired_on_whole_chats(), (
        f"{rule.id} is stable but fires on no whole scam chat of tests/corpus: add a chat it fires on, "
        "or set status = \"experimental\""
    )
