"""The guided description and the learn section: both must lead to real warnings from the engine."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

WARNED = re.compile(r"^(high|medium)$")

# Typical answer combinations (question id -> choices) and the category the engine must then report.
TYPICAL = [
    (
        "leader",
        {
            "who": "leader",
            "channel": "new_friend",
            "new_account": "yes",
            "purpose": "forward",
            "signs": ["screenshot", "hurry"],
        },
        "impersonate_leader",
    ),
    (
        "police",
        {"who": "police", "channel": "call", "purpose": "safe_account", "signs": ["secret"]},
        "impersonate_police",
    ),
    (
        "service",
        {"who": "service", "channel": "call", "purpose": "refund", "signs": ["screen", "code"]},
        "fake_customer_service",
    ),
    ("loan", {"who": "loan_platform", "channel": "sms", "purpose": "fee", "signs": ["pay_first"]}, "loan"),
    ("brushing", {"who": "task_platform", "channel": "group", "purpose": "task", "signs": ["pay_first"]}, "brushing"),
    (
        "relative",
        {"who": "acquaintance", "channel": "new_friend", "purpose": "borrow", "signs": ["hurry"]},
        "impersonate_leader",
    ),
    ("screenshot", {"signs": ["screenshot"]}, "impersonate_leader"),
]

EXAMPLE_TYPES = [
    "impersonate_leader", "loan", "brushing", "impersonate_police", "fake_customer_service", "investment",
    "credit_repair", "fake_shopping", "game_trade", "romance", "flight_refund",
]  # fmt: skip


def answer(page: Page, answers: dict[str, str | list[str]]) -> None:
    page.get_by_test_id("tab-guided").click()
    form = page.get_by_test_id("guided-form")
    form.locator('button[type="reset"]').click()
    for question, picked in answers.items():
        for value in [picked] if isinstance(picked, str) else picked:
            form.locator(f'label[for="q-{question}-{value}"]').click()
    page.get_by_test_id("guided-submit").click()


@pytest.mark.parametrize(("name", "answers", "category"), TYPICAL, ids=[t[0] for t in TYPICAL])
def test_typical_answers_compose_a_description_that_warns(
    ready_page: Page, name: str, answers: dict, category: str
) -> None:
    answer(ready_page, answers)

    box = ready_page.get_by_test_id("input")
    expect(box).to_be_visible()
    expect(box).to_have_value(re.compile(r"^对方.+。"))
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", WARNED)
    expect(ready_page.locator(f'[data-testid="finding"][data-category="{category}"]').first).to_be_visible()


def test_answers_without_red_flags_still_remind_to_verify(ready_page: Page) -> None:
    # A relative on a contact the user already had, not a new number, asking plainly: said as such, no warning,
    # and the result still says to verify with the person before paying (issue 15.7).
    answer(ready_page, {"who": "acquaintance", "channel": "known", "new_account": "no", "purpose": "other"})
    box = ready_page.get_by_test_id("input")
    expect(box).to_have_value(re.compile(r"^对方是我认识的亲戚朋友。.*原来就存着的联系方式"))
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", re.compile(r"^(none|low)$"))
    expect(ready_page.locator("#verdict-note")).to_contain_text("核实")
    expect(ready_page.locator("#notes")).to_contain_text("原来存的电话和本人核实")
    expect(ready_page.get_by_test_id("advice")).to_contain_text("原来就存着的电话核实")

    # Edited, it is the user's own text: the answers no longer vouch for it, and the claim alone warns.
    box.press("End")
    box.type("他说很快还我。")
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", WARNED)
    expect(ready_page.locator("#notes")).to_be_hidden()


def test_a_warning_sign_beside_reassuring_answers_still_warns(ready_page: Page) -> None:
    answer(ready_page, {"who": "acquaintance", "channel": "known", "new_account": "no", "purpose": "other",
                        "signs": ["hurry"]})  # fmt: skip
    expect(ready_page.get_by_test_id("input")).to_have_value(re.compile("催我马上转账"))
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", WARNED)


def test_no_answer_asks_for_one_instead_of_checking(ready_page: Page) -> None:
    answer(ready_page, {})
    expect(ready_page.locator("#guided-status")).to_contain_text("请至少选一项")
    expect(ready_page.get_by_test_id("verdict")).to_be_hidden()


def test_learn_shows_the_four_reminders_and_every_type(ready_page: Page) -> None:
    ready_page.get_by_test_id("tab-learn").click()
    expect(ready_page.get_by_test_id("reminders").locator("li")).to_have_count(4)
    expect(ready_page.get_by_test_id("reminders")).to_contain_text("天上不会掉馅饼")
    types = ready_page.get_by_test_id("fraud-type")
    assert [types.nth(i).get_attribute("data-type") for i in range(types.count())] == EXAMPLE_TYPES
    expect(ready_page.locator(".type-card .badge")).to_have_count(6)  # the notice's six types


@pytest.mark.parametrize("fraud_type", EXAMPLE_TYPES)
def test_every_example_loads_into_the_checker_and_warns(ready_page: Page, fraud_type: str) -> None:
    ready_page.get_by_test_id("tab-learn").click()
    card = ready_page.locator(f'[data-testid="fraud-type"][data-type="{fraud_type}"]')
    example = card.locator(".example").text_content() or ""
    card.get_by_test_id("example").click()

    expect(ready_page.get_by_test_id("input")).to_have_value(example)
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", WARNED)
    expect(ready_page.locator(f'[data-testid="finding"][data-category="{fraud_type}"]').first).to_be_visible()
