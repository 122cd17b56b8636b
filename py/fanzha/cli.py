"""Command line: ``python -m fanzha check [FILE|-] [--json|--jsonl]`` and ``python -m fanzha eval CASES``.

Input files may be UTF-8 (with or without a BOM), UTF-16 with a BOM, or GBK/GB18030, as Windows
tools in Chinese save them. Bad input gives one line on stderr, in Chinese and English, and exit code 2;
a reader that stops early (``| head``) ends the output quietly, with exit code 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import RULES_DIR, check, labels
from .evaluation import evaluate_file, format_table
from .report import Evidence, Report

# Every sentence of the command line's own, in one place; its verdicts are the page's (fanzha.labels).
ERRORS = {
    "missing": "找不到文件：{path} / file not found: {path}",
    "directory": "这是文件夹，不是文件：{path} / is a directory, not a file: {path}",
    "denied": "没有权限读取：{path} / permission denied: {path}",
    "unreadable": "读不了：{path}（{reason}） / cannot read {path}: {reason}",
    "encoding": "认不出文件的编码，请另存为 UTF-8 或 GBK：{path} / cannot decode {path}: not UTF-8, UTF-16 or GB18030",
    "bad_line": '第 {n} 行应是带 "text" 的 JSON 对象：{reason} / line {n}: needs a JSON object with "text": {reason}',
}
# The other side's details, labelled in Chinese, in the order shown.
ENTITY_LABELS = {
    "accounts": "账号",
    "names": "户名",
    "banks": "开户行",
    "phones": "电话",
    "contacts": "联系方式",
    "urls": "链接",
    "apps": "App",
    "amounts": "金额",
}
URL_FLAGS = {"apk": "安装包，千万别装", "ip_host": "网址是一串数字，很可疑"}


class InputError(Exception):
    """Input the command cannot use; the message is the one line to show."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(ERRORS[key].format(**fields))


def decode(data: bytes, path: str) -> str:
    """Text from bytes: UTF-16 if it has a BOM, else UTF-8 (a BOM dropped), else GB18030 (GBK's superset).
    Line ends become \\n, as Python's text mode makes them."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError("encoding", path=path) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read(source: str) -> str:
    if source == "-":
        return decode(sys.stdin.buffer.read(), "-")
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("missing", path=source) from None
    except IsADirectoryError:
        raise InputError("directory", path=source) from None
    except PermissionError:
        raise InputError("denied", path=source) from None
    except OSError as exc:
        raise InputError("unreadable", path=source, reason=exc.strerror or exc) from None
    return decode(data, source)


def _evidence(evidence: list[Evidence]) -> list[str]:
    """Each evidence text once, in order of where it first shows."""
    return list(dict.fromkeys(e.text for e in sorted(evidence, key=lambda e: (e.start, e.end))))


def _amount(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") + " 元"


def entity_rows(entities: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """[(Chinese label, values as shown)] for the kinds of entity found."""
    rows = []
    for key, label in ENTITY_LABELS.items():
        values = entities.get(key) or []
        if key == "accounts":  # holders are listed in accounts as 户名:… too; they have their own row
            values = [v for v in values if not (str(v).startswith("户名:") and entities.get("names"))]
        elif key == "amounts":
            values = [_amount(v) for v in values]
        elif key == "urls":
            flags = entities.get("url_flags") or {}
            values = [u + "".join(f"（{URL_FLAGS.get(f, f)}）" for f in flags.get(u, [])) for u in values]
        if values:
            rows.append((label, [str(v) for v in values]))
    return rows


def format_report(report: Report) -> str:
    """The human-readable report, in Chinese."""
    verdict = labels.load_labels(RULES_DIR)["verdicts"][report.verdict]
    lines = [f"结论：{verdict['text']}（{report.verdict}，{report.score} 分）"]
    if verdict["note"]:
        lines.append(verdict["note"])
    for f in report.findings:
        lines.append(f"\n● {f.title} [{f.category}, {f.severity}]")
        lines.append(f"  {f.explanation}")
        if f.evidence:
            lines.append("  依据：" + "、".join(f"「{text}」" for text in _evidence(f.evidence)))
    if report.advice:
        lines.append("\n现在该做什么：")
        lines += [f"  {i}. {a}" for i, a in enumerate(report.advice, 1)]
    rows = entity_rows(report.entities)
    if rows:
        lines.append("\n记下这些信息：")
        lines += [f"  {label}：{'；'.join(values)}" for label, values in rows]
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
                raise InputError("bad_line", n=n, reason=exc) from None
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


def _os_error(exc: OSError) -> InputError:
    path = str(exc.filename)
    if isinstance(exc, FileNotFoundError):
        return InputError("missing", path=path)
    if isinstance(exc, IsADirectoryError):
        return InputError("directory", path=path)
    if isinstance(exc, PermissionError):
        return InputError("denied", path=path)
    return InputError("unreadable", path=path, reason=exc.strerror or exc)


def _stdout_to_devnull() -> None:
    """After the reader has gone: what is still buffered must not fail again when Python exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
    try:
        code = commands[args.command](args)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then an error we can catch
        return code
    except BrokenPipeError:
        _stdout_to_devnull()
        return 0
    except InputError as exc:
        print(f"fanzha: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # eval and train read their own files
        if exc.filename is None:
            raise
        print(f"fanzha: {_os_error(exc)}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:  # eval and train read theirs as UTF-8
        path = getattr(args, "cases", None) or getattr(args, "dev", "")
        print(f"fanzha: {InputError('encoding', path=path)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
