"""Stage 5: findings -> the report users see (verdict, categories, evidence, advice, entities)."""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

from .conditions import Hit
from .decide import Judgement
from .detect import Analysis, Fired, message_locator
from .model import Resemblance
from .rules import RuleSet

DEFAULT_PRIORITY = 50
# The learned scorer's finding (fanzha.model): a resemblance, said as one, never a named pattern.
MODEL_RULE = "resembles_known_scams"
MODEL_TITLE = "与已知诈骗信息的说法相似"
MODEL_EXPLANATION = {
    "medium": "这段话的用词和说法，与我们收集的诈骗信息很相似（相似程度约 {percent}%）。这是统计上的相似，"
    "不是认出了某一种具体骗术；标出的是最像诈骗信息的词句。请先停下来，按下面的办法核实。",
    "low": "这段话里有些说法，与我们收集的诈骗信息有几分相似（相似程度约 {percent}%）。这是统计上的相似，"
    "不是认出了某一种具体骗术；标出的是这些词句。涉及转账时，仍请先核实。",
}
QUIETED_NOTE = "这段话整体更像正常的通知、提醒或交流，所以结论比上面的特征低一档；拿不准时仍请按建议核实。"
MODEL_ADVICE = ["pause_verify", "verify_known_number", "record_account", "call_96110"]


class Evidence(NamedTuple):  # a long chat has hundreds: a tuple is the cheapest immutable record
    start: int
    end: int
    text: str


class Finding(NamedTuple):
    """One fired rule (or the scorer's resemblance) as the user sees it: title, severity, explanation, the
    category it reports, its evidence as spans of the ORIGINAL text (merged, sorted), the advice, and
    ``why``: the evidence of each signal that made it fire. ``to_dict`` gives the JSON contract."""

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

    def to_dict(self, memo: dict[int, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
        """memo: evidence lists already written (by id), shared by the findings of one report (Report.to_dict)."""
        return {
            "rule": self.rule,
            "category": self.category,
            "title": self.title,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": _evidence_json(self.evidence, memo),
            "advice": list(self.advice),
            "signals": list(self.signals),
            "score": self.score,
            "why": {name: _evidence_json(spans, memo) for name, spans in self.why.items()},
        }


def _evidence_json(evidence: list[Evidence], memo: dict[int, list[dict[str, Any]]] | None) -> list[dict[str, Any]]:
    if memo is not None and id(evidence) in memo:
        return memo[id(evidence)]
    out = [{"start": e.start, "end": e.end, "text": e.text} for e in evidence]
    if memo is not None:
        memo[id(evidence)] = out
    return out


class Report(NamedTuple):
    """The result of one check: the verdict and score (decide.py), categories strongest first, the
    findings (named rules first, the scorer's last), the merged advice, the entities to write down, and
    the rules' version. ``to_dict`` is the report JSON of docs/design.md; additions only, never changes."""

    verdict: str
    score: int
    categories: list[str]
    findings: list[Finding]
    advice: list[str]
    entities: dict[str, Any]
    rules_version: str
    notes: tuple[str, ...] = ()
    model: dict[str, Any] | None = None  # the scorer's probability, level and category; None: rules only
    checked_chars: int | None = None  # code points read (a huge paste is cut); None: not set by check()

    @property
    def warned(self) -> bool:
        return self.verdict in ("high", "medium")

    def to_dict(self, shared: bool = False) -> dict[str, Any]:
        """The report JSON. shared: findings with the same evidence list share its written form, one object
        for several places (a long chat's findings repeat hundreds of pieces): for serialising only."""
        memo: dict[int, list[dict[str, Any]]] | None = {} if shared else None
        out = {
            "verdict": self.verdict,
            "score": self.score,
            "categories": list(self.categories),
            "findings": [f.to_dict(memo) for f in self.findings],
            "advice": list(self.advice),
            "entities": {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in self.entities.items()},
            "rules_version": self.rules_version,
        }
        if self.notes:
            out["notes"] = list(self.notes)
        if self.model is not None:
            out["model"] = dict(self.model)
        if self.checked_chars is not None:
            out["checked_chars"] = self.checked_chars
        return out


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


def _union(lists: list[list[Evidence]], original: str) -> list[Evidence]:
    """Merged evidence lists as one: what merging all their spans would give, but pieces that overlap no
    other are kept as they are (a long chat's finding unites a few signals' hundreds of pieces)."""
    if len(lists) == 1:
        return lists[0]
    out: list[Evidence] = []
    for e in sorted(itertools.chain.from_iterable(lists)):  # sorted runs: Timsort merges them in C
        if out and e.start <= out[-1].end:
            last = out[-1]
            if e.end > last.end:
                out[-1] = Evidence(last.start, e.end, original[last.start : e.end])
        else:
            out.append(e)
    return out


class _EvidenceMaker:
    """Turns spans of the folded text into merged evidence in the original, once per distinct set of spans.

    The findings of one text share most of their signals (a long chat has hundreds of hits of 领导 or
    转账), so each set is mapped and merged once per report, not once per finding.
    """

    def __init__(self, analysis: Analysis, original: str, ruleset: RuleSet) -> None:
        self.starts, self.ends = analysis.folded.starts, analysis.folded.ends
        self.original = original
        self._made: dict[frozenset[tuple[int, int]], list[Evidence]] = {}
        self._unions: dict[tuple[int, ...], list[Evidence]] = {}  # by the ids of lists kept in _made
        self._user = [m.is_user for m in analysis.messages]
        self._locate = message_locator(analysis.messages)
        self._identity = {s.name for s in ruleset.signals if s.identity}

    def _tells(self, hits: list[Hit]) -> list[Hit]:
        """The other side's words are the tells. A hit outside every message (a speaker's name, a header)
        counts only for a claim of identity ("刘局长："); one in the user's own reply ("王局好") never.
        (One comprehension, no call per hit: a long chat's finding has hundreds.)"""
        user, identity = self._user, self._identity
        return [h for h in hits if (h[2] in identity if h[3] < 0 else not user[h[3]])]  # h.signal, h.message

    def of_resemblance(self, spans: set[tuple[int, int]]) -> list[Evidence]:
        """The scorer's phrases as evidence, the other side's words only (all of them when there are none)."""
        theirs = frozenset(s for s in spans if (m := self._locate(s[0])) >= 0 and not self._user[m])
        return self.of_signal(theirs or frozenset(spans))

    def of_signal(self, spans: frozenset[tuple[int, int]]) -> list[Evidence]:
        if spans not in self._made:
            # folded.original_span, inlined: a long chat maps thousands of spans. Empty spans add nothing.
            starts, ends = self.starts, self.ends
            self._made[spans] = _merged({(starts[a], ends[b - 1]) for a, b in spans if b > a}, self.original)
        return self._made[spans]

    def of_finding(self, hits: list[Hit]) -> tuple[list[Evidence], dict[str, list[Evidence]]]:
        """All of a finding's evidence, and the evidence of each signal: its tells (``_tells``), or all its
        hits when it has none (a rule about what the user said, "我已经转了")."""
        hits = self._tells(hits) or hits
        by_signal: dict[str, set[tuple[int, int]]] = {}
        for start, end, signal, _ in hits:  # unpacked: cheaper than attribute lookups, per hit
            spans = by_signal.get(signal)
            if spans is None:
                spans = by_signal[signal] = set()
            spans.add((start, end))
        why = {name: self.of_signal(frozenset(spans)) for name, spans in sorted(by_signal.items())}
        # Merging the signals' merged evidence covers what merging all their spans would.
        key = tuple(map(id, why.values()))
        if key not in self._unions:
            self._unions[key] = _union(list(why.values()), self.original)
        return self._unions[key], why


def _finding(f: Fired, evidence_of: _EvidenceMaker, ruleset: RuleSet, category: str) -> Finding:
    evidence, why = evidence_of.of_finding(f.hits)
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


def _model_finding(
    judgement: Judgement, resemblance: Resemblance, evidence_of: _EvidenceMaker, ruleset: RuleSet
) -> Finding:
    """The scorer's finding: which of this text's phrases resemble known scams, said as a resemblance."""
    evidence = evidence_of.of_resemblance({span for _, _, found in resemblance.pushed for span in found})
    percent = round(resemblance.probability * 100)
    return Finding(
        rule=MODEL_RULE,
        category=judgement.model_category or "other",
        title=MODEL_TITLE,
        severity=judgement.model_severity or "low",
        explanation=MODEL_EXPLANATION[judgement.model_severity or "low"].format(percent=percent),
        evidence=evidence,
        advice=_merge_advice(MODEL_ADVICE, ruleset),
        signals=["resemblance"],
        score=judgement.model_points,
        why={"resemblance": evidence} if evidence else {},
    )


def build(
    analysis: Analysis,
    original: str,
    ruleset: RuleSet,
    entities: dict[str, Any],
    judgement: Judgement,
    resemblance: Resemblance | None = None,
) -> Report:
    """Presents a judgement: each fired rule as a finding with its evidence in ``original``, named rules
    first, then the scorer's finding when it had a say; the advice of them all, most urgent first."""
    fired = sorted(analysis.fired, key=lambda f: (-f.score, -f.rule.precedence, f.rule.id))
    evidence_of = _EvidenceMaker(analysis, original, ruleset)
    findings = [_finding(f, evidence_of, ruleset, judgement.rule_categories[f.rule.id]) for f in fired]
    items = [a for f in fired for a in f.rule.advice]
    notes: tuple[str, ...] = ()
    if judgement.model_severity == "quiet":
        notes = (QUIETED_NOTE,)
    if judgement.model_points > 0 and resemblance is not None:
        findings.append(_model_finding(judgement, resemblance, evidence_of, ruleset))
        items += MODEL_ADVICE
    items += ruleset.advice_for_verdict(judgement.verdict)
    advice = _merge_advice(items, ruleset) if findings else []
    model = None
    if resemblance is not None:
        model = {"probability": resemblance.probability, "severity": judgement.model_severity,
                 "category": judgement.model_category}
    return Report(judgement.verdict, judgement.score, judgement.categories, findings, advice, entities,
                  ruleset.version, notes, model=model)
