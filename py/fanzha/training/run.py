"""The ``train`` and ``eval --cv`` commands: rows in, model file or figures out."""

from __future__ import annotations

import time
from pathlib import Path

import fanzha
from fanzha import model

from . import crossval
from .data import DEV_SET, training_rows
from .fit import Settings, fit

MODEL_PATH = Path(model.__file__).with_name(model.MODEL_FILE)


def _prepared(dev: Path | None) -> tuple[list, list, fanzha.RuleSet]:
    ruleset = fanzha.active_rules()
    rows = training_rows(ruleset, dev)
    return rows, crossval.rule_views(rows, ruleset), ruleset


def train(dev: Path | None = DEV_SET, out: Path = MODEL_PATH, settings: Settings | None = None) -> str:
    """Cross-validate to choose the thresholds, fit on every row, write the model file. Deterministic."""
    started = time.perf_counter()
    settings = settings or Settings()
    rows, views, ruleset = _prepared(dev)
    scored = crossval.cross_validate(rows, views, settings)
    thresholds = crossval.choose_thresholds(scored, ruleset)
    data = fit(rows, settings, thresholds)
    out.write_bytes(data)
    seconds = time.perf_counter() - started
    return (f"wrote {out} ({len(data):,} bytes) from {len(rows)} rows in {seconds:.0f} s\n\n"
            + crossval.cv_report(scored, thresholds, ruleset))


def evaluate(dev: Path | None = DEV_SET, settings: Settings | None = None, by_source: bool = True) -> str:
    """Cross-validated figures for the whole checker, and the leave-one-source-out table beside them."""
    settings = settings or Settings()
    rows, views, ruleset = _prepared(dev)
    scored = crossval.cross_validate(rows, views, settings)
    thresholds = crossval.choose_thresholds(scored, ruleset)
    out = crossval.cv_report(scored, thresholds, ruleset)
    if by_source:
        out += "\n\n" + crossval.leave_one_source_out(rows, views, thresholds, ruleset, settings)
    return out
