"""The learned scorer beside the rules (issue 13): how it decides with them, how it explains itself, and
that the committed model file is what a retrain gives."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

import fanzha
from fanzha import decide, model
from fanzha.report import MODEL_RULE

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev.jsonl"
# Our own texts: scams in words no rule names, which only the scorer catches.
UNNAMED_SCAMS = [
    "亲爱的，我舅舅在证券公司做内部操盘，这个月有一只稳涨的，你先投五万试试，赚了我们就去看房。",
    "您的ETC卡已过期失效，请点击链接重新认证，否则将无法正常通行。",
    "哥，我朋友在做一个项目，投一万一个月能拿三千分红，名额不多，你要不要来一份？",
]
NOTICE = "近期有骗子冒充局领导加微信，凡是网上自称领导要求转账的，一律先电话核实，切勿转账！"


@pytest.fixture(scope="module")
def scorer() -> model.Scorer:
    found = model.default_scorer()
    assert found is not None, "py/fanzha/model.bin is missing: run python -m fanzha train"
    return found


# (rule points, scorer level) -> verdict. The scorer alone warns but never says high; with a rule it can.
DECISIONS = [
    ([], None, "none"),
    ([], "low", "low"),
    ([], "medium", "medium"),
    ([], "quiet", "none"),
    ([("impersonate_leader", 15, 0)], "medium", "medium"),
    ([("impersonate_leader", 40, 0)], "medium", "high"),
    ([("impersonate_leader", 70, 0)], None, "high"),
    ([("impersonate_leader", 70, 0)], "quiet", "low"),
    ([("impersonate_leader", 40, 0)], "quiet", "none"),
    ([("impersonate_leader", 55, 0), ("other", 40, 0)], "quiet", "medium"),
]


@pytest.mark.parametrize(("points", "severity", "verdict"), DECISIONS)
def test_the_decision_table(points: list, severity: str | None, verdict: str) -> None:
    got = decide.combine(points, {}, severity, lambda: [("romance", 0.9)], fanzha.active_rules())
    assert got[0] == verdict


def test_the_scorer_names_the_scheme_where_the_rules_only_say_other() -> None:
    rules = fanzha.active_rules()
    romance = lambda: [("romance", 0.9)]  # noqa: E731
    _, _, categories, model_category = decide.combine([("other", 15, 0)], {}, "medium", romance, rules)
    assert categories == ["romance", "other"] and model_category == "romance"
    _, _, categories, _ = decide.combine([("loan", 40, 0)], {}, "medium", lambda: [("romance", 0.9)], rules)
    assert categories == ["loan", "romance"], "a named scheme stays first"


@pytest.mark.parametrize("text", UNNAMED_SCAMS)
def test_a_scam_no_rule_names_is_warned_and_explained_as_a_resemblance(text: str) -> None:
    report = fanzha.check(text)
    assert report.warned, (report.verdict, report.model)
    finding = next(f for f in report.findings if f.rule == MODEL_RULE)
    assert report.findings[-1] is finding, "named rules come first"
    assert "统计上的相似" in finding.explanation and "%" in finding.explanation
    assert finding.evidence, "the words that pushed the score are shown"
    for e in finding.evidence:
        assert text[e.start : e.end] == e.text and len(e.text) >= 2
    assert report.to_dict()["model"]["probability"] >= 0.5


def test_evidence_maps_back_through_folding() -> None:
    text = "\u200b".join(UNNAMED_SCAMS[2])  # zero-width characters between every character
    finding = next(f for f in fanzha.check(text).findings if f.rule == MODEL_RULE)
    for e in finding.evidence:
        assert text[e.start : e.end] == e.text
        assert e.text.replace("\u200b", "") in UNNAMED_SCAMS[2]


def test_the_units_own_warning_notice_does_not_warn() -> None:
    report = fanzha.check(NOTICE)
    assert not report.warned, (report.verdict, [f.rule for f in report.findings])


def test_a_benign_chat_gets_no_model_finding() -> None:
    report = fanzha.check("同事：中午食堂吃什么？\n我：红烧肉吧，我先去排队。")
    assert report.verdict == "none" and not report.findings


def test_scores_are_the_same_for_the_same_text(scorer: model.Scorer) -> None:
    text = model.model_text(UNNAMED_SCAMS[0])
    assert scorer.resemblance(text) == scorer.resemblance(text)
    assert abs(sum(p for _, p in scorer.categories_of(scorer.features(text))) - 1) < 1e-3


def test_a_file_that_is_no_model_is_refused() -> None:
    with pytest.raises(ValueError, match="not a fanzha model"):
        model.Scorer(b"PK\x03\x04" + bytes(64))


def test_digits_are_one_shape_and_spans_keep_their_length() -> None:
    assert model.model_text("转账8万到6222021") == "转账0万到0000000"


@pytest.mark.skipif(not DEV_SET.exists(), reason="the public dev set is not beside this clone")
def test_the_committed_model_is_what_a_retrain_gives(tmp_path: Path) -> None:
    if importlib.util.find_spec("sklearn") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the train extra (scikit-learn) is missing: pip install -e '.[test]'")
        pytest.skip("the train extra (scikit-learn) is not installed")
    from fanzha.training import run

    out = tmp_path / "model.bin"
    run.train(DEV_SET, out)
    committed = Path(model.__file__).with_name(model.MODEL_FILE).read_bytes()
    assert out.read_bytes() == committed, "retrain with python -m fanzha train and commit model.bin"


@pytest.mark.parametrize("text", ["你好", "在吗？", "收到，谢谢"])
def test_a_greeting_is_too_short_for_the_scorer_to_warn(text: str) -> None:
    report = fanzha.check(text)
    assert report.verdict == "none" and not report.findings
