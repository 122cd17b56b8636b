"""Rule files (TOML under ``rules/``) -> one validated, JSON-able bundle.

``compile_rules`` validates every file and returns the bundle that both CPython and the page load
(``RuleSet.from_bundle``). Every error names the file, the rule or signal id, and the field. Each pattern
is linted: it must compile, and must not backtrack catastrophically on a long sample. Runs in CPython
(the build, the tests, the command line); the page never reads TOML.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from . import conditions
from .normalize import fold
from .patterns import needs_of
from .rules import SCHEMA_VERSION, first_chars_of
from .wordscan import _scanner_pattern

CATEGORIES = (
    "investment", "loan", "brushing", "impersonate_police", "impersonate_leader",
    "fake_customer_service", "credit_repair", "fake_shopping", "game_trade", "romance",
    "flight_refund", "other",
)

SEVERITIES = {"high": 70, "medium": 40, "low": 15}

STATUSES = ("experimental", "test", "stable")

ID_RE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")

FRAGMENT_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")

RULE_FIELDS = {
    "id", "title", "category", "severity", "score", "status", "explanation", "advice", "condition",
    "context", "context_bonus", "examples", "falsepositives", "references", "infer_category",
}

SIGNAL_FIELDS = {"words", "tokens", "patterns", "negatable", "asker", "identity", "description"}

EXAMPLE_KINDS = ("match", "no_match", "known_miss", "known_false_hit")

LANGUAGE_KEYS = (
    "negators", "clause_negators", "warning_markers", "verdict", "verdict_advice", "topics", "lexicon", "quiet_when",
)


class RuleError(ValueError):
    """A broken rule file. The message names the file, the rule or signal id and the field."""

    def __init__(self, file: str, ident: str | None, fld: str | None, problem: str) -> None:
        where = file + (f": {ident}" if ident else "") + (f".{fld}" if fld else "")
        super().__init__(f"{where}: {problem}")
        self.file, self.ident, self.field, self.problem = file, ident, fld, problem


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here, not at the top: the page loads a JSON bundle and never reads TOML

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(path.name, None, None, f"not valid TOML: {exc}") from exc


def _str_list(value: Any, file: str, ident: str, fld: str, *, required: bool = False) -> list[str]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(file, ident, fld, "must be a list of non-empty strings")
    if required and not value:
        raise RuleError(file, ident, fld, "must not be empty")
    return value


def _expand_fragments(pattern: str, fragments: dict[str, str], file: str, ident: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in fragments:
            raise RuleError(file, ident, "patterns", f"unknown fragment {{{m.group(1)}}}")
        return f"(?:{fragments[m.group(1)]})"

    return FRAGMENT_RE.sub(sub, pattern)


def _repeat_bounds(items: Any, outer: int = 1) -> list[tuple[int, int]]:
    """(own maximum, product of enclosing maxima) for every repeat in a parsed regex."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser as p  # type: ignore[attr-defined]

    out: list[tuple[int, int]] = []
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _lo, hi, sub = av
            hi = UNBOUNDED if hi == c.MAXREPEAT else hi
            out.append((hi, outer))
            out += _repeat_bounds(sub, outer * max(hi, 1))
        elif op == c.SUBPATTERN:
            out += _repeat_bounds(av[-1], outer)
        elif op == c.BRANCH:
            for alt in av[1]:
                out += _repeat_bounds(alt, outer)
        elif isinstance(av, p.SubPattern):
            out += _repeat_bounds(av, outer)
    return out

UNBOUNDED = 10**9

# A catastrophic pattern takes seconds to minutes on the sample; a plain one, milliseconds. The
# margin keeps the check from failing a build on a busy machine.
SLOW_PATTERN_S = 0.5

MAX_REPEAT_PRODUCT = 1000  # (?:[a-z]{1,40}\.){1,4} is fine; (?:a{1,100}){1,100} is not


def lint_pattern(pattern: str) -> str | None:
    """Why ``pattern`` could backtrack badly or rescan a long paste, or None when it is fine."""
    from re import _parser as p  # type: ignore[attr-defined]

    if re.search(r"(?<!\\)\.[*+]", pattern):
        return "'.*' or '.+' scans the whole paste; use a bounded gap such as .{0,20}"
    bounds = _repeat_bounds(p.parse(pattern))
    if any(hi == UNBOUNDED for hi, _ in bounds):
        return "an unbounded repeat (+, *, {n,}) rescans long runs from every position; bound it, e.g. {1,12}"
    if any(hi * outer > MAX_REPEAT_PRODUCT and outer > 1 for hi, outer in bounds):
        return "a repeat inside a repeat can backtrack catastrophically; bound both tightly"
    return None


def _time_pattern(regex: re.Pattern[str]) -> float:
    """Seconds to scan a long hostile-looking input: a guard against slow patterns."""
    sample = ("转账转账12345 安全账户，，，" * 200 + "a" * 2000 + "1" * 2000)
    t0 = time.perf_counter()
    for _ in regex.finditer(sample):
        pass
    return time.perf_counter() - t0


def _compile_signal(name: str, spec: Any, fragments: dict[str, str], file: str) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise RuleError(file, name, None, "a signal must be a table")
    if not ID_RE.match(name):
        raise RuleError(file, name, None, "signal names are lower snake_case")
    unknown = set(spec) - SIGNAL_FIELDS
    if unknown:
        raise RuleError(file, name, sorted(unknown)[0], "unknown field")
    words = _str_list(spec.get("words"), file, name, "words")
    tokens = _str_list(spec.get("tokens"), file, name, "tokens")
    patterns = _str_list(spec.get("patterns"), file, name, "patterns")
    if not (words or tokens or patterns):
        raise RuleError(file, name, "words", "a signal needs words, tokens or patterns")
    for fld, items in (("words", words), ("tokens", tokens)):
        for w in items:
            if fold(w).text != w:
                raise RuleError(file, name, fld, f"{w!r} can never match: write it folded as {fold(w).text!r}")
    expanded = [_expand_fragments(pat, fragments, file, name) for pat in patterns]
    for pat, exp in zip(patterns, expanded, strict=True):
        try:
            rx = re.compile(exp)
        except re.error as exc:
            raise RuleError(file, name, "patterns", f"{pat!r} does not compile: {exc}") from exc
        problem = lint_pattern(exp)
        if problem:
            raise RuleError(file, name, "patterns", f"{pat!r}: {problem}")
        if _time_pattern(rx) > SLOW_PATTERN_S:
            raise RuleError(file, name, "patterns", f"{pat!r} is too slow on long input")
    return {
        "words": words,
        "tokens": tokens,
        "patterns": expanded,
        "negatable": bool(spec.get("negatable", True)),
        "asker": bool(spec.get("asker", False)),
        "identity": bool(spec.get("identity", False)),
    }


def _check_rule(rule: Any, file: str, category: str | None) -> dict[str, Any]:
    if not isinstance(rule, dict):
        raise RuleError(file, None, "rule", "each [[rule]] must be a table")
    rid = rule.get("id")
    if not isinstance(rid, str) or not ID_RE.match(rid):
        raise RuleError(file, str(rid) if rid else None, "id", "needs a lower snake_case id")
    unknown = set(rule) - RULE_FIELDS
    if unknown:
        raise RuleError(file, rid, sorted(unknown)[0], "unknown field")
    for fld in ("title", "explanation", "condition"):
        if not isinstance(rule.get(fld), str) or not rule[fld].strip():
            raise RuleError(file, rid, fld, "is required and must be a non-empty string")
    cat = rule.get("category", category)
    if cat not in CATEGORIES:
        raise RuleError(file, rid, "category", f"{cat!r} is not one of {', '.join(CATEGORIES)}")
    sev = rule.get("severity")
    if sev not in SEVERITIES:
        raise RuleError(file, rid, "severity", "must be high, medium or low")
    score = rule.get("score", SEVERITIES[sev])
    if not isinstance(score, int) or not 1 <= score <= 100:
        raise RuleError(file, rid, "score", "must be a whole number from 1 to 100")
    status = rule.get("status", "stable")
    if status not in STATUSES:
        raise RuleError(file, rid, "status", f"must be one of {', '.join(STATUSES)}")
    try:
        tree = conditions.parse(rule["condition"])
    except conditions.ConditionError as exc:
        raise RuleError(file, rid, "condition", str(exc)) from exc
    examples = rule.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - set(EXAMPLE_KINDS):
        raise RuleError(file, rid, "examples", f"a table of {', '.join(EXAMPLE_KINDS)}")
    checked = {k: _str_list(examples.get(k), file, rid, f"examples.{k}") for k in EXAMPLE_KINDS}
    for kind in ("match", "no_match"):
        if not checked[kind]:
            raise RuleError(file, rid, f"examples.{kind}", "needs at least one example")
    bonus = rule.get("context_bonus", 10)
    if not isinstance(bonus, int) or not 0 <= bonus <= 50:
        raise RuleError(file, rid, "context_bonus", "must be a whole number from 0 to 50")
    return {
        "id": rid,
        "title": rule["title"].strip(),
        "category": cat,
        "severity": sev,
        "score": score,
        "status": status,
        "explanation": rule["explanation"].strip(),
        "advice": _str_list(rule.get("advice"), file, rid, "advice", required=True),
        "condition": rule["condition"].strip(),
        "context": _str_list(rule.get("context"), file, rid, "context"),
        "context_bonus": bonus,
        "infer_category": bool(rule.get("infer_category", False)),
        "examples": checked,
        "_file": file,
        "_tree": tree,
        "_signals": sorted(conditions.signal_names(tree)),
    }


def _rule_files(rules_dir: Path) -> list[Path]:
    return sorted(p for p in rules_dir.glob("*.toml") if not p.name.startswith("_"))


def _load_language(rules_dir: Path) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    lang = _load_toml(rules_dir / "_language.toml")
    fragments = lang.get("fragments", {})
    if not all(isinstance(v, str) for v in fragments.values()):
        raise RuleError("_language.toml", None, "fragments", "every fragment is a regex string")
    for name, frag in fragments.items():
        try:
            re.compile(frag)
        except re.error as exc:
            raise RuleError("_language.toml", name, "fragments", f"does not compile: {exc}") from exc
    verdict = lang.get("verdict", {})
    if set(verdict) != {"high", "medium", "low"} or not all(isinstance(v, int) for v in verdict.values()):
        raise RuleError("_language.toml", None, "verdict", "needs exactly high, medium and low point thresholds")
    advice = lang.get("advice", {})
    for key, item in advice.items():
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise RuleError("_language.toml", key, "advice", "needs text and priority")
        if not isinstance(item.get("priority"), int):
            raise RuleError("_language.toml", key, "advice.priority", "must be a whole number")
        for other in item.get("replaces", []):
            if other not in advice:
                raise RuleError("_language.toml", key, "advice.replaces", f"{other!r} is not an advice id")
    return lang, fragments, advice


def compile_rules(rules_dir: Path) -> dict[str, Any]:
    """Validate every rule file and return the JSON-able bundle."""
    rules_dir = Path(rules_dir)
    lang, fragments, advice = _load_language(rules_dir)
    signals: dict[str, dict[str, Any]] = {}
    signal_file: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    sources = [rules_dir / "_signals.toml", *_rule_files(rules_dir)]
    for path in sources:
        data = _load_toml(path)
        category = data.get("category")
        if path.name != "_signals.toml" and category not in CATEGORIES:
            raise RuleError(path.name, None, "category", f"file category {category!r} is unknown")
        for name, spec in data.get("signal", {}).items():
            if name in signals:
                raise RuleError(path.name, name, None, f"signal already defined in {signal_file[name]}")
            signals[name] = _compile_signal(name, spec, fragments, path.name)
            signal_file[name] = path.name
        for raw in data.get("rule", []):
            rules.append(_check_rule(raw, path.name, category))
    topics = lang.get("topics", {})
    _check_topics(topics, signals)
    quiet_when = _check_quiet_when(lang.get("quiet_when"), signals)
    _cross_check(rules, signals, signal_file, advice, topics, quiet_when)
    bundle = {
        "schema": SCHEMA_VERSION,
        "language": {k: lang[k] for k in LANGUAGE_KEYS if k in lang},
        "advice": advice,
        "signals": signals,
        "rules": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rules],
    }
    import hashlib  # here, not at import: the page loads bundles, it never makes one

    digest = hashlib.sha256(json.dumps(bundle, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    bundle["version"] = digest[:12]
    # What loading derives from the bundle, derived once here: a phone then skips parsing (a fifth of its
    # start-up's rules stage). The rule text stays the truth; the word trie's table is quick to rebuild.
    bundle["compiled"] = {
        "conditions": {r["id"]: r["_tree"] for r in rules},
        "quiet_when": quiet_when,
        "scanner_pattern": _scanner_pattern({w for spec in signals.values() for w in spec["words"]}),
        "needs": {name: needs_of(spec["patterns"]) for name, spec in signals.items() if spec["patterns"]},
        "first_chars": first_chars_of(bundle),
    }
    return bundle


def _check_topics(topics: Any, signals: dict[str, Any]) -> None:
    """[topics] maps a category to the signals that show a text is about it (for infer_category rules)."""
    if not isinstance(topics, dict):
        raise RuleError("_language.toml", None, "topics", "must be a table of category = [signal, …]")
    for cat, names in topics.items():
        if cat not in CATEGORIES:
            raise RuleError("_language.toml", cat, "topics", f"{cat!r} is not a category")
        for name in _str_list(names, "_language.toml", cat, "topics"):
            if name not in signals:
                raise RuleError("_language.toml", cat, "topics", f"signal {name!r} is not defined")


def _check_quiet_when(condition: Any, signals: dict[str, Any]) -> conditions.Node | None:
    """quiet_when: a condition over signals under which no rule fires (a retold warning)."""
    if condition is None:
        return None
    if not isinstance(condition, str):
        raise RuleError("_language.toml", None, "quiet_when", "must be a condition, as a string")
    try:
        tree = conditions.parse(condition)
    except conditions.ConditionError as exc:
        raise RuleError("_language.toml", None, "quiet_when", str(exc)) from exc
    for name in sorted(conditions.signal_names(tree)):
        if name not in signals:
            raise RuleError("_language.toml", None, "quiet_when", f"signal {name!r} is not defined")
    return tree


def _cross_check(
    rules: list[dict[str, Any]],
    signals: dict[str, Any],
    signal_file: dict[str, str],
    advice: dict[str, Any],
    topics: dict[str, list[str]],
    quiet_when: conditions.Node | None,
) -> None:
    seen: dict[str, str] = {}
    used: set[str] = {n for names in topics.values() for n in names}
    used |= conditions.signal_names(quiet_when) if quiet_when else set()
    for rule in rules:
        rid, file = rule["id"], rule["_file"]
        if rid in seen:
            raise RuleError(file, rid, "id", f"id already used in {seen[rid]}")
        seen[rid] = file
        for name in rule["_signals"] + rule["context"]:
            if name not in signals:
                raise RuleError(file, rid, "condition", f"signal {name!r} is not defined")
        used.update(rule["_signals"], rule["context"])
        for item in rule["advice"]:
            if re.fullmatch(r"[a-z_]+", item) and item not in advice:
                raise RuleError(file, rid, "advice", f"advice id {item!r} is not in _language.toml")
    for name in sorted(set(signals) - used):
        raise RuleError(signal_file[name], name, None, "signal is defined but no rule uses it")
