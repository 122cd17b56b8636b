"""Guided mode's table: what each combination of answers composes, and what the checker then says (issue 15.7).

The composition is the page's own: web/ui/guided.js is imported in Chromium and its compose() and vouches()
are called, so nothing here re-implements it. The verdicts are CPython's ``fanzha.check`` with the fact the
page would send (``known_contact``); test_model.py and test_runtime.py hold the worker to CPython's answers,
and test_guided_learn.py clicks the same answers through the page.

What the table holds, in the user's terms:
- answers that vouch (a person the user knows, on a contact they already had, nothing else suspicious) are
  said as such, without "自称", and do not warn; the result still says to verify before paying;
- the same answers without the reassurance warn, so the reassurance is what lowers the level;
- any warning answer (someone the user cannot know, a new account or a new friend request, a text with a
  link, a fee or another pretext for money, any of the signs) warns, even beside reassuring answers.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import NamedTuple

import pytest
from playwright.sync_api import Browser, Page

import fanzha
from fanzha.report import MODEL_RULE

LEVELS = ["none", "low", "medium", "high"]
WARNED = ("medium", "high")
NOT_WARNED = ("none", "low")

Answers = dict[str, str | list[str]]


class Row(NamedTuple):
    id: str
    answers: Answers
    text: str | None  # the description guided.js must write, exactly (None: not pinned here)
    vouches: bool
    levels: tuple[str, ...]  # the verdicts allowed
    category: str | None = None  # the top category, where it matters


def row(id: str, text: str | None, vouches: bool, levels: tuple[str, ...], category: str | None = None,
        **answers: str | list[str]) -> Row:  # fmt: skip
    return Row(id, answers, text, vouches, levels, category)


LEADER_OLD = "对方是我们单位的领导。他用的是我手机里原来就存着的联系方式。"
RELATIVE_OLD = "对方是我认识的亲戚朋友。他用的是我手机里原来就存着的联系方式。"
NOT_NEW = "他用的不是新号，是我原来就有的号码。"
ASKS = "他让我给他转账。"
FAKE_LEADER = "对方自称“我是你们单位的领导”。"
FRIEND_REQUEST = "他发来好友申请，加了我的微信，在微信上联系我。"

TABLE = [
    # --- reassuring answers: said plainly, no warning ---
    row("relative_old_contact_not_new", RELATIVE_OLD + ASKS, True, NOT_WARNED,  # the old contact, said once
        who="acquaintance", channel="known", new_account="no", purpose="other"),
    row("relative_call_not_new", "对方是我认识的亲戚朋友。他打电话给我。" + NOT_NEW + ASKS, True, NOT_WARNED,
        who="acquaintance", channel="call", new_account="no", purpose="other"),
    row("leader_in_person", "对方是我们单位的领导。他是当面跟我说的。" + ASKS, True, NOT_WARNED,
        who="leader", channel="in_person", purpose="other"),
    row("leader_old_contact", LEADER_OLD + ASKS, True, NOT_WARNED,
        who="leader", channel="known", new_account="unsure", purpose="other"),
    # --- the same people without the reassurance: a claim only, a warning ---
    row("relative_call_unsure", "对方自称是我的亲戚朋友。他打电话给我。" + ASKS, False, WARNED,
        who="acquaintance", channel="call", new_account="unsure", purpose="other"),
    # --- reassuring answers beside a warning sign: the reassurance is not written, and the sign warns ---
    row("leader_old_contact_hurry", FAKE_LEADER + ASKS + "他一直催我马上转账，说很急。", False, WARNED,
        "impersonate_leader", who="leader", channel="known", purpose="other", signs=["hurry"]),
    row("leader_old_contact_screenshot",
        FAKE_LEADER + "他让我先垫付一笔钱转给他的合作方，说是资金周转。"
        "他发来一张转账截图，说钱已经转给我了，可我这边还没到账。",
        False, ("high",), "impersonate_leader", who="leader", channel="known", purpose="forward", signs=["screenshot"]),
    row("relative_old_contact_borrow",
        "对方自称是我的亲戚朋友。他说家里出了急事，找我借钱，让我转到他给的银行卡号上。", False, WARNED,
        who="acquaintance", channel="known", new_account="no", purpose="borrow"),
    row("relative_in_person_secret",
        "对方自称是我的亲戚朋友。" + ASKS + "他叮嘱我这件事要保密，谁都不能告诉。", False, WARNED,
        who="acquaintance", channel="in_person", purpose="other", signs=["secret"]),
    # --- a new account contradicts an old contact: the new one wins, and nothing reassuring is said ---
    row("leader_new_account", FAKE_LEADER + "他说这是新微信号，原来的号不用了。" + ASKS, False, ("high",),
        "impersonate_leader", who="leader", channel="known", new_account="yes", purpose="other"),
    row("leader_friend_request_not_new", FAKE_LEADER + FRIEND_REQUEST + ASKS, False, ("high",), "impersonate_leader",
        who="leader", channel="new_friend", new_account="no", purpose="other"),
    # --- an old contact vouches for nobody the user cannot know ---
    row("police_old_contact", "对方自称“我是公安局的民警”。" + ASKS, False, WARNED,
        who="police", channel="known", new_account="no", purpose="other"),
    row("stranger_in_person", "对方是我不认识的人。" + ASKS, False, WARNED,
        who="stranger", channel="in_person", purpose="other"),
    row("old_contact_only", "", False, NOT_WARNED, channel="known", new_account="no"),
    # --- the typical schemes (formerly tests/unit/test_descriptions.py's GUIDED) ---
    row("leader_full",
        FAKE_LEADER + FRIEND_REQUEST + "他说这是新微信号，原来的号不用了。"
        "他让我先垫付一笔钱转给他的合作方，说是资金周转。他一直催我马上转账，说很急。",
        False, ("high",), "impersonate_leader",
        who="leader", channel="new_friend", new_account="yes", purpose="forward", signs=["hurry"]),
    row("leader_fee", None, False, WARNED, "impersonate_leader", who="leader", channel="new_friend", purpose="fee"),
    row("relative_fee", None, False, WARNED, "impersonate_leader",
        who="acquaintance", channel="new_friend", purpose="fee"),
    row("relative_borrow", None, False, WARNED, "impersonate_leader",
        who="acquaintance", channel="new_friend", purpose="borrow", signs=["hurry"]),
    row("stranger_forward", None, False, WARNED, "impersonate_leader",
        who="stranger", channel="call", purpose="forward"),
    row("stranger_code", None, False, WARNED, "other",
        who="stranger", channel="known", purpose="other", signs=["code"]),
    row("stranger_screen", None, False, WARNED, "other", who="stranger", channel="call", purpose="other",
        signs=["screen"]),
    row("police_safe_account", None, False, ("high",), "impersonate_police",
        who="police", channel="call", purpose="safe_account", signs=["secret"]),
    row("service_refund_screen", None, False, WARNED, "fake_customer_service",
        who="service", channel="call", purpose="refund", signs=["screen"]),
    row("service_refund_code", None, False, WARNED, "fake_customer_service",
        who="service", channel="sms", purpose="refund", signs=["code"]),
    row("invest", None, False, WARNED, "investment", who="invest_platform", channel="new_friend", purpose="invest"),
    row("brushing", None, False, WARNED, "brushing", who="task_platform", channel="group", purpose="task",
        signs=["pay_first"]),
    row("loan", None, False, WARNED, "loan", who="loan_platform", channel="call", purpose="fee", signs=["pay_first"]),
    row("romance_invest", None, False, WARNED, "romance", who="online_friend", channel="new_friend", purpose="invest"),
    row("romance_borrow", None, False, WARNED, "romance", who="online_friend", channel="new_friend", purpose="borrow"),
]  # fmt: skip

# Warning answers: anything a person the user knows, on an old contact, asking plainly, would not say.
KNOWABLE = {"leader", "acquaintance"}
NEW_CONTACT = {"new_friend", "sms", "group"}
# A refund offered by someone the user knows asks for no money: it need not warn (guided.js still does not
# vouch for it, a refund being a scam's pretext); from anyone else, the person is the warning.
NOT_A_PRETEXT = {"other", "refund"}

# Combinations with a warning answer that the checker does not warn on: documented gaps, held exactly (a fix
# fails this test until the gap is taken off the list, as rule files' known_miss examples do).
# None today: the last two (a "leader" texting a link about a refund) warn since refund_offer_from_unverified.
KNOWN_GAPS: set[tuple] = set()


@pytest.fixture(scope="module")
def guided_page(browser: Browser, site_url: str) -> Iterator[Page]:
    """A page of the site showing web/ui/guided.js: imports there run under the site's CSP, and the engine
    (Pyodide) is not started for it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}ui/guided.js")
    yield page
    context.close()


@pytest.fixture(scope="module")
def guided(guided_page: Page) -> Callable[[list[Answers]], list[tuple[str, bool]]]:
    """(description, vouches) for each set of answers, from the page's own compose() and vouches()."""

    def run(answers: list[Answers]) -> list[tuple[str, bool]]:
        script = """async (all) => {
          const m = await import(new URL("guided.js", location.href));
          return all.map((a) => [m.compose(a), m.vouches(a)]);
        }"""
        return [(text, vouches) for text, vouches in guided_page.evaluate(script, answers)]

    return run


@pytest.fixture(scope="module")
def choices(guided_page: Page) -> dict[str, list[str]]:
    """Question id -> its choices' values, from guided.js."""
    script = """async () => {
      const m = await import(new URL("guided.js", location.href));
      return Object.fromEntries(m.QUESTIONS.map((q) => [q.id, q.choices.map((c) => c.value)]));
    }"""
    return guided_page.evaluate(script)


def check(text: str, vouched: bool) -> fanzha.Report:
    return fanzha.check(text, known_contact=vouched)


@pytest.mark.parametrize("case", TABLE, ids=[r.id for r in TABLE])
def test_table(guided, case: Row) -> None:
    [(composed, vouches)] = guided([case.answers])
    if case.text is not None:
        assert composed == case.text
    assert vouches is case.vouches
    if not composed:
        return  # nothing that says anything: the page asks for an answer instead of checking
    report = check(composed, vouches)
    assert report.verdict in case.levels, (composed, report.verdict, [f.rule for f in report.findings])
    if case.category is not None:
        assert report.categories[0] == case.category, (composed, report.categories)
    if vouches:
        assert "自称" not in composed
        assert not report.findings
        assert any("核实" in note for note in report.notes)  # still: verify with the person before paying


def _combinations(choices: dict[str, list[str]]) -> list[Answers]:
    """Every who x channel x new account x purpose with no sign; and each sign alone on every who x purpose
    from an old contact, where a sign must still warn."""
    questions = [choices[q] for q in ("who", "channel", "new_account", "purpose")]
    rows: list[Answers] = [
        {"who": w, "channel": c, "new_account": n, "purpose": p, "signs": []}
        for w, c, n, p in itertools.product(*questions)
    ]
    rows += [
        {"who": w, "channel": "known", "new_account": "no", "purpose": p, "signs": [s]}
        for w, p, s in itertools.product(choices["who"], choices["purpose"], choices["signs"])
    ]
    return rows


def _warning_answer(a: Answers) -> bool:
    return (
        a["who"] not in KNOWABLE
        or a["channel"] in NEW_CONTACT
        or a["new_account"] == "yes"
        or a["purpose"] not in NOT_A_PRETEXT
        or bool(a["signs"])
    )


def _key(a: Answers) -> tuple:
    return (a["who"], a["channel"], a["new_account"], a["purpose"], tuple(a["signs"]))


def test_every_combination_warns_on_a_warning_answer_and_not_when_vouched(guided, choices) -> None:
    answers = _combinations(choices)
    composed = guided(answers)
    verdicts: dict[tuple[str, bool], str] = {}
    missed, vouched_warned, vouched_with_warning = set(), [], []
    for a, (text, vouches) in zip(answers, composed, strict=True):
        if (text, vouches) not in verdicts:
            verdicts[text, vouches] = check(text, vouches).verdict
        verdict = verdicts[text, vouches]
        if vouches and _warning_answer(a):
            vouched_with_warning.append(a)
        if vouches and verdict in WARNED:
            vouched_warned.append((a, verdict))
        if _warning_answer(a) and verdict not in WARNED:
            missed.add(_key(a))
    assert not vouched_with_warning
    assert not vouched_warned
    assert missed == KNOWN_GAPS
    assert sum(v for _, v in composed) >= 10  # the reassured combinations are there to be tested


def test_the_reassuring_answers_are_what_lowers_the_level(guided, choices) -> None:
    """Each vouched combination against the same answers without the reassuring ones (no channel answered,
    "不清楚" for the new account): the reassurance must lower the level, from a warning."""
    answers = [a for a in _combinations(choices) if not a["signs"]]
    vouched = [a for a, (_, v) in zip(answers, guided(answers), strict=True) if v]
    assert vouched
    plain = [{"who": a["who"], "new_account": "unsure", "purpose": a["purpose"]} for a in vouched]
    for a, (text, vouches), (plain_text, plain_vouches) in zip(vouched, guided(vouched), guided(plain), strict=True):
        assert not plain_vouches
        before, after = check(plain_text, False).verdict, check(text, vouches).verdict
        assert before in WARNED, (plain_text, before)
        assert LEVELS.index(after) < LEVELS.index(before), (a, text, after, before)


def test_the_reassuring_words_alone_vouch_for_nothing(guided) -> None:
    """The vouched description checked as plain text (pasted, or edited in the box): the scorer has its say
    again and nothing is said of a known contact. Only the answers vouch, never the words."""
    [(text, vouches)] = guided([{"who": "acquaintance", "channel": "known", "new_account": "no", "purpose": "other"}])
    assert vouches
    plain = check(text, False)
    assert MODEL_RULE in {f.rule for f in plain.findings}
    assert fanzha.KNOWN_CONTACT_NOTE not in plain.notes
