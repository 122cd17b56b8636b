"""Measure the whole checker (rules and scorer) without ever scoring a text the scorer was trained on.

- 5-fold cross-validation, stratified by category, with near-duplicates (texts sharing a long run of
  characters) kept in one fold: each text is scored by a model trained on the other four folds.
- Leave-one-source-out: for each source repository, a model trained without it scores its rows.

The rules are fixed, not refitted: they were written from the patterns with the dev set in view, so their
part of any figure on the dev set is optimistic (docs/model.md says so).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from fanzha import decide, detect, normalize
from fanzha.model import Scorer, has_enough, model_text
from fanzha.rules import RuleSet

from .data import Row
from .fit import Settings, fit

FOLDS = 5
SEED = 0
NEAR_DUPLICATE_RUN = 20  # characters two texts share for them to count as one story
TARGET_FALSE_WARNINGS = 0.02
LOW_BELOW_MEDIUM = 1.5  # the reminder threshold sits this far (log-odds) below the warning one
QUIET_SCAM_BUDGET = 0.003  # the share of rule-warned scams the scorer may talk down, at most
# ...and never above these log-odds (p < 0.27): on texts of a kind it has not seen (OCR'd chats, left out
# of training) the scorer's logits run lower, and a looser quieting silenced rules that were right there.
QUIET_AT_MOST = -1.0


@dataclass
class RuleView:
    """What the rules say of a row, computed once: they do not change between folds."""

    points: list[tuple[str, int, int]]  # (category, points, precedence), as decide.judge counts them
    topics: dict[str, tuple[int, int]]


@dataclass
class Scored:
    row: Row
    rules: RuleView
    logit: float | None  # None where the text is too short for the scorer to have a say
    model_categories: list[tuple[str, float]]


def rule_views(rows: Sequence[Row], ruleset: RuleSet) -> list[RuleView]:
    views = []
    for row in rows:
        analysis = detect.analyse(normalize.fold(row.text), ruleset)
        judged = decide.judge(analysis, ruleset, None, {}, list)
        views.append(RuleView(judged.rule_points, decide.topic_strength(analysis, ruleset)))
    return views


def near_duplicate_groups(texts: Sequence[str], run: int = NEAR_DUPLICATE_RUN) -> list[int]:
    """A group id per text: texts that share a run of ``run`` characters (whitespace aside) are one group."""
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        squeezed = "".join(text.split())
        for j in range(0, max(1, len(squeezed) - run + 1)):
            shingle = squeezed[j : j + run]
            other = first_seen.setdefault(shingle, i)
            if other != i:
                parent[root(i)] = root(other)
    return [root(i) for i in range(len(texts))]


def fold_of(rows: Sequence[Row]) -> list[int]:
    groups = near_duplicate_groups([r.text for r in rows])
    strata = [r.category or "scam" for r in rows]
    fold = [0] * len(rows)
    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(rows)), strata, groups)):
        for i in test:
            fold[i] = k
    return fold


def _score(scorer: Scorer, row: Row, view: RuleView) -> Scored:
    text = model_text(normalize.fold(row.text).text)
    x = scorer.features(text)
    logit = scorer.resemblance(text, x).logit if has_enough(text) else None
    return Scored(row, view, logit, scorer.categories_of(x))


def held_out(rows: Sequence[Row], views: Sequence[RuleView], test_sets: Sequence[list[int]],
             settings: Settings) -> list[Scored]:
    """Each test set scored by a model trained on every row outside it."""
    scored: list[Scored] = []
    for test in test_sets:
        held = set(test)
        scorer = Scorer(fit([r for i, r in enumerate(rows) if i not in held], settings))
        scored += [_score(scorer, rows[i], views[i]) for i in test]
    return scored


def cross_validate(rows: Sequence[Row], views: Sequence[RuleView], settings: Settings) -> list[Scored]:
    fold = fold_of(rows)
    return held_out(rows, views, [[i for i in range(len(rows)) if fold[i] == k] for k in range(FOLDS)], settings)


def outcome(s: Scored, thresholds: dict[str, float], ruleset: RuleSet) -> tuple[str, str]:
    """(verdict, top category) the checker gives this row."""
    severity = decide.model_severity(s.logit, thresholds)
    verdict, _, categories, _ = decide.combine(s.rules.points, s.rules.topics, severity,
                                               lambda: s.model_categories, ruleset)
    return verdict, categories[0] if categories else "-"


def _warned(s: Scored, thresholds: dict[str, float], ruleset: RuleSet) -> bool:
    return outcome(s, thresholds, ruleset)[0] in ("high", "medium")


def choose_quiet(scored: Sequence[Scored], ruleset: RuleSet) -> float:
    """The highest log-odds below which the scorer may take points off the rules, while it silences no more
    than QUIET_SCAM_BUDGET of the held-out scams the rules warn on."""
    rules_only = {"medium": float("inf"), "low": float("inf"), "quiet": float("-inf")}
    warned = sorted(s.logit for s in scored
                    if s.row.is_scam and s.logit is not None and _warned(s, rules_only, ruleset))
    if not warned:
        return float("-inf")
    allowed = int(QUIET_SCAM_BUDGET * len(warned))
    return min(QUIET_AT_MOST, round(warned[allowed] - 0.0001, 4))


def choose_thresholds(scored: Sequence[Scored], ruleset: RuleSet) -> dict[str, float]:
    """The quieting threshold first, then the lowest warning threshold whose false-warning rate on
    held-out benign rows stays within target."""
    quiet = choose_quiet(scored, ruleset)
    no_model_warning = {"medium": float("inf"), "low": float("inf"), "quiet": quiet}
    benign = [s for s in scored if not s.row.is_scam]
    quiet_by_rules = [s for s in benign if not _warned(s, no_model_warning, ruleset)]
    budget = int(TARGET_FALSE_WARNINGS * len(benign)) - (len(benign) - len(quiet_by_rules))
    # The scorer's medium warning alone warns; with a low rule it also warns (10 + 40 >= 40).
    logits = sorted((s.logit for s in quiet_by_rules if s.logit is not None), reverse=True)
    cut = logits[max(0, budget)] if logits else 0.0
    medium = round(cut + 0.0001, 4)  # just above the last benign logit allowed to warn
    # A reminder only where the scorer leans to scam (p >= 0.5): below that its finding would say "similar"
    # of a text it finds more benign than not.
    return {"medium": medium, "low": max(round(medium - LOW_BELOW_MEDIUM, 4), quiet, 0.0), "quiet": quiet}


@dataclass
class Tally:
    scam: int = 0
    warned: int = 0
    typed: int = 0  # warned scams whose category is known (a cross-cutting rule's examples have none)
    right_category: int = 0
    benign: int = 0
    false_warnings: int = 0

    def add(self, row: Row, verdict: str, category: str) -> None:
        warned = verdict in ("high", "medium")
        if row.is_scam:
            self.scam += 1
            self.warned += warned
            self.typed += warned and row.category is not None
            self.right_category += warned and row.category is not None and category == row.category
        else:
            self.benign += 1
            self.false_warnings += warned

    def cells(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "  -  "

        return (f"{self.scam + self.benign:>5}  {ratio(self.warned, self.scam):>6}  "
                f"{ratio(self.right_category, self.typed):>7}  {self.benign:>6}  "
                f"{ratio(self.false_warnings, self.benign):>10}")


HEADER = f"{'':<26}{'n':>5}  {'recall':>6}  {'cat_acc':>7}  {'benign':>6}  {'false_warn':>10}"


def tally(scored: Sequence[Scored], thresholds: dict[str, float], ruleset: RuleSet,
          key=lambda s: s.row.category or "scam") -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for s in scored:
        verdict, category = outcome(s, thresholds, ruleset)
        out[key(s)].add(s.row, verdict, category)
        out["ALL"].add(s.row, verdict, category)
    return out


def is_public(s: Scored) -> bool:
    return not s.row.source.startswith("fanzha:")


def cv_report(scored: Sequence[Scored], thresholds: dict[str, float], ruleset: RuleSet) -> str:
    """The cross-validated table: per category on the public dev rows, then totals by where rows came from."""
    public = [s for s in scored if is_public(s)]
    lines = [f"5-fold cross-validation (near-duplicates in one fold); thresholds {thresholds}",
             "", "public dev rows, by category:", HEADER]
    by_category = tally(public, thresholds, ruleset)
    lines += [f"{name:<26}{t.cells()}" for name, t in sorted(by_category.items()) if name != "ALL"]
    lines += [f"{'ALL':<26}{by_category['ALL'].cells()}", "", "all rows, by where they came from:", HEADER]
    by_origin = tally(scored, thresholds, ruleset, key=lambda s: s.row.origin if is_public(s) else s.row.source)
    lines += [f"{name:<26}{t.cells()}" for name, t in sorted(by_origin.items())]
    rules_only = tally(scored, {"medium": float("inf"), "low": float("inf"), "quiet": float("-inf")}, ruleset,
                       key=lambda s: "x")["ALL"]
    model_only = sum(s.logit is not None and s.logit >= thresholds["medium"] for s in scored if s.row.is_scam)
    n_scam = sum(s.row.is_scam for s in scored)
    lines += ["", f"rules alone warn on {rules_only.warned}/{rules_only.scam} scams "
                  f"({rules_only.false_warnings}/{rules_only.benign} benign); the scorer alone on "
                  f"{model_only}/{n_scam}"]
    return "\n".join(lines)


def leave_one_source_out(rows: Sequence[Row], views: Sequence[RuleView], thresholds: dict[str, float],
                         ruleset: RuleSet, settings: Settings) -> str:
    """Per public source repository: a model trained without it scores it. A diagnostic with no target."""
    sources = sorted({r.source for r in rows if not r.source.startswith("fanzha:")})
    lines = ["leave-one-source-out (the scorer never saw the source):", f"{'source':<44}" + HEADER[26:]
             + f"  {'scorer_alone':>12}"]
    for source in sources:
        test = [i for i, r in enumerate(rows) if r.source == source]
        scored = held_out(rows, views, [test], settings)
        t = tally(scored, thresholds, ruleset, key=lambda s: "x")["ALL"]
        scams = [s for s in scored if s.row.is_scam]
        alone = (sum(s.logit is not None and s.logit >= thresholds["medium"] for s in scams) / len(scams)
                 if scams else float("nan"))
        lines.append(f"{source[:44]:<44}{t.cells()}  {alone:>12.3f}")
        for origin in sorted({s.row.origin for s in scored}):
            if len({s.row.origin for s in scored}) > 1:
                o = tally([s for s in scored if s.row.origin == origin], thresholds, ruleset, key=lambda s: "x")
                lines.append(f"  {origin[:42]:<42}{o['ALL'].cells()}")
    return "\n".join(lines)
