"""The product's second input path: a staff member DESCRIBES a transfer request in their own words
(first or third person, no speaker labels). Each scam description must warn at least at the expected level
with the expected top category; each benign description must not warn. Written in our own words.

The descriptions are data (tests/corpus/descriptions.jsonl: text, label, level, category), which the
learned scorer also trains on. Guided mode's descriptions (web/ui/guided.js) are tested with the page's own
composer in tests/browser/test_guided_table.py; what its known_contact fact does to a check is here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fanzha
from fanzha.report import MODEL_RULE

DESCRIPTIONS = Path(__file__).resolve().parents[1] / "corpus" / "descriptions.jsonl"


def _descriptions() -> list[dict]:
    return [json.loads(line) for line in DESCRIPTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


# (description, minimum verdict, top category)
SCAMS: list[tuple[str, str, str | None]] = [
    (d["text"], d["level"], d["category"]) for d in _descriptions() if d["label"] == "scam"
]
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


# A leader on a new account with a screenshot and a forward request: the rules' own words.
FAKE_LEADER = (
    "对方自称是我们局长，说这是他的新微信号。他让我先垫付三万转给他的合作方，还发来一张转账截图，可我这边没到账。"
)
# A relative asking plainly: nothing a rule names; the learned scorer alone finds it like scam descriptions.
PLAIN_REQUEST = "对方是我认识的亲戚朋友。他让我给他转账。"


def test_a_known_contact_takes_the_scorers_say_and_nothing_else() -> None:
    plain = fanzha.check(PLAIN_REQUEST)
    assert plain.warned and [f.rule for f in plain.findings] == [MODEL_RULE]
    vouched = fanzha.check(PLAIN_REQUEST, known_contact=True)
    assert vouched.verdict == "none" and not vouched.findings
    assert vouched.notes == (fanzha.KNOWN_CONTACT_NOTE,)
    assert "核实" in fanzha.KNOWN_CONTACT_NOTE

    # Rules still see the text: a named pattern warns whatever the answers said.
    scam = fanzha.check(FAKE_LEADER, known_contact=True)
    assert scam.verdict == "high" and MODEL_RULE not in {f.rule for f in scam.findings}


def test_check_json_passes_the_fact_on() -> None:
    assert json.loads(fanzha.check_json(PLAIN_REQUEST))["verdict"] in ("medium", "high")
    vouched = json.loads(fanzha.check_json(PLAIN_REQUEST, True))
    assert vouched["verdict"] == "none" and vouched["notes"] == [fanzha.KNOWN_CONTACT_NOTE]


def test_a_scammer_saying_the_number_is_old_still_warns() -> None:
    # The reassurance is never read from the text: here it is the asker's own line.
    chat = "王局：小李，我没换号，就是你手机里原来存着的这个号。\n王局：你先帮我垫付三万给合作方，越快越好。"
    report = fanzha.check(chat)
    assert report.verdict == "high" and fanzha.KNOWN_CONTACT_NOTE not in report.notes
