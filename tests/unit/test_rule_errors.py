"""A broken rule file fails with a message naming the file, the rule (or signal) id and the field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fanzha.rulefiles import RuleError, compile_rules, lint_pattern

from .rule_samples import GOOD_RULE, GOOD_SIGNAL, compile_with

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_a_good_extra_file_compiles(tmp_path: Path) -> None:
    bundle = compile_with(tmp_path, GOOD_SIGNAL + GOOD_RULE)
    assert any(r["id"] == "demo_rule" for r in bundle["rules"])


@pytest.mark.parametrize(
    ("body", "ident", "field", "words"),
    [
        (GOOD_SIGNAL + GOOD_RULE.replace('severity = "medium"', 'severity = "urgent"'),
         "demo_rule", "severity", "high, medium or low"),
        (GOOD_SIGNAL + GOOD_RULE.replace("demo_signal and", "missing_signal and"),
         "demo_rule", "condition", "not defined"),
        (GOOD_SIGNAL + GOOD_RULE.replace("demo_signal and transfer_request", "demo_signal and (transfer_request"),
         "demo_rule", "condition", "expected"),
        (GOOD_SIGNAL + GOOD_RULE.replace('no_match = ["没有演示词"]', "no_match = []"),
         "demo_rule", "examples.no_match", "at least one"),
        (GOOD_SIGNAL + GOOD_RULE.replace('title = "演示规则"', ""), "demo_rule", "title", "required"),
        (GOOD_SIGNAL.replace('words = ["演示词"]', 'patterns = ["(演示"]') + GOOD_RULE,
         "demo_signal", "patterns", "does not compile"),
        (GOOD_SIGNAL.replace('words = ["演示词"]', 'patterns = ["(?:a{1,100}){1,100}b"]') + GOOD_RULE,
         "demo_signal", "patterns", "backtrack"),
        (GOOD_SIGNAL.replace('words = ["演示词"]', 'patterns = ["转.*账"]') + GOOD_RULE,
         "demo_signal", "patterns", "bounded"),
        (GOOD_SIGNAL.replace("演示词", "转帐") + GOOD_RULE, "demo_signal", "words", "never match"),
        (GOOD_SIGNAL + '\n[signal.unused_one]\nwords = ["多余"]\n' + GOOD_RULE, "unused_one", None, "no rule uses it"),
        (GOOD_SIGNAL + GOOD_RULE + GOOD_RULE, "demo_rule", "id", "already used"),
        (GOOD_SIGNAL + GOOD_RULE.replace('advice = ["stop"]', 'advice = ["no_such_advice"]'),
         "demo_rule", "advice", "not in _language.toml"),
    ],
    ids=["severity", "undefined-signal", "syntax", "no-near-miss", "no-title", "regex", "backtracking",
         "unbounded-dot", "unfolded-word", "unused-signal", "duplicate-id", "unknown-advice"],
)
def test_broken_rule_file_is_named(tmp_path: Path, body: str, ident: str, field: str | None, words: str) -> None:
    with pytest.raises(RuleError) as err:
        compile_with(tmp_path, body)
    message = str(err.value)
    assert message.startswith("zz_demo.toml: "), message
    assert err.value.ident == ident and err.value.field == field, message
    assert words in message


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"^zz_demo.toml: not valid TOML"):
        compile_with(tmp_path, "[[rule]\nid=")


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [("转账|汇款", True), ("转.{0,8}账", True), ("(?:ab|cd){2,4}", True), ("(a+)+", False), ("(a*b?)*c", False),
     (".+转", False)],
)
def test_lint_pattern(pattern: str, ok: bool) -> None:
    assert (lint_pattern(pattern) is None) == ok


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('quiet_when = "seen_through and told_as_warning"', 'quiet_when = "seen_through and no_such_signal"',
         "_language.toml.quiet_when: signal 'no_such_signal' is not defined"),
        ("[fragments]\n", '[fragments]\nAMOUNT = "\\\\d+元"\n',  # a sum of money is fanzha.entities' alone
         "_language.toml: AMOUNT.fragments: is defined in code"),
    ],
    ids=["quiet_when", "amount-fragment"],
)
def test_a_broken_language_file_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    lang = rules / "_language.toml"
    text = lang.read_text(encoding="utf-8")
    assert old in text
    lang.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleError, match=re.escape(message)):
        compile_rules(rules)


def test_a_retold_warning_fires_no_rule_but_a_near_miss_told_to_the_checker_warns() -> None:
    import fanzha

    script = "有人加我微信说是赵局，让我先垫5万给他朋友，还发了转账截图。我打了赵局办公室电话，根本没这回事。"
    retold = fanzha.check("跟大家说个事，提个醒：" + script)
    assert not retold.warned, [f.rule for f in retold.findings]
    assert fanzha.check("对方是新加的赵局微信，让我先垫5万给他朋友，说很急，还发了转账截图，我现在要不要转？").warned
