"""Command line: ``python -m fanzha check [FILE|-] [--json|--jsonl]`` and ``python -m fanzha eval CASES``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import check
from .evaluation import evaluate_file, format_table
from .report import Report

VERDICT_WORDS = {
    "high": "很可能是诈骗，先不要转账",
    "medium": "有可疑之处，请先核实",
    "low": "未发现明显诈骗特征，但请记住防骗提醒",
    "none": "未发现诈骗特征",
}


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    return Path(source).read_text(encoding="utf-8")


def format_report(report: Report) -> str:
    """The human-readable report, in Chinese."""
    lines = [f"结论：{VERDICT_WORDS[report.verdict]}（{report.verdict}，{report.score} 分）"]
    for f in report.findings:
        lines.append(f"\n● {f.title} [{f.category}, {f.severity}]")
        lines.append(f"  {f.explanation}")
        if f.evidence:
            lines.append("  依据：" + "、".join(f"「{e.text}」" for e in f.evidence))
    if report.advice:
        lines.append("\n现在该做什么：")
        lines += [f"  {i}. {a}" for i, a in enumerate(report.advice, 1)]
    found = {k: v for k, v in report.entities.items() if v}
    if found:
        lines.append("\n记下这些信息：")
        lines += [f"  {k}: {', '.join(map(str, v))}" for k, v in found.items()]
    lines += [f"\n注意：{n}" for n in report.notes]
    return "\n".join(lines)


def _run_check(args: argparse.Namespace) -> int:
    text = _read(args.file)
    if args.jsonl:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                report = check(item["text"]).to_dict()
            except (ValueError, KeyError, TypeError) as exc:
                print(f"line {n}: needs a JSON object with \"text\": {exc}", file=sys.stderr)
                return 2
            print(json.dumps({"id": item.get("id"), **report}, ensure_ascii=False))
        return 0
    report = check(text)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    if args.cv:
        from .training import run  # needs the train extra (scikit-learn)

        print(run.evaluate(Path(args.cases), by_source=not args.no_sources))
        return 0
    result = evaluate_file(Path(args.cases))
    print(format_table(result, misses=args.misses))
    return 0


def _run_train(args: argparse.Namespace) -> int:
    from .training import run  # needs the train extra (scikit-learn)

    print(run.train(Path(args.dev), Path(args.out) if args.out else run.MODEL_PATH))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fanzha", description="转账前，查一查：检查聊天记录里的诈骗特征")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check a text (a file, or - for standard input)")
    c.add_argument("file", nargs="?", default="-")
    fmt = c.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one report as JSON")
    fmt.add_argument("--jsonl", action="store_true", help='input lines {"id", "text"}; one report per line')
    e = sub.add_parser("eval", help="recall, false-warning rate and category accuracy on labelled cases")
    e.add_argument("cases")
    e.add_argument("--misses", type=int, default=0, help="list up to N misses and false warnings")
    e.add_argument("--cv", action="store_true",
                   help="5-fold cross-validation of rules and scorer on CASES plus the project's examples")
    e.add_argument("--no-sources", action="store_true", help="with --cv: skip the leave-one-source-out table")
    t = sub.add_parser("train", help="retrain the learned scorer (py/fanzha/model.bin); needs the train extra")
    t.add_argument("dev", nargs="?", default="../shared/eval/dev.jsonl", help="the public labelled rows")
    t.add_argument("--out", help="where to write the model file (default: beside fanzha/model.py)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    commands = {"check": _run_check, "eval": _run_eval, "train": _run_train}
    return commands[args.command](args)
