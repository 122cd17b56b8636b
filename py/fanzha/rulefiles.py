"""Rule files (TOML under ``rules/``) -> one validated, JSON-able bundle.

``compile_rules`` validates every file and returns the bundle that both CPython and the page load
(``RuleSet.from_bundle``). First against ``rules/schema.json`` (the one source of a rule file's fields,
enums, ranges and defaults; ``validate`` is a small validator for the JSON Schema keywords it uses), then
what a schema cannot say: conditions parse, signals are defined and used, patterns compile and do not
backtrack catastrophically on a long sample, a rule's ``source`` heading is in the file it names. Every
error names the file, the rule or signal id, and the field. Runs in CPython (the build, the tests, the
command line); the page never reads TOML or the schema.

About 450 lines, kept as one file on purpose: it is the whole of what a broken rule file can get wrong
(the schema, the sources, the conditions, the signals' use, the regex lint), each check raising the same
RuleError; the JSON Schema subset itself lives in schema_check.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from . import conditions
from .entities import AMOUNT_PATTERN
from .normalize import fold
from .patterns import needs_of
from .rules import SCHEMA_VERSION, first_chars_of
from .schema_check import SchemaError, Violation, check_schema, validate
from .wordscan import _scanner_pattern

SCHEMA_FILE = "schema.json"
RULE_SCHEMA_ID = "urn:fanzha:rule-file:1"  # a change that makes old rule files invalid bumps it, here and there

FRAGMENT_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# Fragments defined in code, because the engine uses them itself: {AMOUNT} is fanzha.entities' own, its
# named groups made plain (a signal's patterns may use it twice).
CODE_FRAGMENTS = {"AMOUNT": re.sub(r"\(\?P<\w+>", "(?:", AMOUNT_PATTERN)}

LANGUAGE_KEYS = (
    "negators", "clause_negators", "warning_markers", "verdict", "verdict_advice", "topics", "lexicon", "quiet_when",
)

# Where a rule's `source` points: the files the team lays beside the repository (../shared), each with
# the prefix a source starts with. In a clone without them only the prefix is checked (by the schema).
SOURCE_FILES = {"notice": Path("seed") / "notice.txt", "police-guidance": Path("domain") / "police-guidance.md"}


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


def _str_list(value: Any, file: str, ident: str, fld: str) -> list[str]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(file, ident, fld, "must be a list of non-empty strings")
    return value


class RuleSchema:
    """rules/schema.json and what rulefiles reads from it: it is the one source of these lists. (A plain
    class: the page imports this module, and a NamedTuple's class costs its import ten times as much.)"""

    def __init__(self, schema: dict[str, Any]) -> None:
        defs = schema["$defs"]
        rule, signal = defs["rule"]["properties"], defs["signal"]["properties"]
        self.schema = schema
        self.categories: tuple[str, ...] = tuple(defs["category"]["enum"])
        # severity -> the points a fired rule adds (the schema's x-points), in the enum's order
        self.severity_points: dict[str, int] = dict(rule["severity"]["x-points"])
        self.statuses: tuple[str, ...] = tuple(rule["status"]["enum"])
        self.example_kinds: tuple[str, ...] = tuple(rule["examples"]["properties"])
        self.rule_fields, self.signal_fields = frozenset(rule), frozenset(signal)
        self.rule_defaults = {k: v["default"] for k, v in rule.items() if "default" in v}
        self.signal_defaults = {k: v["default"] for k, v in signal.items() if "default" in v}

    def check(self, data: Any, file: str) -> None:
        """Validate one parsed rule file (or _signals.toml) against the schema, as a RuleError."""
        schema = self.schema["$defs"]["signals_file"] if file == "_signals.toml" else self.schema
        found = validate(data, schema, self.schema)
        if found:
            raise _located(file, data, found)


def _located(file: str, data: Any, found: Violation) -> RuleError:
    """A violation as a RuleError: [[rule]] number i is named by its id, [signal.x] by x; the field is the
    path below it (list indexes dropped: examples.match, not examples.match[2])."""
    path, ident = found.path, None
    if len(path) >= 2 and path[0] == "rule" and isinstance(path[1], int):
        entry = data["rule"][path[1]]
        rid = entry.get("id") if isinstance(entry, dict) else None
        ident, path = (rid if isinstance(rid, str) and rid else None), path[2:]
    elif len(path) >= 2 and path[0] == "signal":
        ident, path = str(path[1]), path[2:]
    below = ".".join(p for p in path if isinstance(p, str))
    if not below and ident is None and found.path:
        below = str(found.path[0])  # a field of the file itself: category, rule, signal
    return RuleError(file, ident, below or None, found.problem)


_schemas: dict[tuple[str, int], RuleSchema] = {}


def load_schema(path: Path | None = None) -> RuleSchema:
    """The rule schema at ``path`` (the repository's rules/schema.json by default), read once per file and
    version, and checked: its $id is the one this code reads, and it uses only keywords ``validate``
    implements. Build and test time only."""
    path = Path(__file__).resolve().parents[2] / "rules" / SCHEMA_FILE if path is None else Path(path)
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
        if key not in _schemas:
            _schemas[key] = _read_schema(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise RuleError(path.name, None, None, f"cannot read the rule schema: {exc}") from exc
    return _schemas[key]


def _read_schema(schema: Any) -> RuleSchema:
    if not isinstance(schema, dict) or schema.get("$id") != RULE_SCHEMA_ID:
        got = schema.get("$id") if isinstance(schema, dict) else None
        raise RuleError(SCHEMA_FILE, None, "$id", f"is {got!r}; this fanzha reads {RULE_SCHEMA_ID!r}")
    try:
        check_schema(schema, schema, "")
    except SchemaError as exc:
        raise RuleError(SCHEMA_FILE, None, exc.where or None, exc.problem) from exc
    try:
        vocabulary = RuleSchema(schema)
        severities = schema["$defs"]["rule"]["properties"]["severity"]["enum"]
    except (KeyError, TypeError) as exc:
        raise RuleError(SCHEMA_FILE, None, None, f"lacks what rulefiles reads from it: {exc}") from exc
    if list(vocabulary.severity_points) != severities:
        raise RuleError(SCHEMA_FILE, None, "severity", "x-points must give the points of each severity, in order")
    return vocabulary


# The lists this module hard-coded before the schema, for whoever imports them: read from the repository's
# schema when first asked for (module __getattr__), so importing rulefiles reads no file it does not need.
_FROM_SCHEMA = {
    "CATEGORIES": "categories", "SEVERITIES": "severity_points", "STATUSES": "statuses",
    "EXAMPLE_KINDS": "example_kinds", "RULE_FIELDS": "rule_fields", "SIGNAL_FIELDS": "signal_fields",
}


def __getattr__(name: str) -> Any:
    if name in _FROM_SCHEMA:
        return getattr(load_schema(), _FROM_SCHEMA[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def source_headings(text: str, markdown: bool) -> list[str]:
    """The headings a rule's ``source`` may point to. The notice (plain text): a numbered line's title
    ("五、冒充领导诈骗", "（二）警方提醒"), or a short line that is no sentence (the title, "附件"). The police
    guidance (Markdown): "#" headings and the bold label that opens a table row or a list item ("刷单返利"),
    up to its list of sources (web pages, not guidance)."""
    out = []
    for line in (raw.strip() for raw in text.splitlines()):
        if markdown:
            m = re.match(r"#{1,6}\s+(.+)", line) or re.match(r"[|-]\s*\*\*(.+?)\*\*", line)
            if m and m.group(1).strip() == "Sources":
                break
            if m:
                out.append(m.group(1).strip())
        else:
            m = re.match(r"(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。：]+", line)
            if m:
                out.append(m.group(0))
            elif line and len(line) <= 40 and not re.search(r"[。，]", line):
                out.append(line.rstrip("："))
    return out


def _load_source_headings(shared: Path) -> dict[str, list[str] | None]:
    """For each source prefix, the headings of its file beside the repository, or None where it is absent."""
    out: dict[str, list[str] | None] = {}
    for prefix, rel in SOURCE_FILES.items():
        path = shared / rel
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        out[prefix] = None if text is None else source_headings(text, markdown=path.suffix == ".md")
    return out


def _check_source(source: str, headings: dict[str, list[str] | None], file: str, rid: str) -> None:
    """"notice: 五、冒充领导诈骗": the prefix names a file (the schema checks it), the rest is (part of) one
    of its headings, when the file is here to read."""
    prefix, _, heading = source.partition(":")
    heading = heading.strip()
    known = headings.get(prefix)
    if known is not None and not any(heading in h for h in known):
        name, listed = SOURCE_FILES[prefix].name, "; ".join(dict.fromkeys(known))
        raise RuleError(file, rid, "source", f"{heading!r} is not a heading of {name} (its headings: {listed})")


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


def _compile_signal(name: str, spec: dict[str, Any], fragments: dict[str, str], file: str,
                    vocab: RuleSchema) -> dict[str, Any]:
    """One [signal.name] table, already valid against the schema: its words folded, its patterns expanded,
    compiled, linted and timed."""
    words, tokens, patterns = (spec.get(k, []) for k in ("words", "tokens", "patterns"))
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
    flags = {k: spec.get(k, vocab.signal_defaults[k]) for k in ("negatable", "asker", "identity")}
    return {"words": words, "tokens": tokens, "patterns": expanded, **flags}


def _check_rule(rule: dict[str, Any], file: str, category: str, vocab: RuleSchema,
                headings: dict[str, list[str] | None]) -> dict[str, Any]:
    """One [[rule]], already valid against the schema: its defaults filled in, its source and condition checked."""
    rid = rule["id"]
    defaults = vocab.rule_defaults
    _check_source(rule["source"], headings, file, rid)
    try:
        tree = conditions.parse(rule["condition"])
    except conditions.ConditionError as exc:
        raise RuleError(file, rid, "condition", str(exc)) from exc
    return {
        "id": rid,
        "title": rule["title"].strip(),
        "category": rule.get("category", category),
        "severity": rule["severity"],
        "score": rule.get("score", vocab.severity_points[rule["severity"]]),
        "precedence": rule.get("precedence", defaults["precedence"]),
        "status": rule.get("status", defaults["status"]),
        "explanation": rule["explanation"].strip(),
        "advice": rule["advice"],
        "condition": rule["condition"].strip(),
        "context": rule.get("context", []),
        "context_bonus": rule.get("context_bonus", defaults["context_bonus"]),
        "infer_category": rule.get("infer_category", defaults["infer_category"]),
        "examples": {k: rule["examples"].get(k, []) for k in vocab.example_kinds},
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
    for name in set(fragments) & set(CODE_FRAGMENTS):
        raise RuleError("_language.toml", name, "fragments", "is defined in code (rulefiles.CODE_FRAGMENTS)")
    fragments = {**CODE_FRAGMENTS, **fragments}
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


def compile_rules(rules_dir: Path, shared: Path | None = None) -> dict[str, Any]:
    """Validate every file and return the JSON-able bundle. ``shared`` holds the files rules cite as their
    source (seed/notice.txt, domain/police-guidance.md); by default ``../shared`` beside the repository,
    and where a file is absent only the source's prefix is checked."""
    rules_dir = Path(rules_dir)
    vocab = load_schema(rules_dir / SCHEMA_FILE)
    headings = _load_source_headings(rules_dir.resolve().parents[1] / "shared" if shared is None else Path(shared))
    lang, fragments, advice = _load_language(rules_dir)
    signals: dict[str, dict[str, Any]] = {}
    signal_file: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    sources = [rules_dir / "_signals.toml", *_rule_files(rules_dir)]
    for path in sources:
        data = _load_toml(path)
        vocab.check(data, path.name)
        for name, spec in data.get("signal", {}).items():
            if name in signals:
                raise RuleError(path.name, name, None, f"signal already defined in {signal_file[name]}")
            signals[name] = _compile_signal(name, spec, fragments, path.name, vocab)
            signal_file[name] = path.name
        for raw in data.get("rule", []):
            rules.append(_check_rule(raw, path.name, data.get("category", ""), vocab, headings))
    topics = lang.get("topics", {})
    _check_topics(topics, signals, vocab)
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


def _check_topics(topics: Any, signals: dict[str, Any], vocab: RuleSchema) -> None:
    """[topics] maps a category to the signals that show a text is about it (for infer_category rules)."""
    if not isinstance(topics, dict):
        raise RuleError("_language.toml", None, "topics", "must be a table of category = [signal, …]")
    for cat, names in topics.items():
        if cat not in vocab.categories:
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
