"""The command line, run as users run it (``python -m fanzha``) on files in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fanzha import cli

from .chats import LEADER_CHAT as WECHAT_LEADER_CHAT
from .chats import REIMBURSEMENT_CHAT

PY = Path(__file__).resolve().parents[2] / "py"
LEADER_CHAT = (
    "对方：小李，我是刘局长，这是我的新微信号。\n"
    "对方：我在开会不方便接电话，局长交代的事你帮我办一下。\n"
    "对方：你先帮我转8万到这个账户，户名张建国，账号6222021001234567890，开户行中国农业银行深圳分行。\n"
    "对方：局长说了越快越好，局长在等，别跟别人说，局长很急。\n"
)


def fanzha(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PY), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-m", "fanzha", *args], cwd=cwd, input=stdin, capture_output=True,
                         env=env, timeout=120)
    return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode("utf-8"),
                                       out.stderr.decode("utf-8"))


def test_json_jsonl_and_the_report_on_standard_input(tmp_path: Path) -> None:
    one = fanzha("check", "--json", "-", cwd=tmp_path, stdin=WECHAT_LEADER_CHAT.encode())
    assert json.loads(one.stdout)["verdict"] == "high"
    lines = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                      for i, t in (("a", WECHAT_LEADER_CHAT), ("b", REIMBURSEMENT_CHAT)))
    batch = fanzha("check", "--jsonl", "-", cwd=tmp_path, stdin=lines.encode())
    out = [json.loads(x) for x in batch.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["verdict"] == "high" and out[1]["verdict"] in ("none", "low")
    human = fanzha("check", cwd=tmp_path, stdin=WECHAT_LEADER_CHAT.encode())
    assert "很可能是诈骗" in human.stdout


def test_missing_file(tmp_path: Path) -> None:
    run = fanzha("check", "nope.txt", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip() == "fanzha: 找不到文件：nope.txt / file not found: nope.txt"


def test_a_directory(tmp_path: Path) -> None:
    (tmp_path / "chats").mkdir()
    run = fanzha("check", "chats", cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "文件夹" in run.stderr and "is a directory" in run.stderr


def test_a_missing_eval_file(tmp_path: Path) -> None:
    run = fanzha("eval", "nope.jsonl", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "fanzha: 找不到文件：nope.jsonl / file not found: nope.jsonl"


def test_a_bad_jsonl_line(tmp_path: Path) -> None:
    (tmp_path / "cases.jsonl").write_text('{"id": 1, "text": "你好"}\n{"id": 2}\n', encoding="utf-8")
    run = fanzha("check", "--jsonl", "cases.jsonl", cwd=tmp_path)
    assert run.returncode == 2
    assert [json.loads(line)["id"] for line in run.stdout.splitlines()] == [1]
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "第 2 行" in run.stderr and "line 2" in run.stderr


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_files_saved_by_chinese_windows_tools_are_read(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "chat.txt").write_bytes(LEADER_CHAT.encode(encoding))
    run = fanzha("check", "chat.txt", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.startswith("结论：很可能是诈骗")
    assert "户名：张建国" in run.stdout


def test_a_gbk_file_gives_the_same_report_as_utf8(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes(LEADER_CHAT.encode("gbk"))
    (tmp_path / "utf8.txt").write_bytes(LEADER_CHAT.encode("utf-8"))
    gbk = fanzha("check", "--json", "gbk.txt", cwd=tmp_path)
    utf8 = fanzha("check", "--json", "utf8.txt", cwd=tmp_path)
    assert json.loads(gbk.stdout) == json.loads(utf8.stdout)
    assert json.loads(gbk.stdout)["verdict"] == "high"


def test_gbk_on_standard_input(tmp_path: Path) -> None:
    run = fanzha("check", "-", cwd=tmp_path, stdin=LEADER_CHAT.encode("gbk"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("结论：很可能是诈骗")


def test_bytes_that_are_no_text(tmp_path: Path) -> None:
    (tmp_path / "photo.bin").write_bytes(b"\x81\x30\x81" * 20)  # a cut-off GB18030 four-byte sequence
    run = fanzha("check", "photo.bin", cwd=tmp_path)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "UTF-8" in run.stderr


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head")
def test_a_reader_that_stops_early(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": LEADER_CHAT}, ensure_ascii=False) for i in range(60)]
    (tmp_path / "big.jsonl").write_text("\n".join(lines), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PY), os.environ.get("PYTHONPATH", "")])}
    command = f"set -o pipefail; {sys.executable} -m fanzha check --jsonl big.jsonl | head -c 10"
    run = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, env=env, timeout=300)
    assert len(run.stdout) == 10
    assert b"Traceback" not in run.stderr and b"Error" not in run.stderr, run.stderr.decode()
    assert run.returncode == 0


def test_each_evidence_text_is_shown_once_in_order(tmp_path: Path) -> None:
    (tmp_path / "chat.txt").write_text(LEADER_CHAT, encoding="utf-8")
    run = fanzha("check", "chat.txt", cwd=tmp_path)
    evidence_lines = [line for line in run.stdout.splitlines() if line.strip().startswith("依据：")]
    assert evidence_lines
    for line in evidence_lines:
        texts = [t.strip("「」") for t in line.strip().removeprefix("依据：").split("、")]
        assert len(texts) == len(set(texts)), line
    assert any("「局长」" in line for line in evidence_lines)


def test_evidence_in_order_of_position() -> None:
    from fanzha.report import Evidence

    evidence = [Evidence(9, 11, "局长"), Evidence(0, 2, "领导"), Evidence(3, 5, "局长"), Evidence(6, 8, "转账")]
    assert cli._evidence(evidence) == ["领导", "局长", "转账"]


def test_entities_are_labelled_in_chinese(tmp_path: Path) -> None:
    text = LEADER_CHAT + "对方：客服电话 400-820-8820，下载“安心办”App，链接 http://1.2.3.4/A.apk 加V信 abc_888\n"
    (tmp_path / "chat.txt").write_text(text, encoding="utf-8")
    run = fanzha("check", "chat.txt", cwd=tmp_path)
    shown = run.stdout.split("记下这些信息：\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert shown == [
        "  账号：6222021001234567890",
        "  户名：张建国",
        "  开户行：中国农业银行深圳分行",
        "  电话：400-820-8820",
        "  联系方式：微信:abc_888",
        "  链接：http://1.2.3.4/A.apk（安装包，千万别装）（网址是一串数字，很可疑）",
        "  App：安心办",
        "  金额：80,000 元",
    ]


def test_every_entity_list_has_a_label() -> None:
    import fanzha

    found = fanzha.check(LEADER_CHAT).entities
    lists = {key for key, value in found.items() if isinstance(value, list)}
    assert lists == set(cli.ENTITY_LABELS)
