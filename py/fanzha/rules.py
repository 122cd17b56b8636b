"""Stage 4a: rule files -> one validated bundle -> a compiled RuleSet.

Rule files are TOML under ``rules/`` (tomllib is in the standard library, so neither the build nor
the browser needs a YAML parser). ``compile_rules`` validates them and returns the JSON bundle that
both CPython and the page load; ``RuleSet.from_bundle`` compiles its patterns once.
Every error names the file, the rule or signal id, and the field.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from . import conditions
from .normalize import fold

SCHEMA_VERSION = 1
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
SIGNAL_FIELDS = {"words", "tokens", "patterns", "negatable", "asker", "description"}
EXAMPLE_KINDS = ("match", "no_match", "known_miss", "known_false_hit")
LANGUAGE_KEYS = ("negators", "clause_negators", "warning_markers", "verdict", "verdict_advice", "topics", "lexicon")


class RuleError(ValueError):
    """A broken rule file. The message names the file, the rule or signal id and the field."""

    def __init__(self, file: str, ident: str | None, fld: str | None, problem: str) -> None:
        where = file + (f": {ident}" if ident else "") + (f".{fld}" if fld else "")
        super().__init__(f"{where}: {problem}")
        self.file, self.ident, self.field, self.problem = file, ident, fld, problem


# ---------------------------------------------------------------- loading and validation


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
    _cross_check(rules, signals, signal_file, advice, topics)
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
        "scanner_pattern": _scanner_pattern({w for spec in signals.values() for w in spec["words"]}),
        "needs": {name: _needs_of(spec["patterns"]) for name, spec in signals.items() if spec["patterns"]},
        "first_chars": _first_chars_of(bundle),
    }
    return bundle


def bundle_lexicon(bundle: dict[str, Any]) -> list[str]:
    """The words jieba must keep whole: the language's lexicon and every token signal's words."""
    tokens = {w for spec in bundle["signals"].values() for w in spec["tokens"]}
    return sorted(set(bundle["language"].get("lexicon", [])) | tokens)


def _as_needs(value: list[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _as_node(value: Any) -> Any:
    """A condition tree back from JSON: lists were tuples."""
    return tuple(_as_node(v) for v in value) if isinstance(value, list) else value


def _language_patterns(lang: dict[str, Any]) -> dict[str, str]:
    """The language's word lists, each as the one pattern a check runs over the whole paste."""
    markers = lang.get("warning_markers") or []
    return {
        "negators": "|".join(lang["negators"]),
        "clause_negators": "|".join(lang.get("clause_negators") or ["(?!)"]),
        **({"warning_markers": "|".join(markers)} if markers else {}),
    }


def _first_chars_of(bundle: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """The guard (scan_guard) of every pattern a check runs over the whole paste, by signal and by
    language list."""
    signals = {
        name: scan_guard(_joined([], spec["patterns"])) for name, spec in bundle["signals"].items() if spec["patterns"]
    }
    language = {key: scan_guard(pattern) for key, pattern in _language_patterns(bundle["language"]).items()}
    return {"signals": signals, "language": language}


def _needs_of(patterns: list[str]) -> list[str] | None:
    need = required_literals(_joined([], patterns)) if patterns else None
    return None if need is None else sorted(need)


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


def _cross_check(
    rules: list[dict[str, Any]],
    signals: dict[str, Any],
    signal_file: dict[str, str],
    advice: dict[str, Any],
    topics: dict[str, list[str]],
) -> None:
    seen: dict[str, str] = {}
    used: set[str] = {n for names in topics.values() for n in names}
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


def load_bundle_file(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- runtime


# The engine's records are NamedTuples: dataclass() writes and compiles its classes' methods when a
# module is imported, about 50 ms of the page's start-up for ten classes.
class Signal(NamedTuple):
    name: str
    regex: re.Pattern[str] | None
    token_regex: re.Pattern[str] | None
    negatable: bool
    asker: bool
    needs: frozenset[str] | None  # regex can only match a text holding one of these (None: unknown)


def _parsed(pattern: str) -> list[Any] | None:
    """``pattern`` as re's own parser reads it; None when it ignores case (no literal can then be named)."""
    from re import _parser as p  # type: ignore[attr-defined]

    parsed = p.parse(pattern)
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when none can be named.

    Most texts show few signals: a check skips a signal's regex outright when the text holds none of
    its strings, instead of running it over the whole paste (a fifth of a check's time in the page).
    """
    items = _parsed(pattern)
    return None if items is None else _needs(items)


def _needs(items: Any) -> frozenset[str] | None:
    """For a parsed sequence: the most selective set among those its required parts give."""
    from re import _constants as c  # type: ignore[attr-defined]

    options: list[frozenset[str]] = []
    run = ""  # consecutive literal characters: the whole run must occur
    for op, av in items:
        if op == c.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        need = None
        if op == c.SUBPATTERN and not av[1] & re.IGNORECASE:  # (group, add flags, del flags, body)
            need = _needs(av[-1])
        elif op == c.ATOMIC_GROUP:
            need = _needs(av)
        elif op == c.BRANCH:
            alternatives = [_needs(alt) for alt in av[1]]
            if all(alternatives):
                need = frozenset().union(*alternatives)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _needs(av[2])
        elif op == c.IN and 0 < len(av) <= 8 and all(o == c.LITERAL for o, _ in av):
            need = frozenset(chr(v) for _, v in av)
        if need:
            options.append(need)
    if run:
        options.append(frozenset([run]))
    # Longer strings are rarer in a text; fewer of them are quicker to look for.
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def first_chars(pattern: str) -> str | None:
    """A character class (the inside of "[…]") holding the first character of every match of ``pattern``,
    or None when none can be given: a match may be empty or start with any character, or case is ignored."""
    items = _parsed(pattern)
    return None if items is None else _first_class(items)


def _first_class(items: list[Any]) -> str | None:
    found = _firsts(items)
    return None if found is None or found[1] else "".join(sorted(found[0]))


def scan_guard(pattern: str) -> str | None:
    """The class to put ``pattern`` behind (``guarded``) when a scan of a paste would otherwise try it in
    full at every position; None when the regex engine already skips positions by itself, or cannot be
    helped.

    Python's engine skips the positions that cannot start a match only for a pattern that begins with a
    literal, a class, or alternatives that each begin with a literal. A signal's alternation of
    sub-patterns, or one that begins with a lookbehind, runs at every position of the paste; behind a
    lookahead of its first characters, such a position costs one test. (Where the engine skips by
    itself, a guard would only slow it down.)
    """
    items = _parsed(pattern)
    return None if items is None or _engine_skips(items) else _first_class(items)


def _engine_skips(items: Any) -> bool:
    """Does the regex engine find this pattern's start by itself? (re._compiler's prefix and charset.)"""
    from re import _constants as c  # type: ignore[attr-defined]

    while items and items[0][0] == c.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = list(items[0][1][-1])
    if not items:
        return False
    op, av = items[0]
    if op in (c.LITERAL, c.IN):
        return True
    return op == c.BRANCH and all(alt and alt[0][0] == c.LITERAL for alt in av[1])


def _firsts(items: Any) -> tuple[set[str], bool] | None:
    """For a parsed sequence: the class items its first consumed character is in, and whether it can
    match empty. None when unknown."""
    out: set[str] = set()
    for op, av in items:
        one = _first_of(op, av)
        if one is None:
            return None
        out |= one[0]
        if not one[1]:
            return out, False
    return out, True


def _first_of(op: Any, av: Any) -> tuple[set[str], bool] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op == c.LITERAL:
        return {re.escape(chr(av))}, False
    if op == c.IN:
        return _class_items(av), False
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):  # zero-width: the first character comes after
        return set(), True
    if op == c.SUBPATTERN:  # (group, add flags, del flags, body)
        return None if av[1] & re.IGNORECASE else _firsts(av[-1])
    if op == c.ATOMIC_GROUP:
        return _firsts(av)
    if op == c.BRANCH:
        alternatives = [_firsts(alt) for alt in av[1]]
        if any(a is None for a in alternatives):
            return None
        return set().union(*(a[0] for a in alternatives)), any(a[1] for a in alternatives)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):  # (min, max, body)
        body = _firsts(av[2])
        return None if body is None else (body[0], body[1] or av[0] == 0)
    return None  # any character, a negated literal, a back-reference…


def _class_items(items: Any) -> set[str] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    out = set()
    for op, av in items:
        if op == c.LITERAL:
            out.add(re.escape(chr(av)))
        elif op == c.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op == c.CATEGORY and str(av) in _CATEGORY_CLASSES:
            out.add(_CATEGORY_CLASSES[str(av)])
        else:  # a negated class or category: nearly every character
            return None
    return out


def guarded(pattern: str, firsts: str | None) -> str:
    """``pattern`` behind a lookahead of the characters its matches start with (``first_chars``)."""
    return f"(?=[{firsts}])(?:{pattern})" if firsts else pattern


class Rule(NamedTuple):
    id: str
    title: str
    category: str
    severity: str
    score: int
    status: str
    explanation: str
    advice: list[str]
    condition: conditions.Node
    context: list[str]
    context_bonus: int
    infer_category: bool
    examples: dict[str, list[str]]


TRIE_GUARD_OVER = 64  # a trie branch with more alternatives than this is split into guarded groups


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal words, shaped as a trie (转(?:账(?:截图)?|给)…), so a position costs
    a few steps instead of one try per word. At each position it matches the longest word."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [(ch, re.escape(ch) + emit(child)) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = _guarded(branches)
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _guarded(branches: list[tuple[str, str]]) -> str:
    """Alternatives that each start with their own character; a wide branch as groups behind guards.

    The regex engine tries a branch's alternatives one by one, and the trie's first level has hundreds
    (one per first character). Split into about √n groups of √n, each behind a lookahead of its first
    characters (one bitmap test), a position costs about 2√n tries instead of n: the scan of a chat takes
    less than half the time. Only that first level is wide enough to be worth the guards' code. The
    alternatives and their order are unchanged, so are the matches.
    """
    alts = [alt for _, alt in branches]
    if len(branches) <= TRIE_GUARD_OVER:
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    size = math.isqrt(len(branches) - 1) + 1
    groups = [branches[i : i + size] for i in range(0, len(branches), size)]
    guarded = [f"(?=[{re.escape(''.join(ch for ch, _ in g))}])(?:{'|'.join(alt for _, alt in g)})" for g in groups]
    return "(?:" + "|".join(guarded) + ")"


def _scanner_pattern(words: Iterable[str]) -> str:
    """At each position that starts a word, capture the longest word there (a lookahead: overlaps too)."""
    words = sorted(words)
    first = "".join(sorted({w[0] for w in words}))
    return f"(?=[{re.escape(first)}])(?=({_trie_pattern(words)}))" if words else "(?!)"


class WordScanner:
    """Finds every signal word in a text in one pass.

    A lookahead match at each position yields the longest word there; every other word that starts
    at the same position is a prefix of it, so ``found(word)`` lists the (signal, length) of every
    word it starts with (overlaps included).
    """

    __slots__ = ("_found", "regex", "signals_of")

    def __init__(self, regex: re.Pattern[str], signals_of: dict[str, list[str]]) -> None:
        self.regex = regex
        self.signals_of = signals_of
        self._found: dict[str, list[tuple[str, int]]] = {}  # found(), for the words texts have shown

    @classmethod
    def build(cls, signal_words: dict[str, list[str]], pattern: str | None = None) -> WordScanner:
        """pattern: the trie regex, when the bundle carries it prebuilt (rules._compiled)."""
        signals_of: dict[str, list[str]] = {}
        for name, words in signal_words.items():
            for w in words:
                signals_of.setdefault(w, []).append(name)
        if pattern is None:
            pattern = _scanner_pattern(signals_of)
        return cls(re.compile(pattern), signals_of)

    def found(self, word: str) -> list[tuple[str, int]]:
        if word not in self._found:
            signals_of = self.signals_of
            self._found[word] = [(name, i) for i in range(1, len(word) + 1) for name in signals_of.get(word[:i], ())]
        return self._found[word]

    def scan(self, text: str) -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        cached, found = self._found, self.found
        for m in self.regex.finditer(text):
            pos = m.start()
            word = m.group(1)
            for name, n in cached[word] if word in cached else found(word):
                spans.setdefault(name, []).append((pos, pos + n))
        return spans


def _joined(words: list[str], patterns: list[str]) -> str:
    return "|".join([re.escape(w) for w in sorted(words, key=len, reverse=True)] + [f"(?:{p})" for p in patterns])


def _alternation(words: list[str], patterns: list[str], firsts: str | None = None) -> re.Pattern[str] | None:
    return re.compile(guarded(_joined(words, patterns), firsts)) if words or patterns else None


class RuleSet(NamedTuple):
    """The compiled rules a check runs with, built once (``compile_rules`` from rules/*.toml in CPython,
    ``RuleSet.from_bundle`` from build.py's JSON bundle in the page).

    ``signals`` are the named building blocks (words, patterns) and ``rules`` the user-facing patterns whose
    conditions combine them; ``words`` scans every signal's words in one pass; ``negators``,
    ``clause_negators`` and ``warning_markers`` decide when a hit does not count; ``verdict`` maps points to
    levels and ``advice`` is the advice library the rules cite by id. ``version`` names the rules' content.
    """

    version: str
    signals: list[Signal]
    rules: list[Rule]
    advice: dict[str, dict[str, Any]]
    negators: re.Pattern[str]
    clause_negators: re.Pattern[str]
    warning_markers: re.Pattern[str] | None
    verdict: dict[str, int]
    verdict_advice: dict[str, list[str]]
    lexicon: list[str]
    words: WordScanner
    topics: dict[str, list[str]]
    lexicon_counts: dict[str, int]  # from the page's bundle (build.py); else empty

    def advice_for_verdict(self, verdict: str) -> list[str]:
        """The advice every report of this level carries, whatever fired."""
        return list(self.verdict_advice.get(verdict, []))

    @classmethod
    def from_bundle(cls, bundle: dict[str, Any] | str) -> RuleSet:
        if isinstance(bundle, str):
            bundle = json.loads(bundle)
        if bundle.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"rules bundle schema {bundle.get('schema')} is not {SCHEMA_VERSION}")
        lang = bundle["language"]
        compiled = bundle.get("compiled") or {}
        parsed = compiled.get("conditions", {})
        needs = compiled.get("needs", {})
        firsts = compiled.get("first_chars") or _first_chars_of(bundle)
        signals = [
            Signal(
                name,
                _alternation([], spec["patterns"], firsts["signals"].get(name)),
                _alternation(spec["tokens"], []),
                spec["negatable"],
                spec["asker"],
                _as_needs(needs[name] if name in needs else _needs_of(spec["patterns"])),
            )
            for name, spec in bundle["signals"].items()
        ]
        rules = [
            Rule(
                r["id"], r["title"], r["category"], r["severity"], r["score"], r["status"],
                r["explanation"], r["advice"],
                _as_node(parsed[r["id"]]) if r["id"] in parsed else conditions.parse(r["condition"]), r["context"],
                r["context_bonus"], r.get("infer_category", False), r.get("examples", {}),
            )
            for r in bundle["rules"]
        ]
        language = {
            key: re.compile(guarded(pattern, firsts["language"].get(key)))
            for key, pattern in _language_patterns(lang).items()
        }
        return cls(
            version=bundle["version"],
            signals=signals,
            rules=rules,
            advice=bundle["advice"],
            negators=language["negators"],
            clause_negators=language["clause_negators"],
            warning_markers=language.get("warning_markers"),
            verdict=lang.get("verdict", {"high": 70, "medium": 40, "low": 1}),
            verdict_advice=lang.get("verdict_advice", {}),
            topics=lang.get("topics", {}),
            lexicon=bundle_lexicon(bundle),
            lexicon_counts=compiled.get("lexicon_counts", {}),
            words=WordScanner.build(
                {name: spec["words"] for name, spec in bundle["signals"].items()}, compiled.get("scanner_pattern")
            ),
        )
