"""Measure the rules on labelled cases: recall, false-warning rate and category accuracy."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import check


@dataclass
class Tally:
    scam: int = 0
    warned: int = 0
    right_category: int = 0
    benign: int = 0
    false_warnings: int = 0


@dataclass
class EvalResult:
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (expected, got, text)
    false_warnings: list[tuple[str, str, str]] = field(default_factory=list)
    wrong_category: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        t = Tally()
        for v in self.by_category.values():
            for k in vars(t):
                setattr(t, k, getattr(t, k) + getattr(v, k))
        return t


def evaluate_cases(cases: list[dict]) -> EvalResult:
    result = EvalResult()
    for case in cases:
        report = check(case["text"])
        cat = case.get("category") or "benign"
        tally = result.by_category[cat if case["label"] == "scam" else "benign"]
        got = report.categories[0] if report.categories else "-"
        if case["label"] == "scam":
            tally.scam += 1
            if report.warned:
                tally.warned += 1
                if got == cat:
                    tally.right_category += 1
                else:
                    result.wrong_category.append((cat, got, case["text"]))
            else:
                result.misses.append((cat, report.verdict, case["text"]))
        else:
            tally.benign += 1
            if report.warned:
                tally.false_warnings += 1
                result.false_warnings.append((got, report.verdict, case["text"]))
    return result


def evaluate_file(path: Path) -> EvalResult:
    lines = path.read_text(encoding="utf-8").splitlines()
    return evaluate_cases([json.loads(line) for line in lines if line.strip()])


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def format_table(result: EvalResult, misses: int = 0) -> str:
    rows = ["category               n  recall  cat_acc  benign  false_warn_rate"]
    for cat in sorted(result.by_category):
        t = result.by_category[cat]
        rows.append(
            f"{cat:<20}{t.scam + t.benign:>4}  {_ratio(t.warned, t.scam):>6}  {_ratio(t.right_category, t.warned):>7}"
            f"  {t.benign:>6}  {_ratio(t.false_warnings, t.benign):>15}"
        )
    t = result.total
    rows.append(
        f"{'ALL':<20}{t.scam + t.benign:>4}  {_ratio(t.warned, t.scam):>6}  {_ratio(t.right_category, t.warned):>7}"
        f"  {t.benign:>6}  {_ratio(t.false_warnings, t.benign):>15}"
    )
    for title, items in (("misses", result.misses), ("false warnings", result.false_warnings),
                         ("wrong category", result.wrong_category)):
        if misses and items:
            rows.append(f"\n{title} ({len(items)}):")
            rows += [f"  [{a} -> {b}] {text[:160]!r}" for a, b, text in items[:misses]]
    return "\n".join(rows)
