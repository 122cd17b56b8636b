"""The labelled rows the scorer learns from: the public dev set plus the project's own examples.

Each row says where it came from (``source``: a public repository, or ``fanzha:<kind>`` for ours), so
cross-validation can leave a whole source out, and the data card can count them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from fanzha.rules import RuleSet

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


class Row(NamedTuple):
    text: str
    label: str  # "scam" | "benign"
    category: str | None  # a category id for scams whose type is known, "benign" for benign rows
    source: str  # the repository a public row came from, or fanzha:<kind>
    origin: str  # real_sms, real_ocr_chat, llm_generated…, or "written" for ours

    @property
    def is_scam(self) -> bool:
        return self.label == "scam"


def repository(source: str) -> str:
    """'owner/name:path#row' -> 'owner/name': leave-one-source-out works per repository."""
    return source.split(":", 1)[0] if "/" in source.split(":", 1)[0] else source


def dev_rows(path: Path = DEV_SET) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            cat = r.get("category") if r["label"] == "scam" else "benign"
            rows.append(Row(r["text"], r["label"], cat, repository(r.get("source", "dev")), r.get("origin", "")))
    return rows


def rule_example_rows(ruleset: RuleSet) -> list[Row]:
    """Every rule's examples. A cross-cutting rule's scams may be of any type: their category is unknown."""
    rows = []
    for rule in ruleset.rules:
        category = None if rule.infer_category else rule.category
        for kind, texts in rule.examples.items():
            scam = kind in ("match", "known_miss")
            for text in texts:
                rows.append(Row(text, "scam" if scam else "benign", category if scam else "benign",
                                "fanzha:rules", "written"))
    return rows


def _jsonl(path: Path) -> Iterable[dict]:
    return (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def corpus_rows(corpus: Path = CORPUS) -> list[Row]:
    """tests/corpus: whole scam chats, benign texts, staff's descriptions and the written chats."""
    rows = []
    for path in sorted((corpus / "scam").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        rows.append(Row(case["text"], "scam", case["category"], "fanzha:corpus", "written"))
    for path in sorted((corpus / "benign").glob("*")):
        texts = [path.read_text(encoding="utf-8")] if path.suffix == ".txt" else json.loads(path.read_bytes())
        rows += [Row(t, "benign", "benign", "fanzha:corpus", "written") for t in texts]
    for path in [corpus / "descriptions.jsonl", *sorted((corpus / "chats").glob("*.jsonl"))]:
        kind = "fanzha:descriptions" if path.name == "descriptions.jsonl" else "fanzha:chats"
        for r in _jsonl(path):
            cat = r.get("category") if r["label"] == "scam" else "benign"
            rows.append(Row(r["text"], r["label"], cat, kind, "written"))
    return rows


def training_rows(ruleset: RuleSet, dev: Path | None = DEV_SET) -> list[Row]:
    """All rows, each distinct text once (the first kept), in a fixed order: training is deterministic."""
    rows = (dev_rows(dev) if dev is not None and dev.exists() else []) + rule_example_rows(ruleset)
    rows += corpus_rows()
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.text not in seen:
            seen.add(row.text)
            out.append(row)
    return out
