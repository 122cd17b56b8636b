"""rules/schema.json: every rule file validates against it, a broken file names its file, rule or signal id
and field, and the schema is the one source of the categories, severities and fields the engine knows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import fanzha
from fanzha import decide, labels, model, rulefiles
from fanzha.rulefiles import RuleError, compile_rules, load_schema, source_headings, validate
from fanzha.rules import RuleSet

from .rule_samples import GOOD, compile_with

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
SHARED = ROOT.parent / "shared"
SCHEMA = load_schema(RULES / "schema.json")
RULE_FILES = sorted(p for p in RULES.glob("*.toml") if p.name != "_language.toml")


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_file_validates_against_the_schema(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    schema = SCHEMA.schema["$defs"]["signals_file"] if path.name == "_signals.toml" else SCHEMA.schema
    assert validate(data, schema, SCHEMA.schema) is None


def test_a_good_extra_file_compiles_with_its_new_fields(tmp_path: Path) -> None:
    body = GOOD.replace('severity = "medium"', 'severity = "medium"\nprecedence = 3\nstatus = "stable"')
    rule = next(r for r in compile_with(tmp_path, body)["rules"] if r["id"] == "demo_rule")
    assert (rule["precedence"], rule["status"], rule["score"]) == (3, "stable", 40)
    assert "source" not in rule  # build-time grounding: the page never needs it


@pytest.mark.parametrize(
    ("edit", "ident", "field", "words"),
    [
        (('severity = "medium"', 'severity = "urgent"'), "demo_rule", "severity", "not one of high, medium or low"),
        (('severity = "medium"', 'severity = "medium"\nlevel = "high"'), "demo_rule", "level", "unknown field"),
        (('source = "notice: 五、冒充领导诈骗"\n', ""), "demo_rule", "source", "is required"),
        (("notice: 五、冒充领导诈骗", "公安部: 五、冒充领导诈骗"), "demo_rule", "source", "notice|police-guidance"),
        (("notice: 五、冒充领导诈骗", "notice:"), "demo_rule", "source", "does not match"),
        (('severity = "medium"', 'severity = "medium"\nprecedence = "high"'), "demo_rule", "precedence",
         "must be a whole number"),
        (('severity = "medium"', 'severity = "medium"\nprecedence = 1.5'), "demo_rule", "precedence",
         "must be a whole number"),
        (('severity = "medium"', 'severity = "medium"\nprecedence = true'), "demo_rule", "precedence",
         "must be a whole number"),
        (('severity = "medium"', 'severity = "medium"\nprecedence = 11'), "demo_rule", "precedence",
         "from -10 to 10"),
        (('severity = "medium"', 'severity = "medium"\nscore = 0'), "demo_rule", "score", "from 1 to 100"),
        (('severity = "medium"', 'severity = "medium"\nstatus = "test"'), "demo_rule", "status",
         "not one of experimental or stable"),
        (('severity = "medium"', 'severity = "medium"\nreferences = ["http://example.org/a"]'), "demo_rule",
         "references", "https"),
        (('severity = "medium"', 'severity = "medium"\ncategory = "lottery"'), "demo_rule", "category", "not one of"),
        (('no_match = ["没有演示词"]', 'no_match = ["没有演示词"]\nmaybe = ["演示词"]'), "demo_rule", "examples.maybe",
         "unknown field"),
        (('match = ["演示词，请转账"]', 'match = ["演示词，请转账", ""]'), "demo_rule", "examples.match", "non-empty"),
        (('advice = ["stop"]', "advice = []"), "demo_rule", "advice", "at least one"),
        (('id = "demo_rule"', 'id = "Demo-Rule"'), "Demo-Rule", "id", "does not match"),
        (('words = ["演示词"]', 'words = ["演示词"]\nnegatable = "no"'), "demo_signal", "negatable", "true or false"),
        (('words = ["演示词"]', 'words = "演示词"'), "demo_signal", "words", "must be a list"),
        (("[signal.demo_signal]", "[signal.DemoSignal]"), "DemoSignal", None, "lower snake_case"),
    ],
    ids=["severity", "unknown-field", "no-source", "source-prefix", "source-empty", "precedence-str",
         "precedence-float", "precedence-bool", "precedence-range", "score-range", "status", "references-http",
         "category", "example-kind", "empty-example", "no-advice", "id", "signal-bool", "signal-words",
         "signal-name"],
)
def test_a_broken_rule_file_names_file_id_and_field(tmp_path: Path, edit: tuple[str, str], ident: str,
                                                     field: str | None, words: str) -> None:
    old, new = edit
    assert old in GOOD
    with pytest.raises(RuleError) as err:
        compile_with(tmp_path, GOOD.replace(old, new, 1))
    message = str(err.value)
    assert message.startswith(f"zz_demo.toml: {ident}" + (f".{field}: " if field else ": ")), message
    assert (err.value.file, err.value.ident, err.value.field) == ("zz_demo.toml", ident, field), message
    assert words in message, message


def test_a_file_without_its_category_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "zz_demo.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleError, match=r"^zz_demo\.toml\.category: is required$"):
        compile_rules(rules)


@pytest.mark.skipif(not (SHARED / "seed" / "notice.txt").is_file(), reason="../shared is not beside this clone")
def test_a_source_heading_must_be_in_the_file_it_names(tmp_path: Path) -> None:
    body = GOOD.replace("五、冒充领导诈骗", "七、冒充快递诈骗")
    with pytest.raises(RuleError) as err:
        compile_with(tmp_path, body, SHARED)
    assert (err.value.ident, err.value.field) == ("demo_rule", "source")
    assert "'七、冒充快递诈骗' is not a heading of notice.txt" in str(err.value)
    assert "五、冒充领导诈骗" in str(err.value)  # the message lists the headings there are


def test_without_the_shared_files_only_the_source_prefix_is_checked(tmp_path: Path) -> None:
    body = GOOD.replace("五、冒充领导诈骗", "七、冒充快递诈骗")
    assert compile_with(tmp_path, body, tmp_path / "no-shared-here")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside this clone")
def test_every_source_is_a_heading_of_the_notice_or_the_police_guidance() -> None:
    files = {"notice": SHARED / "seed" / "notice.txt", "police-guidance": SHARED / "domain" / "police-guidance.md"}
    headings = {k: source_headings(p.read_text(encoding="utf-8"), p.suffix == ".md") for k, p in files.items()}
    assert "五、冒充领导诈骗" in headings["notice"] and "刷单返利" in headings["police-guidance"]
    for path in (p for p in RULE_FILES if not p.name.startswith("_")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8"))["rule"]:
            prefix, _, heading = rule["source"].partition(": ")
            assert any(heading in h for h in headings[prefix]), (path.name, rule["id"], rule["source"])


def test_source_headings_of_plain_text_and_markdown() -> None:
    notice = "通知标题\n一、切实提高思想认识。正文……\n（二）警方提醒：\n1、不要轻信，要核实。\n"
    assert source_headings(notice, markdown=False) == ["通知标题", "一、切实提高思想认识", "（二）警方提醒"]
    guidance = ("# Title\n| **刷单返利** | x | **not a label** |\n- **\"八个凡是\" (old)** [CN14]\n"
                "## Sources\n- **S1** x\n")
    assert source_headings(guidance, markdown=True) == ["Title", "刷单返利", '"八个凡是" (old)']


def test_the_schema_is_the_one_source_of_categories_and_severities() -> None:
    categories = set(SCHEMA.categories)
    assert rulefiles.CATEGORIES == SCHEMA.categories  # the names rulefiles hard-coded, read from the schema
    assert decide.WEAK_CATEGORY in categories
    ruleset = fanzha.active_rules()
    assert {r.category for r in ruleset.rules} <= categories
    assert set(ruleset.topics) | {decide.WEAK_CATEGORY} == categories  # infer_category reports one of these
    scorer = model.default_scorer()
    if scorer is not None:  # the scorer's categories, which decide puts first where rules say only "other"
        assert set(scorer.categories) == categories
    assert tuple(labels.load_labels(RULES)["categories"]) == SCHEMA.categories  # each is named, for the page too
    assert list(SCHEMA.severity_points) == [level for level in decide.LEVELS if level != "none"]
    assert SCHEMA.severity_points == {"high": 70, "medium": 40, "low": 15}
    assert {r.severity for r in ruleset.rules} <= set(SCHEMA.severity_points)
    assert {r.status for r in ruleset.rules} <= set(SCHEMA.statuses)


def test_the_schema_is_pinned_and_uses_only_what_the_validator_implements(tmp_path: Path) -> None:
    raw = json.loads((RULES / "schema.json").read_text(encoding="utf-8"))
    assert raw["$id"] == rulefiles.RULE_SCHEMA_ID and raw["$schema"].endswith("/draft/2020-12/schema")
    for change, words in [({"$id": "urn:fanzha:rule-file:0"}, "this fanzha reads"),
                          ({"anyOf": [{"type": "object"}]}, "keyword 'anyOf'")]:
        broken = tmp_path / f"{len(words)}.json"
        broken.write_text(json.dumps({**raw, **change}), encoding="utf-8")
        with pytest.raises(RuleError, match=re.escape(words)):
            load_schema(broken)


@pytest.mark.parametrize(
    ("schema", "value", "problem"),
    [
        ({"type": "integer"}, True, "must be a whole number"),
        ({"type": "string"}, 3, "must be a string"),
        ({"enum": ["a", "b", "c"]}, "d", "'d' is not one of a, b or c"),
        ({"type": "object", "required": ["x"]}, {}, "is required"),
        ({"type": "object", "properties": {"x": {}}, "additionalProperties": False}, {"y": 1}, "unknown field"),
        ({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}, {"B": 1}, "does not match"),
        ({"pattern": "^h"}, "x", "'x' does not match '^h'"),
        ({"minimum": 1, "maximum": 3}, 4, "must be from 1 to 3, not 4"),
        ({"minimum": 1}, 0, "must be at least 1"),
        ({"items": {"type": "string"}}, ["a", 2], "must be a string"),
        ({"minItems": 2}, ["a"], "needs at least 2 items"),
        ({"$defs": {"n": {"type": "integer"}}, "$ref": "#/$defs/n"}, "1", "must be a whole number"),
    ],
)
def test_validate_reports_the_first_violation(schema: dict, value: object, problem: str) -> None:
    found = validate(value, schema)
    assert found is not None and problem in found.problem, found
    assert validate({"a": [1, 2]}, {"type": "object", "properties": {"a": {"items": {"type": "integer"}}}}) is None


def test_validate_reports_where() -> None:
    schema = {"type": "object", "properties": {"rule": {"type": "array", "items": {"type": "object", "properties": {
        "examples": {"type": "object", "properties": {"match": {"items": {"type": "string"}}}}}}}}}
    found = validate({"rule": [{}, {"examples": {"match": ["a", 1]}}]}, schema)
    assert found is not None and found.path == ("rule", 1, "examples", "match", 1)


def test_precedence_ranks_categories_whose_best_rules_score_the_same() -> None:
    topics = {"romance": (0, 0), "investment": (2, 3)}
    assert decide.rank_categories([("investment", 70, 0), ("romance", 70, 1)], topics)[0] == "romance"
    assert decide.rank_categories([("investment", 80, 0), ("romance", 70, 1)], topics)[0] == "investment"
    # precedence counts with its own rule's points: a weaker rule's precedence does not lift its category
    assert decide.rank_categories([("investment", 70, 0), ("romance", 70, 0), ("romance", 40, 5)], topics)[0] == \
        "investment"


def test_precedence_is_in_the_bundle_and_the_rule_record() -> None:
    bundle = json.loads(json.dumps(compile_rules(RULES)))  # through JSON, as the page gets it
    ruleset = RuleSet.from_bundle(bundle)
    by_id = {r.id: r for r in ruleset.rules}
    assert by_id["romance_to_platform"].precedence == 1 and by_id["investment_high_return"].precedence == 0


def test_importing_the_engine_reads_no_schema() -> None:
    """The page imports fanzha (and so rulefiles) but never compiles rules: the schema is read on first use."""
    code = "import fanzha.rulefiles as r; assert not r._schemas; r.CATEGORIES; assert len(r._schemas) == 1"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
