"""The condition language: parsing, and evaluation over hits (order, nearness, speakers)."""

from __future__ import annotations

import pytest

import fanzha
from fanzha.conditions import ConditionError, Hit, evaluate, parse


def test_precedence_and_functions() -> None:
    assert parse("a or b and not c") == ("or", ("sig", "anyone", "a"), ("and", ("sig", "anyone", "b"),
                                                                          ("not", ("sig", "anyone", "c"))))
    assert parse("atleast(2, a, b, asker.c)")[0:2] == ("atleast", 2)
    assert parse("near(a, b, 5)") == ("near", ("sig", "anyone", "a"), ("sig", "anyone", "b"), 5)
    assert parse("then(a, b, c)")[0] == "then"


@pytest.mark.parametrize("bad", ["a and", "(a or b", "atleast(3, a, b)", "near(a)", "boss.a", "a b", "then(a)"])
def test_bad_conditions(bad: str) -> None:
    with pytest.raises(ConditionError):
        parse(bad)


def _hits(**spans: list[int]):
    table = {name: [Hit(s, s + 1, name, 0) for s in starts] for name, starts in spans.items()}
    return lambda who, name: table.get(name, [])


def test_then_needs_the_order() -> None:
    node = parse("then(shot, late, onward)")
    assert evaluate(node, _hits(shot=[1], late=[5], onward=[9]), lambda p, q, most: abs(p - q)) is not None
    assert evaluate(node, _hits(shot=[9], late=[5], onward=[1]), lambda p, q, most: abs(p - q)) is None


def test_near_counts_tokens() -> None:
    node = parse("near(a, b, 3)")
    assert evaluate(node, _hits(a=[0], b=[3]), lambda p, q, most: abs(p - q)) is not None
    assert evaluate(node, _hits(a=[0], b=[10]), lambda p, q, most: abs(p - q)) is None


def test_atleast_and_not() -> None:
    node = parse("atleast(2, a, b, c) and not d")
    assert evaluate(node, _hits(a=[0], c=[4]), lambda p, q, most: abs(p - q)) is not None
    assert evaluate(node, _hits(a=[0]), lambda p, q, most: abs(p - q)) is None
    assert evaluate(node, _hits(a=[0], b=[1], d=[2]), lambda p, q, most: abs(p - q)) is None


def test_asker_is_the_one_asking_for_money() -> None:
    # The user mentions the leader's words; only the other side asks for money.
    chat = "老王：我是你们局长，这是我的新号，你马上转两万过来。\n我：局长，我先打你原来的电话核实一下。"
    report = fanzha.check(chat)
    assert report.warned
    quoted = "我：局长说让我把钱转过去，这是他的新号吗？\n同事：别转，先打电话问局长本人。"
    assert fanzha.check(quoted).verdict != "high"
