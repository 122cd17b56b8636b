"""Every example in every rule file is a test (semgrep's ruleid:/ok:, Sigma's regression data).

A rule brings its own tests: nothing here lists them by hand. ``known_miss`` and ``known_false_hit``
are strict xfails, so a change that fixes a known gap fails until the example is moved.
"""

from __future__ import annotations

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
