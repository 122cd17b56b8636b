"""The category labels and verdict words are one table in the rules data (rules/_language.toml): checked
there, read by the command line, written into the page by the build (tests/browser/test_result.py checks
the page's copy)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import fanzha
from fanzha import cli, decide, labels
from fanzha.rulefiles import RuleError, load_schema

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
LABELS = labels.load_labels(RULES)


def test_every_category_and_verdict_has_its_words() -> None:
    assert tuple(LABELS["categories"]) == load_schema(RULES / "schema.json").categories
    assert tuple(LABELS["verdicts"]) == decide.LEVELS
    learn = (ROOT / "web" / "content" / "learn.js").read_text("utf-8")
    for category in re.findall(r'^    id: "(\w+)",', learn, re.M):  # each type of the learn page has a name
        assert LABELS["categories"][category].get("name"), category


@pytest.mark.parametrize("verdict", ["high", "none"])
def test_the_command_line_says_the_pages_verdict(verdict: str) -> None:
    text = "领导：我在开会，你先帮我转两万给王总，账号6222021234567890123" if verdict == "high" else "下午开会"
    report = fanzha.check(text)
    assert report.verdict == verdict
    words = LABELS["verdicts"][verdict]
    first, *rest = cli.format_report(report).splitlines()
    assert first.startswith(f"结论：{words['text']}（")
    assert (rest[0] == words["note"]) if words["note"] else True


@pytest.mark.parametrize(("old", "new", "where"), [
    ('other = { label = "其他可疑做法" }', "", "_language.toml.category_labels:"),
    ('other = { label = "其他可疑做法" }', 'other = { label = "" }', "_language.toml: other.category_labels.label:"),
    ('none = { text = "没发现诈骗说法",', 'nothing = { text = "没发现诈骗说法",', "_language.toml.verdict_words:"),
])
def test_a_broken_table_names_its_field(tmp_path: Path, old: str, new: str, where: str) -> None:
    shutil.copy(RULES / "schema.json", tmp_path)
    text = (RULES / "_language.toml").read_text("utf-8")
    assert old in text
    (tmp_path / "_language.toml").write_text(text.replace(old, new), "utf-8")
    with pytest.raises(RuleError, match=re.escape(where)):
        labels.load_labels(tmp_path)


def page_tables(module: str) -> dict[str, object]:
    """{name: value} of a generated module's `export const NAME = <JSON>;` lines."""
    return {m[1]: json.loads(m[2]) for m in re.finditer(r"^export const (\w+) = (.*);$", module, re.M)}


def test_the_pages_module_holds_the_same_tables() -> None:
    cats = LABELS["categories"]
    assert page_tables(labels.page_module(LABELS, "generated")) == {
        "CATEGORY_LABELS": {c: row["label"] for c, row in cats.items()},
        "CATEGORY_NAMES": {c: row["name"] for c, row in cats.items() if "name" in row},
        "VERDICTS": LABELS["verdicts"],
    }
