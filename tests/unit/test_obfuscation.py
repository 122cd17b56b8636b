"""Scammers dodge keyword filters: spaces or dashes between characters, full-width letters, zero-width
characters, homophones (V信, zfb, yzm, 帐户, 带款). Every rule's own must-warn examples, disguised each way,
must still fire that rule, with evidence that points into the disguised text."""

from __future__ import annotations

import re

import pytest

import fanzha

RULESET = fanzha.active_rules()
CJK = re.compile(r"([\u4e00-\u9fff])(?=[\u4e00-\u9fff])")
# Inverse of some of normalize.SUBSTITUTES: what a scammer writes instead of the plain word.
DISGUISES = {"微信": "V信", "账": "帐", "支付宝": "zfb", "验证码": "yzm", "贷款": "带款", "银行卡": "yhk"}


def spaced(text: str) -> str:
    return CJK.sub(r"\1 ", text)


def dashed(text: str) -> str:
    return CJK.sub(r"\1-", text)


def zero_width(text: str) -> str:
    return CJK.sub("\\1\u200b", text)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def homophones(text: str) -> str:
    for plain, disguise in DISGUISES.items():
        text = text.replace(plain, disguise)
    return text


TRANSFORMS = [spaced, dashed, zero_width, full_width, homophones]
CASES = [
    pytest.param(rule.id, text, transform, id=f"{rule.id}:match[{i}]:{transform.__name__}")
    for rule in RULESET.rules
    for i, text in enumerate(rule.examples["match"])
    for transform in TRANSFORMS
]


@pytest.mark.parametrize(("rule_id", "text", "transform"), CASES)
def test_disguised_example_still_fires(rule_id: str, text: str, transform) -> None:
    disguised = transform(text)
    report = fanzha.check(disguised)
    assert rule_id in {f.rule for f in report.findings}, disguised
    for f in report.findings:
        for e in f.evidence:
            assert disguised[e.start:e.end] == e.text
