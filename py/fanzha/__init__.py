"""fanzha (反诈): 转账前，查一查. Reads a pasted chat and says which scam patterns it shows.

    >>> import fanzha
    >>> fanzha.check("领导：我在开会，你先帮我转两万给王总").verdict
    'high'

The pipeline: normalize -> transcript -> segment -> rules/detect, model -> decide -> report. Pure Python plus jieba,
the same in CPython and in Pyodide; nothing here knows about the browser.
"""

from __future__ import annotations

# First: the modules below compile regexes and import jieba when imported; in the browser, the speed-ups
# (precompiled regexes, jieba's data loaded on demand) must be in place before that.
from . import speedups

speedups.install()

# isort: split
import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from . import decide, detect, entities, model, normalize, report, segment  # noqa: E402
from .report import Report  # noqa: E402
from .rules import RuleSet  # noqa: E402

__all__ = ["MAX_CHARS", "Report", "RuleError", "check", "check_json", "compile_rules", "load_rules"]

# A check reads at most this much; beyond it the report says how much was read. Scam chats that
# matter fit many times over, and it keeps a 1 MB paste from holding the worker for seconds.
MAX_CHARS = 50_000
RULES_DIR = Path(__file__).resolve().parents[2] / "rules"

_ruleset: RuleSet | None = None
# Said with a result of guided mode's known_contact: why no resemblance is weighed, and what still holds
# (the notice: 熟人要求转账一定要当面核实).
KNOWN_CONTACT_NOTE = (
    "按你的回答，对方是你认识的人，用的是原来的联系方式。熟人要转账，也请当面或打原来存的电话和本人核实。"
)


def load_rules(bundle: dict[str, Any] | str | RuleSet) -> RuleSet:
    """Make ``bundle`` (a compiled rules bundle, as dict or JSON text) the active rule set."""
    global _ruleset
    ruleset = bundle if isinstance(bundle, RuleSet) else RuleSet.from_bundle(bundle)
    segment.add_lexicon(ruleset.lexicon, ruleset.lexicon_counts)
    _ruleset = ruleset
    return ruleset


def active_rules() -> RuleSet:
    """The active rule set; in CPython, compiled from the repository's ``rules/`` on first use."""
    if _ruleset is None:
        from .rulefiles import compile_rules

        return load_rules(compile_rules(RULES_DIR))
    return _ruleset


def __getattr__(name: str) -> Any:
    """``RuleError`` and ``compile_rules``, the rule files' compiler, imported when first asked for: the page
    loads build.py's compiled bundle, and its archive leaves the compiler (and the schema check) out."""
    if name in ("RuleError", "compile_rules"):
        from . import rulefiles

        return getattr(rulefiles, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check(text: str, ruleset: RuleSet | None = None, *, known_contact: bool = False) -> Report:
    """Check one pasted text and report what it shows.

    ``known_contact``: the user said by their answers (guided mode), not in the text, that the person asking
    is someone they know, on a contact they already had, and picked no warning sign. The learned scorer then
    has no say: it weighs how much the wording resembles scam messages, and a guided description is the
    page's own wording of the answers, which the answers themselves vouch for. Rules still fire on what the
    text names. Never set from the text: words such as "我没换号" in a pasted chat may be the scammer's.
    """
    ruleset = ruleset or active_rules()
    if not isinstance(text, str):
        raise TypeError("check() takes the pasted text as a str")
    notes = []
    if len(text) > MAX_CHARS:
        notes.append(f"内容太长，只检查了前 {MAX_CHARS} 字（共 {len(text)} 字）。")
        text = text[:MAX_CHARS]
    folded = normalize.fold(text)
    analysis = detect.analyse(folded, ruleset)
    scorer = model.default_scorer()
    resemblance, logit, thresholds, categories_of = None, None, {}, list
    if scorer is not None:
        model_text = model.model_text(folded.text)
        x = scorer.features(model_text)
        resemblance = scorer.resemblance(model_text, x)
        logit = resemblance.logit if model.has_enough(model_text) and not known_contact else None
        thresholds = scorer.thresholds
        categories_of = lambda: scorer.categories_of(x)  # noqa: E731  (only when the scorer has a say)
    judgement = decide.judge(analysis, ruleset, logit, thresholds, categories_of)
    result = report.build(analysis, text, ruleset, entities.extract(folded, text), judgement, resemblance)
    if known_contact:
        notes.append(KNOWN_CONTACT_NOTE)
    return result._replace(notes=tuple(notes) + result.notes, checked_chars=len(text))


def check_json(text: str, known_contact: bool = False) -> str:
    """The report as JSON text: what the browser worker hands to the page."""
    # Serialised at once, so its evidence lists may be shared objects; it has no cycles, and the encoder's
    # cycle check would only cost (a long chat's report has over a thousand pieces of evidence).
    report = check(text, known_contact=bool(known_contact)).to_dict(shared=True)
    return json.dumps(report, ensure_ascii=False, check_circular=False)
