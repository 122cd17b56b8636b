"""What people are told a category and a verdict are called: one table, in ``rules/_language.toml``.

``[category_labels]`` (a finding card's label, and the fraud type's name as the notice gives it) and
``[verdict_words]`` (the verdict sentence and its note). The command line reads them here; the build
writes them into the page as ``content/labels.js`` (``page_module``), since the page reads no TOML. They
are not in the rules bundle: a change of wording must not change the bundle, nor the worker's snapshot.
CPython only (the build, the tests, the command line); never read on import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .decide import LEVELS as VERDICT_LEVELS
from .rulefiles import RuleError, _load_toml, load_schema

LANGUAGE_FILE = "_language.toml"


def _text(value: Any, ident: str, fld: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(LANGUAGE_FILE, ident, fld, "must be a non-empty string")
    return value


def _categories(table: Any, categories: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{category: {"label", "name"?}}, one row per category of the schema, in its order."""
    if not isinstance(table, dict) or list(table) != list(categories):
        got = list(table) if isinstance(table, dict) else table
        raise RuleError(LANGUAGE_FILE, None, "category_labels",
                        f"needs one row per category of schema.json, in its order: {list(categories)}; has {got}")
    out = {}
    for cat, row in table.items():
        if not isinstance(row, dict) or set(row) - {"label", "name"}:
            raise RuleError(LANGUAGE_FILE, cat, "category_labels", "takes label and, optionally, name")
        out[cat] = {"label": _text(row.get("label"), cat, "category_labels.label")}
        if "name" in row:
            out[cat]["name"] = _text(row["name"], cat, "category_labels.name")
    return out


def _verdicts(table: Any) -> dict[str, dict[str, str]]:
    """{level: {"text", "note"}} for every verdict level; the note may be empty."""
    if not isinstance(table, dict) or tuple(table) != VERDICT_LEVELS:
        raise RuleError(LANGUAGE_FILE, None, "verdict_words", f"needs exactly {', '.join(VERDICT_LEVELS)}, in order")
    out = {}
    for level, row in table.items():
        if not isinstance(row, dict) or set(row) - {"text", "note"}:
            raise RuleError(LANGUAGE_FILE, level, "verdict_words", "takes text and, optionally, note")
        note = row.get("note", "")
        if not isinstance(note, str):
            raise RuleError(LANGUAGE_FILE, level, "verdict_words.note", "must be a string")
        out[level] = {"text": _text(row.get("text"), level, "verdict_words.text"), "note": note}
    return out


def load_labels(rules_dir: Path) -> dict[str, dict[str, dict[str, str]]]:
    """{"categories": {category: {"label", "name"?}}, "verdicts": {level: {"text", "note"}}}, checked."""
    lang = _load_toml(Path(rules_dir) / LANGUAGE_FILE)
    categories = load_schema(Path(rules_dir) / "schema.json").categories
    return {"categories": _categories(lang.get("category_labels"), categories),
            "verdicts": _verdicts(lang.get("verdict_words"))}


def page_module(labels: dict[str, Any], note: str) -> str:
    """The page's ES module of the same tables: CATEGORY_LABELS and CATEGORY_NAMES ({category: text})
    and VERDICTS ({level: {text, note}})."""
    cats = labels["categories"]
    tables = {
        "CATEGORY_LABELS": {c: row["label"] for c, row in cats.items()},
        "CATEGORY_NAMES": {c: row["name"] for c, row in cats.items() if "name" in row},
        "VERDICTS": labels["verdicts"],
    }
    lines = [f"// {note}: from rules/_language.toml (fanzha.labels)."]
    lines += [f"export const {name} = {json.dumps(value, ensure_ascii=False)};" for name, value in tables.items()]
    return "\n".join(lines) + "\n"
