"""Regexes precompiled at build time (fanzha.precompiled) give the very reports a normal compile gives.

Each run is a fresh interpreter: installing a table changes the process's re module for good."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PY = Path(__file__).absolute().parents[2] / "py"
TEXTS = [
    "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。",
    "客服：您的订单有质量问题，可以退款，请把验证码发给我，再打开屏幕共享。",
    "下周三前把差旅报销单交到财务室，发票抬头写单位全称。",
    "ｖ信 加我 zfb 转 账 验证码 发我 http://1.2.3.4/a.apk",
]

# Loads fanzha/precompiled.py on its own (importing fanzha would compile its regexes first), then
# records, installs or does neither; then checks the texts and prints the reports and the hit count.
RUN = """
import importlib.util, json, sys
sys.path.insert(0, {py!r})
spec = importlib.util.spec_from_file_location("standalone", {py!r} + "/fanzha/precompiled.py")
pc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pc)
mode = {mode!r}
if mode == "record":
    stop = pc.record()
elif mode == "install":
    assert pc.install(open({table!r}, "rb").read())
import fanzha
reports = [fanzha.check(t).to_dict() for t in {texts!r}]
if mode == "record":
    open({table!r}, "wb").write(stop())
print(json.dumps({{"reports": reports, "hits": pc.hits}}, ensure_ascii=False))
"""


def run(mode: str, table: Path) -> dict:
    code = RUN.format(py=str(PY), mode=mode, table=str(table), texts=TEXTS)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_precompiled_regexes_give_the_same_reports(tmp_path: Path) -> None:
    table = tmp_path / "regexes.bin"
    plain = run("none", table)
    recorded = run("record", table)
    served = run("install", table)
    assert plain["reports"] == recorded["reports"] == served["reports"]
    assert plain["reports"][0]["verdict"] == "high" and plain["reports"][2]["verdict"] == "none"
    assert served["hits"] > 100, "the rules' patterns and the modules' own should come from the table"


def test_a_table_from_another_python_is_ignored(tmp_path: Path) -> None:
    import marshal

    from fanzha import precompiled

    other = marshal.dumps((("2.7.18", 0, 4), [("abc", 0, 0, [], 0, {}, ())]))
    assert precompiled.install(other) is False
