"""Highlights mark the tells (issue 15.5): the asking side's words, a speaker's name only where it is the
claim ("刘局长：…"), never the user's own reply; the textbook tells are marked."""

from __future__ import annotations

import fanzha

CHAT = (
    "刘局长：小王，我是刘局，这是我新换的微信\n"
    "我：王局好\n"
    "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123。这事别跟其他人说。\n"
    "我：好的领导，我马上转"
)


def _spans_of(text: str, part: str) -> range:
    start = text.index(part)
    return range(start, start + len(part))


def test_the_tells_are_marked() -> None:
    marked = {e.text for f in fanzha.check(CHAT).findings for e in f.evidence}
    assert "这是我新换的微信" in marked
    assert "别跟其他人说" in marked
    assert any("在开会" in m for m in marked)


def test_the_users_own_replies_are_not_evidence() -> None:
    replies = [_spans_of(CHAT, "王局好"), _spans_of(CHAT, "好的领导，我马上转")]
    for finding in fanzha.check(CHAT).findings:
        for e in finding.evidence:
            assert not any(e.start in r for r in replies), (finding.rule, e)


def test_a_speakers_name_is_evidence_only_as_a_claim_of_identity() -> None:
    report = fanzha.check(CHAT)
    label = _spans_of(CHAT, "刘局长")
    for finding in report.findings:
        for name, spans in finding.why.items():
            for e in spans:
                if e.start in label:
                    assert name == "leader_identity", (finding.rule, name, e)


def test_secrecy_in_other_words_is_a_signal() -> None:
    for line in ("这事别跟其他人说", "千万不要和同事讲", "先别跟家里人提"):
        report = fanzha.check(f"领导：你先帮我转3万给合作方，{line}。")
        assert any(line[-5:] in e.text or e.text in line for f in report.findings for e in f.evidence), line
