"""The engine as a user meets it (fanzha.check): verdicts, evidence offsets in the original, negation,
publicity, why each finding fired, advice. Transcripts, the command line and the rules' compiled forms have
their own files (test_transcript, test_cli, test_rule_compilation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fanzha

from .chats import LEADER_CHAT, REIMBURSEMENT_CHAT


def test_fake_leader_chat_is_high_with_evidence_in_the_original() -> None:
    report = fanzha.check(LEADER_CHAT)
    assert report.verdict == "high"
    rules = {f.rule for f in report.findings}
    assert {"leader_screenshot_not_arrived", "leader_pay_on_behalf"} <= rules
    assert report.categories[0] == "impersonate_leader"
    for f in report.findings:
        for e in f.evidence:
            assert LEADER_CHAT[e.start:e.end] == e.text
    assert any("110" in a for a in report.advice)
    assert "62220212345678901 23".replace(" ", "")[:16] in report.entities["accounts"][0]
    assert "户名:张伟" in report.entities["accounts"]
    assert 50000 in report.entities["amounts"]


def test_reimbursement_chat_is_not_a_warning() -> None:
    report = fanzha.check(REIMBURSEMENT_CHAT)
    assert not report.warned, [f.rule for f in report.findings]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("我不会转账给陌生人，也没有把钱转到安全账户。", "negated requests"),
        ("警方提醒：凡是自称公检法要求你把钱转到安全账户的，都是诈骗。", "a warning notice"),
        ("公检法机关绝不会要求转账到所谓的安全账户，请提高警惕。", "publicity with 所谓"),
        ("", "empty text"),
    ],
)
def test_quiet_texts(text: str, why: str) -> None:
    assert fanzha.check(text).verdict in ("none", "low"), why


def test_obfuscated_scam_still_warns() -> None:
    text = "我是市公安局的，你涉嫌洗钱，请把存款转 到 安-全-帐-户 进行核查，不要告诉家人。"
    report = fanzha.check(text)
    assert report.verdict == "high"
    ev = [e for f in report.findings for e in f.evidence]
    assert any(e.text == "安-全-帐-户" for e in ev)


def test_long_paste_is_cut_with_a_note() -> None:
    report = fanzha.check("你好" * (fanzha.MAX_CHARS // 2 + 100))
    assert report.notes and str(fanzha.MAX_CHARS) in report.notes[0]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_valid_offsets(text: str) -> None:
    report = fanzha.check(text)
    assert report.verdict in ("high", "medium", "low", "none")
    for f in report.findings:
        for e in f.evidence:
            assert 0 <= e.start < e.end <= len(text) and text[e.start:e.end] == e.text


def test_a_warning_heading_covers_the_script_it_quotes() -> None:
    poster = (
        "反诈提醒：\n航班取消，补偿300元，请下载会议软件开启屏幕共享。\n对方让你转到安全账户。\n\n"
        "有疑问请拨打96110。"
    )
    assert fanzha.check(poster).verdict in ("none", "low")
    # The same words pasted as a chat still warn: the heading is what makes it publicity.
    chat = "客服：航班取消了，补偿300元，请下载会议软件开启屏幕共享，把验证码告诉我。"
    assert fanzha.check(chat).warned


def test_every_finding_says_why_signal_by_signal() -> None:
    text = "我是市公安局的，你涉嫌洗钱，请把存款转到安全账户进行核查，不要告诉家人。"
    finding = fanzha.check(text).to_dict()["findings"][0]
    why = finding["why"]
    assert set(why) == set(finding["signals"])
    assert [e["text"] for e in why["safe_account"]] == ["安全账户"]
    for spans in why.values():
        for e in spans:
            assert text[e["start"]:e["end"]] == e["text"]


def test_advice_is_ordered_and_not_repeated() -> None:
    advice = fanzha.check(LEADER_CHAT).advice
    assert advice[0].startswith("先停下")
    assert not any(a.startswith("先别急着") for a in advice), "'stop' replaces the milder 'pause'"
    assert len(advice) == len(set(advice))
    assert any("110" in a for a in advice) and any("核实" in a for a in advice)


def test_the_message_table_places_every_position_as_the_locator_does() -> None:
    """find_hits reads a hit's message from a table (message_index) instead of a bisect per hit: for every
    position of the written chats and of a few odd texts, the table must say what message_locator says."""
    import glob
    import json

    from fanzha.detect import message_index, message_locator
    from fanzha.transcript import split_messages

    texts = ["", "\n\n", "领导：转钱\n\n我：好", "没有说话人的一段描述，只有一句。", "a：\nb：\n：c"]
    for path in sorted(glob.glob(str(Path(__file__).parents[1] / "corpus" / "chats" / "*.jsonl"))):
        texts += [json.loads(line)["text"] for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
    assert len(texts) > 500
    for text in texts:
        folded = fanzha.normalize.fold(text).text
        messages = split_messages(folded)
        locate = message_locator(messages)
        assert message_index(messages, len(folded)) == [locate(p) for p in range(len(folded) + 1)], text
