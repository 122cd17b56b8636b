"""A small good rule file, for the tests that break it one field at a time (test_rule_errors, test_rule_schema),
and the way they compile it beside a copy of the repository's rules."""

from __future__ import annotations

import shutil
from pathlib import Path

from fanzha.rulefiles import compile_rules

RULES = Path(__file__).resolve().parents[2] / "rules"
GOOD_SIGNAL = '''
[signal.demo_signal]
words = ["演示词"]
'''
GOOD_RULE = '''
[[rule]]
id = "demo_rule"
title = "演示规则"
source = "notice: 五、冒充领导诈骗"
severity = "medium"
explanation = "演示。"
advice = ["stop"]
condition = "demo_signal and transfer_request"
[rule.examples]
match = ["演示词，请转账"]
no_match = ["没有演示词"]
'''
GOOD = GOOD_SIGNAL + GOOD_RULE


def compile_with(tmp_path: Path, body: str, shared: Path | None = None) -> dict:
    """The bundle of the repository's rules plus ``body`` as the file zz_demo.toml (category other)."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "zz_demo.toml").write_text('category = "other"\n' + body, encoding="utf-8")
    return compile_rules(rules, shared)
