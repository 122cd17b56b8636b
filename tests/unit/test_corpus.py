"""Whole-text regression corpus (Sigma's goodlog, semgrep's test files).

tests/corpus/benign/: realistic texts that must NOT warn (verdict high or medium): reimbursement
notices, AA payments, class fees, bank SMS, genuine shop and courier customer service, family money,
the anti-fraud publicity itself. A ``.txt`` file is one text; a ``.json`` file is a list of texts.

tests/corpus/scam/: full multi-message scam chats, one ``.json`` object per file with ``text``,
``category`` (the expected top category) and ``rules`` (rule ids that must fire). Each must warn.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fanzha

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _benign() -> list:
    out = []
    for path in sorted((CORPUS / "benign").glob("*")):
        if path.suffix == ".txt":
            out.append(pytest.param(path.read_text(encoding="utf-8"), id=path.stem))
        elif path.suffix == ".json":
            texts = json.loads(path.read_text(encoding="utf-8"))
            out += [pytest.param(t, id=f"{path.stem}[{i}]") for i, t in enumerate(texts)]
    return out


def _scam() -> list:
    return [
        pytest.param(json.loads(p.read_text(encoding="utf-8")), id=p.stem)
        for p in sorted((CORPUS / "scam").glob("*.json"))
    ]


@pytest.mark.parametrize("text", _benign())
def test_benign_text_does_not_warn(text: str) -> None:
    report = fanzha.check(text)
    fired = [f.rule for f in report.findings]
    assert not report.warned, f"verdict {report.verdict}, rules {fired}"


@pytest.mark.parametrize("case", _scam())
def test_scam_transcript_warns_with_expected_rules(case: dict) -> None:
    report = fanzha.check(case["text"])
    fired = {f.rule for f in report.findings}
    assert report.warned, f"verdict {report.verdict}, rules {sorted(fired)}"
    assert set(case["rules"]) <= fired, f"missing {sorted(set(case['rules']) - fired)}; fired {sorted(fired)}"
    assert report.categories[0] == case["category"], report.categories


def test_corpus_is_not_empty() -> None:
    assert len(_benign()) >= 20 and len(_scam()) >= 8
