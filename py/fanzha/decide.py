"""Stage 4d: one place decides the verdict and the categories, from the rules and the learned scorer.

Fired rules add their points (severity plus context). The scorer adds points too, but its share is capped
below ``high``: a statistical resemblance alone is a reason to verify ("medium"), never the firm "this is
a scam" that a named pattern can give. A rule and the scorer that agree add up, and may reach ``high``.
Where the scorer is sure a text is benign (a unit's own warning notice, a real refund), it takes the same
capped share off the rules' points: one rule's words in a notice no longer make it a warning.

The thresholds on the scorer's log-odds live in the model file: ``python -m fanzha train`` chooses them on
cross-validated scores for a false-warning rate of at most 2 % on benign texts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .detect import Analysis
from .rules import RuleSet

LEVELS = ("high", "medium", "low", "none")
# The scorer's points by how sure it is. Medium's points equal the medium threshold, so the scorer alone
# warns but never says "high"; with a low rule (10-15 points) it stays medium, with a medium rule it is high.
MODEL_POINTS = {"medium": 40, "low": 10, "quiet": -40}
# Where the model file names none (a model trained without cross-validation): log-odds, chosen conservatively.
DEFAULT_THRESHOLDS = {"medium": 1.0, "low": -0.5, "quiet": -4.0}
WEAK_CATEGORY = "other"  # a rule of the cross-cutting kind; the scorer may name the scheme better


class Judgement(NamedTuple):
    """What the checker concludes: the verdict, its score, categories strongest first, each fired rule's
    category (rule id -> category), and the scorer's part: its level ("medium", "low", or "quiet" when it
    took points off the rules; None when it changed nothing), its points and the scheme it names."""

    verdict: str
    score: int
    categories: list[str]
    rule_categories: dict[str, str]
    rule_points: list[tuple[str, int, int]]  # (category, points, precedence) of each fired rule
    model_severity: str | None
    model_points: int
    model_category: str | None


def topic_strength(analysis: Analysis, ruleset: RuleSet) -> dict[str, tuple[int, int]]:
    """How much a text is about each category: (distinct topic signals present, their hits)."""
    strength = {}
    for category, names in ruleset.topics.items():
        found = [len(analysis.hits[n]) for n in names if analysis.hits.get(n)]
        strength[category] = (len(found), sum(found))
    return strength


def infer_category(topics: dict[str, tuple[int, int]], default: str) -> str:
    """The scheme a text is about, by its topic signals: most distinct signals, then most hits.

    Cross-cutting rules ("transfer to the account we give you") use it to report the scheme they
    appear in rather than "other".
    """
    best, best_key = default, (0, 0)
    for category, key in topics.items():
        if key > best_key:
            best, best_key = category, key
    return best


def rank_categories(scored: list[tuple[str, int, int]], topics: dict[str, tuple[int, int]]) -> list[str]:
    """Categories of (category, points, precedence) triples, strongest first: by a category's best rule (its
    points, then its precedence: a rule file's way to put a more specific story before a generic neighbour
    that scores the same); on a tie, by how much the text is about it (its topic signals), then by the sum
    of its rules.

    Summing alone would let a category with several overlapping broad rules outrank a more specific one.
    """
    scores: dict[str, list[tuple[int, int]]] = {}
    for category, points, precedence in scored:
        scores.setdefault(category, []).append((points, precedence))
    none = (0, 0)
    return sorted(
        scores,
        key=lambda c: (tuple(-x for x in max(scores[c])), tuple(-x for x in topics.get(c, none)),
                       -sum(p for p, _ in scores[c]), c),
    )


def verdict_for(score: int, ruleset: RuleSet) -> str:
    for level in ("high", "medium", "low"):
        if score >= ruleset.verdict[level]:
            return level
    return "none"


def model_severity(logit: float | None, thresholds: dict[str, float]) -> str | None:
    """The scorer's level for a log-odds, or None when it says nothing."""
    if logit is None:
        return None
    for level in ("medium", "low"):
        if logit >= thresholds.get(level, DEFAULT_THRESHOLDS[level]):
            return level
    return "quiet" if logit < thresholds.get("quiet", DEFAULT_THRESHOLDS["quiet"]) else None


def combine(
    rule_points: list[tuple[str, int, int]],
    topics: dict[str, tuple[int, int]],
    severity: str | None,
    model_categories: Callable[[], list[tuple[str, float]]],
    ruleset: RuleSet,
) -> tuple[str, int, list[str], str | None]:
    """Verdict, score, categories and the scorer's category from the rules' (category, points, precedence) and
    the scorer's level. ``model_categories`` is called only when the scorer has a say: it costs a pass."""
    rules = sum(p[1] for p in rule_points)
    points = MODEL_POINTS.get(severity or "", 0) if rules or severity != "quiet" else 0
    score = max(0, min(100, rules + points))
    categories = rank_categories(rule_points, topics)
    model_category = None
    if points > 0:
        model_category = model_categories()[0][0]
        if not categories or (categories[0] == WEAK_CATEGORY and model_category != WEAK_CATEGORY):
            categories = [model_category] + [c for c in categories if c != model_category]
        elif model_category not in categories:
            categories.append(model_category)
    return verdict_for(score, ruleset), score, categories, model_category


def judge(
    analysis: Analysis,
    ruleset: RuleSet,
    logit: float | None,
    thresholds: dict[str, float],
    model_categories: Callable[[], list[tuple[str, float]]],
) -> Judgement:
    """The checker's conclusion for one analysed text and the scorer's log-odds (None: rules only)."""
    topics = topic_strength(analysis, ruleset)
    rule_categories = {
        f.rule.id: infer_category(topics, f.rule.category) if f.rule.infer_category else f.rule.category
        for f in analysis.fired
    }
    rule_points = [(rule_categories[f.rule.id], f.score, f.rule.precedence) for f in analysis.fired]
    severity = model_severity(logit, thresholds)
    verdict, score, categories, model_category = combine(rule_points, topics, severity, model_categories, ruleset)
    points = MODEL_POINTS.get(severity or "", 0) if rule_points or severity != "quiet" else 0
    return Judgement(verdict, score, categories, rule_categories, rule_points, severity if points else None, points,
                     model_category)
