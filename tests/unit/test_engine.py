"""The engine as a user meets it: verdicts, evidence offsets, negation, publicity, transcripts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fanzha
from fanzha.transcript import split_messages

LEADER_CHAT = (
    "2024-03-05 09:12\n"
    "刘局长：小王，这是我新微信，最近工作怎么样？\n"
    "我：挺好的，刘局。\n"
    "刘局长：我在开会不方便接电话。上级朋友急用钱，我刚给你转了5万，截图你看下，跨行要2小时到账。\n"
    "刘局长：你先帮我转给他，账号6222 0212 3456 7890 123，户名张伟，越快越好。\n"
    "我：钱还没到账啊"
)
REIMBURSEMENT_CHAT = (
    "财务小李：各位，3月差旅报销已经审批，款项周五前打到工资卡。\n"
    "王主任：收到，发票原件下周一交财务。\n"
    "我：好的，我的报销单已经签字了。\n"
    "财务小李：跨行的同事可能晚一天到账，请注意查收。"
)


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


def test_transcript_speakers() -> None:
    msgs = split_messages(fanzha.normalize.fold(LEADER_CHAT).text)
    speakers = [m.speaker for m in msgs]
    assert speakers == ["刘局长", "我", "刘局长", "刘局长", "我"]


def test_qq_export_headers() -> None:
    text = "2024-01-02 10:21:33 老同学(12345678)\n借我两万\n2024-01-02 10:22:01 我(87654321)\n好"
    msgs = split_messages(fanzha.normalize.fold(text).text)
    assert [m.speaker for m in msgs] == ["老同学", "我"]


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


def test_cli_json_and_jsonl() -> None:
    run = [sys.executable, "-m", "fanzha", "check"]
    one = subprocess.run([*run, "--json", "-"], input=LEADER_CHAT, capture_output=True, text=True, check=True)
    assert json.loads(one.stdout)["verdict"] == "high"
    lines = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                      for i, t in (("a", LEADER_CHAT), ("b", REIMBURSEMENT_CHAT)))
    batch = subprocess.run([*run, "--jsonl", "-"], input=lines, capture_output=True, text=True, check=True)
    out = [json.loads(x) for x in batch.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["verdict"] == "high" and out[1]["verdict"] in ("none", "low")
    human = subprocess.run(run, input=LEADER_CHAT, capture_output=True, text=True, check=True)
    assert "很可能是诈骗" in human.stdout


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


def test_the_bundles_compiled_part_loads_the_same_rules_as_its_text() -> None:
    """The browser loads conditions and the word scanner precompiled (bundle["compiled"]); without that
    part they are parsed from the rule text. Both must be the same rules, or a phone would differ."""
    from fanzha.rulefiles import compile_rules
    from fanzha.rules import RuleSet

    bundle = json.loads(json.dumps(compile_rules(fanzha.RULES_DIR)))  # through JSON, as the page gets it
    fast = RuleSet.from_bundle(bundle)
    slow = RuleSet.from_bundle({k: v for k, v in bundle.items() if k != "compiled"})
    assert [r.condition for r in fast.rules] == [r.condition for r in slow.rules]
    assert fast.words.regex.pattern == slow.words.regex.pattern
    assert fast.words.signals_of == slow.words.signals_of
    assert [s.needs for s in fast.signals] == [s.needs for s in slow.signals]
    patterns = [(s.regex and s.regex.pattern) for s in fast.signals] + [fast.negators.pattern]
    assert patterns == [(s.regex and s.regex.pattern) for s in slow.signals] + [slow.negators.pattern]
    text = "刘局长：我在开会，你先帮我转5万给合作方，账号6222021234567890123。"
    assert fanzha.check(text, fast).to_dict() == fanzha.check(text, slow).to_dict()


def test_the_word_scanner_finds_every_signal_word_where_it_stands() -> None:
    """The scanner's one regex (a trie behind grouped guards) against plain str.find of every word:
    each word at each of its positions, overlaps and words inside longer ones included."""
    import random

    ruleset = fanzha.active_rules()
    words = sorted(ruleset.words.signals_of)
    rng = random.Random(6)
    filler = "的了我你在是有和款钱转账"
    text = "".join(rng.choice(words) + rng.choice(filler) * rng.randint(0, 2) for _ in range(3000))
    expected: dict[str, set[tuple[int, int]]] = {}
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            for name in ruleset.words.signals_of[word]:
                expected.setdefault(name, set()).add((pos, pos + len(word)))
            pos = text.find(word, pos + 1)
    found = {name: set(spans) for name, spans in ruleset.words.scan(text).items()}
    assert found == expected
    assert len(expected) > 100  # nearly every signal with words is exercised


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("转账|汇款", {"转账", "汇款"}),
        (r"(?:付|转)(?:个|了)?\d{3}", {"付", "转"}),
        ("a?b", {"b"}),
        ("(?:转|)账", {"账"}),
        ("(?:保证金){1,2}|解冻", {"保证金", "解冻"}),
        ("x{0,3}", None),
        ("(?i)abc", None),
        ("转账|(?=截图)", None),
        (r"\d{6}", None),
    ],
)
def test_required_literals_name_what_every_match_contains(pattern: str, needs: set[str] | None) -> None:
    from fanzha.patterns import required_literals

    assert required_literals(pattern) == (None if needs is None else frozenset(needs))


@pytest.mark.parametrize(
    ("pattern", "firsts"),
    [
        ("转账|汇款", "汇转"),
        (r"(?<![\d.])[1-9]\d{2}", "1-9"),
        (r"(?:付|转)(?:个|了)?\d{3}", "付转"),
        (r"\s?元", r"\s元"),
        ("a*b|c", "abc"),
        (r"(?:加|添加)[^。]{0,10}微信|微信号", "加微添"),
        (r"\bq", "q"),
        ("x{0,3}", None),  # may match empty
        ("(?=截图)", None),
        ("(?i)abc", None),
        (r"[^。]{0,3}群", None),  # starts with nearly any character
        (".x", None),
    ],
)
def test_first_chars_name_where_every_match_starts(pattern: str, firsts: str | None) -> None:
    from fanzha.patterns import first_chars

    assert first_chars(pattern) == firsts


def test_a_guarded_pattern_finds_exactly_what_it_found_unguarded() -> None:
    """Patterns that run over the whole paste sit behind a lookahead of their first characters: every rule
    example, folded as a check folds it, must give the same matches with and without it."""
    import re

    from fanzha.patterns import first_chars, guarded

    ruleset = fanzha.active_rules()
    texts = [fanzha.normalize.fold(t).text for r in ruleset.rules for ex in r.examples.values() for t in ex]
    regexes = [s.regex for s in ruleset.signals if s.regex is not None]
    regexes += [ruleset.negators, ruleset.clause_negators, ruleset.warning_markers]
    plain = [re.compile(r.pattern.split(")(?:", 1)[1][:-1]) if r.pattern.startswith("(?=[") else r for r in regexes]
    assert sum(p is not r for p, r in zip(plain, regexes, strict=True)) >= 15, "most whole-paste patterns are guarded"
    matched = 0
    for fast, slow in zip(regexes, plain, strict=True):
        assert fast.pattern == guarded(slow.pattern, first_chars(slow.pattern)) or fast is slow
        for text in texts:
            got = [m.span() for m in fast.finditer(text)]
            assert got == [m.span() for m in slow.finditer(text)], (slow.pattern, text)
            matched += len(got)
    assert matched > 1000


def test_a_signal_regex_is_skipped_only_when_it_cannot_match() -> None:
    """The check skips a signal's regex when the text holds none of its required strings: that must never
    hide a match. Every rule example, folded as a check folds it, through every signal's regex."""
    ruleset = fanzha.active_rules()
    texts = [fanzha.normalize.fold(t).text for r in ruleset.rules for ex in r.examples.values() for t in ex]
    gated = [s for s in ruleset.signals if s.regex is not None and s.needs]
    assert len(gated) > 0.8 * sum(s.regex is not None for s in ruleset.signals), "most signals can be skipped"
    matched = 0
    for signal in gated:
        for text in texts:
            if signal.regex.search(text):
                matched += 1
                assert any(n in text for n in signal.needs), (signal.name, text)
    assert matched > 1000  # the examples exercise the gate, not just pass it by
