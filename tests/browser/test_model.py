"""The learned scorer in the page's worker (issue 13): Pyodide gives the very reports CPython gives, scores
included, and the page shows the scorer's finding like any other, with its words marked."""

from __future__ import annotations

import json

from conftest import embedding_parent
from playwright.sync_api import Browser, Page, expect

import fanzha
from fanzha.report import MODEL_RULE

# Our own texts: a scam only the scorer names, a chat where rules and scorer agree, a benign one, and a
# long paste (the sums run over thousands of n-grams).
UNNAMED = "哥，我朋友在做一个项目，投一万一个月能拿三千分红，名额不多，你要不要来一份？"
TEXTS = [
    UNNAMED,
    "对方：小李，我是刘处长，这是我新换的微信。\n对方：你先帮我转8万给合作方，账号6222021001234567890，越快越好。",
    "同事：下午三点的会改到四点了，会议室不变。\n我：收到。",
    "群主：本周团购的苹果到了，每箱68元，下班前到三楼领取。\n" * 40,
]


def test_the_worker_scores_exactly_as_cpython(browser: Browser, site_url: str, other_origin) -> None:
    context = browser.new_context(service_workers="block")
    page = embedding_parent(context, site_url, other_origin)
    for i, text in enumerate(TEXTS):
        page.evaluate("([text, id]) => send({type: 'fanzha:check', text, id})", [text, 100 + i])
        page.wait_for_function(
            "(id) => got.some((m) => m.data && m.data.type === 'fanzha:result' && m.data.id === id)", arg=100 + i
        )
        got = page.evaluate(
            "(id) => got.find((m) => m.data.type === 'fanzha:result' && m.data.id === id).data", 100 + i
        )
        want = json.loads(json.dumps(fanzha.check(text).to_dict(), ensure_ascii=False))
        assert "model" in got["report"], "the worker runs the scorer"
        assert got["report"] == want, text[:20]
    context.close()


def test_the_page_shows_the_scorers_finding_with_its_words_marked(ready_page: Page) -> None:
    ready_page.get_by_test_id("input").fill(UNNAMED)
    ready_page.get_by_test_id("check").click()
    expect(ready_page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "medium")
    finding = ready_page.locator(f'[data-testid="finding"][data-rule="{MODEL_RULE}"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("与已知诈骗信息的说法相似")
    expect(finding).to_contain_text("统计上的相似")
    marks = finding.locator("mark").all_text_contents()
    assert marks and all(m in UNNAMED for m in marks), marks
