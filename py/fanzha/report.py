"""Stage 5: findings -> the report users see (verdict, categories, evidence, advice, entities)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .conditions import Hit
from .detect import Analysis, Fired
from .rules import RuleSet

LEVELS = ("high", "medium", "low", "none")
DEFAULT_PRIORITY = 50


class Evidence(NamedTuple):  # a long chat has hundreds: a tuple is the cheapest immutable record
    start: int
    end: int
    text: str


class Finding(NamedTuple):
    rule: str
    category: str
    title: str
    severity: str
    explanation: str
    evidence: list[Evidence]
    advice: list[str]
    signals: list[str]
    score: int
    why: dict[str, list[Evidence]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "title": self.title,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in self.evidence],
            "advice": list(self.advice),
            "signals": list(self.signals),
            "score": self.score,
            "why": {
                name: [{"start": e.start, "end": e.end, "text": e.text} for e in spans]
                for name, spans in self.why.items()
            },
        }


class Report(NamedTuple):
    verdict: str
    score: int
    categories: list[str]
    findings: list[Finding]
    advice: list[str]
    entities: dict[str, Any]
    rules_version: str
    notes: tuple[str, ...] = ()

    @property
    def warned(self) -> bool:
        return self.verdict in ("high", "medium")

    def to_dict(self) -> dict[str, Any]:
        out = {
            "verdict": self.verdict,
            "score": self.score,
            "categories": list(self.categories),
            "findings": [f.to_dict() for f in self.findings],
            "advice": list(self.advice),
            "entities": {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in self.entities.items()},
            "rules_version": self.rules_version,
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out


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


def _merged(spans: set[tuple[int, int]], original: str) -> list[Evidence]:
    """Sorted, overlapping spans joined, as evidence in the original text."""
    out: list[Evidence] = []
    start = end = -1
    for a, b in sorted(spans):
        if a <= end:
            end = max(end, b)
            continue
        if end > start:
            out.append(Evidence(start, end, original[start:end]))
        start, end = a, b
    if end > start:
        out.append(Evidence(start, end, original[start:end]))
    return out


class _EvidenceMaker:
    """Turns spans of the folded text into merged evidence in the original, once per distinct set of spans.

    The findings of one text share most of their signals (a long chat has hundreds of hits of 领导 or
    转账), so each set is mapped and merged once per report, not once per finding.
    """

    def __init__(self, analysis: Analysis, original: str) -> None:
        self.starts, self.ends = analysis.folded.starts, analysis.folded.ends
        self.original = original
        self._made: dict[frozenset[tuple[int, int]], list[Evidence]] = {}

    def of_signal(self, spans: frozenset[tuple[int, int]]) -> list[Evidence]:
        if spans not in self._made:
            # folded.original_span, inlined: a long chat maps thousands of spans. Empty spans add nothing.
            starts, ends = self.starts, self.ends
            self._made[spans] = _merged({(starts[a], ends[b - 1]) for a, b in spans if b > a}, self.original)
        return self._made[spans]

    def of_finding(self, hits: list[Hit]) -> tuple[list[Evidence], dict[str, list[Evidence]]]:
        """All of a finding's evidence, and the evidence of each signal."""
        by_signal: dict[str, set[tuple[int, int]]] = {}
        for h in hits:
            by_signal.setdefault(h.signal, set()).add((h.start, h.end))
        why = {name: self.of_signal(frozenset(spans)) for name, spans in sorted(by_signal.items())}
        # Merging the signals' merged evidence covers what merging all their spans would.
        everything = frozenset(e[:2] for evidence in why.values() for e in evidence)
        if everything not in self._made:
            self._made[everything] = _merged(set(everything), self.original)
        return self._made[everything], why


def _finding(
    f: Fired, evidence_of: _EvidenceMaker, ruleset: RuleSet, topics: dict[str, tuple[int, int]]
) -> Finding:
    evidence, why = evidence_of.of_finding(f.hits)
    category = infer_category(topics, f.rule.category) if f.rule.infer_category else f.rule.category
    return Finding(
        rule=f.rule.id,
        category=category,
        title=f.rule.title,
        severity=f.rule.severity,
        explanation=f.rule.explanation,
        evidence=evidence,
        advice=_merge_advice(f.rule.advice, ruleset),
        signals=list(why),
        score=f.score,
        why=why,
    )


def _merge_advice(ids_or_texts: list[str], ruleset: RuleSet) -> list[str]:
    """Most urgent first; each text once; an advice drops those it replaces ("stop" says more than "pause")."""
    present = set(ids_or_texts)
    replaced = {r for item in present for r in ruleset.advice.get(item, {}).get("replaces", [])}
    best: dict[str, int] = {}
    for item in ids_or_texts:
        if item in replaced:
            continue
        known = ruleset.advice.get(item)
        prio, text = (known["priority"], known["text"]) if known else (DEFAULT_PRIORITY, item)
        best[text] = min(prio, best.get(text, prio))
    return sorted(best, key=lambda t: (best[t], t))


def rank_categories(findings: list[Finding], topics: dict[str, tuple[int, int]]) -> list[str]:
    """Strongest first: by a category's best rule; on a tie, by how much the text is about it
    (its topic signals), then by the sum of its rules.

    Summing alone would let a category with several overlapping broad rules outrank a more specific one.
    """
    scores: dict[str, list[int]] = {}
    for f in findings:
        scores.setdefault(f.category, []).append(f.score)
    none = (0, 0)
    return sorted(
        scores,
        key=lambda c: (-max(scores[c]), tuple(-x for x in topics.get(c, none)), -sum(scores[c]), c),
    )


def verdict_for(score: int, ruleset: RuleSet) -> str:
    for level in ("high", "medium", "low"):
        if score >= ruleset.verdict[level]:
            return level
    return "none"


def build(analysis: Analysis, original: str, ruleset: RuleSet, entities: dict[str, Any]) -> Report:
    fired = sorted(analysis.fired, key=lambda f: (-f.score, f.rule.id))
    topics = topic_strength(analysis, ruleset)
    evidence_of = _EvidenceMaker(analysis, original)
    findings = [_finding(f, evidence_of, ruleset, topics) for f in fired]
    score = min(100, sum(f.score for f in findings))
    verdict = verdict_for(score, ruleset)
    categories = rank_categories(findings, topics)
    items = [a for f in fired for a in f.rule.advice] + ruleset.advice_for_verdict(verdict)
    advice = _merge_advice(items, ruleset) if findings else []
    return Report(verdict, score, categories, findings, advice, entities, ruleset.version)
