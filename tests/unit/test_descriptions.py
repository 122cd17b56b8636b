"""The product's second input path: a staff member DESCRIBES a transfer request in their own words
(first or third person, no speaker labels), or the page's guided mode composes such a description
(web/ui/guided.js). Each scam description must warn at least at the expected level with the expected
top category; each benign description must not warn. Written in our own words.

The descriptions are data (tests/corpus/descriptions.jsonl: text, label, level, category), which the
learned scorer also trains on; guided mode's compositions are built here from guided.js."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import fanzha

GUIDED_JS = Path(__file__).resolve().parents[2] / "web" / "ui" / "guided.js"
DESCRIPTIONS = Path(__file__).resolve().parents[1] / "corpus" / "descriptions.jsonl"


def _guided_clauses() -> dict[tuple[str, str], str]:
    """(question id, choice value) -> the clause guided mode adds, read from guided.js itself."""
    clauses: dict[tuple[str, str], str] = {}
    question = ""
    for line in GUIDED_JS.read_text(encoding="utf-8").splitlines():
        found = re.search(r'\bid: "(\w+)"', line)
        if found:
            question = found.group(1)
        choice = re.search(r'value: "(\w+)"', line)
        if choice:
            clauses[(question, choice.group(1))] = ""
            last = (question, choice.group(1))
        says = re.search(r'says: "([^"]*)"', line)
        if says:
            clauses[last] = says.group(1)
    return clauses


def compose(**answers: str | list[str]) -> str:
    """Python twin of guided.js compose(): the clauses in question order, 对方 -> 他 after the first."""
    order = ["who", "channel", "new_account", "purpose", "signs"]
    clauses = _guided_clauses()
    picked: list[str] = []
    for question in order:
        values = answers.get(question, [])
        values = [values] if isinstance(values, str) else values
        for (q, value), says in clauses.items():
            if q == question and value in values and says:
                picked.append(says)
    out = []
    for i, clause in enumerate(picked):
        if i > 0:
            clause = re.sub(r"^对方", "他", clause)
        out.append(clause if clause.endswith("。”") else clause + "。")
    return "".join(out)


def _descriptions() -> list[dict]:
    return [json.loads(line) for line in DESCRIPTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


# (description, minimum verdict, top category)
GUIDED: list[tuple[str, str, str | None]] = [
    # guided mode outputs
    (
        compose(who="leader", channel="new_friend", new_account="yes", purpose="forward", signs=["hurry"]),
        "high",
        "impersonate_leader",
    ),
    (compose(who="leader", channel="known", purpose="other", signs=["hurry"]), "medium", "impersonate_leader"),
    (compose(who="leader", channel="new_friend", purpose="fee"), "medium", "impersonate_leader"),
    (compose(who="acquaintance", channel="new_friend", purpose="fee"), "medium", "impersonate_leader"),
    (
        compose(who="acquaintance", channel="new_friend", purpose="borrow", signs=["hurry"]),
        "medium",
        "impersonate_leader",
    ),
    (compose(who="stranger", channel="call", purpose="forward"), "medium", "impersonate_leader"),
    (compose(who="stranger", channel="known", purpose="other", signs=["code"]), "medium", "other"),
    (compose(who="stranger", channel="call", purpose="other", signs=["screen"]), "medium", "other"),
    (compose(who="police", channel="call", purpose="safe_account", signs=["secret"]), "high", "impersonate_police"),
    (compose(who="service", channel="call", purpose="refund", signs=["screen"]), "medium", "fake_customer_service"),
    (compose(who="service", channel="sms", purpose="refund", signs=["code"]), "medium", "fake_customer_service"),
    (compose(who="invest_platform", channel="new_friend", purpose="invest"), "medium", "investment"),
    (compose(who="task_platform", channel="group", purpose="task", signs=["pay_first"]), "medium", "brushing"),
    # "贷款、投资理财或兼职平台" with a fee and "贷款、返利或者退款": any of those schemes is a fair report
    (compose(who="loan_platform", channel="call", purpose="fee", signs=["pay_first"]), "medium", "loan"),
    (compose(who="online_friend", channel="new_friend", purpose="invest"), "medium", "romance"),
    (compose(who="online_friend", channel="new_friend", purpose="borrow"), "medium", "romance"),
    (compose(who="leader", channel="known", purpose="forward", signs=["screenshot"]), "high", "impersonate_leader"),
]
SCAMS: list[tuple[str, str, str | None]] = [
    (d["text"], d["level"], d["category"]) for d in _descriptions() if d["label"] == "scam"
] + GUIDED
BENIGN: list[str] = [d["text"] for d in _descriptions() if d["label"] == "benign"]


@pytest.mark.parametrize(("text", "level", "category"), SCAMS, ids=[f"scam{i:02d}" for i in range(len(SCAMS))])
def test_scam_description_warns(text: str, level: str, category: str | None) -> None:
    report = fanzha.check(text)
    allowed = ("high",) if level == "high" else ("high", "medium")
    assert report.verdict in allowed, (text, report.verdict, report.score, [f.rule for f in report.findings])
    if category is not None:
        assert report.categories and report.categories[0] == category, (text, report.categories)


@pytest.mark.parametrize("text", BENIGN, ids=[f"benign{i:02d}" for i in range(len(BENIGN))])
def test_benign_description_stays_quiet(text: str) -> None:
    report = fanzha.check(text)
    assert not report.warned, (text, report.verdict, [f.rule for f in report.findings])


def test_compose_matches_guided_js() -> None:
    text = compose(who="leader", channel="known", purpose="other", signs=["hurry"])
    assert text == "对方自称“我是你们单位的领导”。他让我给他转账。他一直催我马上转账，说很急。"
