"""Pyodide's own Python, run under node at build time.

Bytecode and marshal data must come from the exact interpreter the page runs (Python 3.14 in Pyodide), not
from the CPython that runs the build. So the build boots the pinned Pyodide under node
(pyodide_driver.mjs), mounts a work folder at /work, and runs one of the Python scripts beside this module
there: compile_under_pyodide.py (sources to .pyc) or verify_under_pyodide.py (the smoke test of what ships,
the standard-library modules it imports, and the start-up's regexes).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import jieba

import fanzha

from .errors import BuildError
from .fetch import PYODIDE_PYTHON
from .paths import BUILDER

DRIVER = BUILDER / "pyodide_driver.mjs"
COMPILE_SCRIPT = BUILDER / "compile_under_pyodide.py"
VERIFY_SCRIPT = BUILDER / "verify_under_pyodide.py"

# Cut under Pyodide as CPython's jieba cuts them: names and rare words go through the HMM (finalseg).
CUT_TEXTS = (
    "王晓红说她表哥邓佳睿在鄂尔多斯开了家汽修厂，让我先垫付八万块",
    "刘局长：小王，这是我新微信，你先帮我转给合作方，越快越好。",
    "对方自称京东客服，说我的百万保障要关闭，否则每月扣费。",
)
# Texts the verify step checks: a scam first (it must warn), then ones that walk other code paths.
VERIFY_TEXTS = (
    "刘局长：我在开会不方便接电话，你先帮我转5万给合作方，账号6222021234567890123，越快越好。",
    "你好",
    "【某银行】您尾号1234的账户支出2000.00元。详情 http://1.2.3.4/a.apk 客服 13800138000",
    "ｖ信 加我 zfb 转 账 \u200b 验证码 发我 🙂 עברית",
    "x" * 60_000,
)
# Imported lazily on paths the verify run may not walk; kept in the trimmed stdlib all the same.
# tomllib: fanzha.rules reads rule files (TOML) only when compiling them, never at the page's start-up.
# hashlib: the worker checks its downloads with it where crypto.subtle is missing (plain http).
STDLIB_ALSO_IMPORT = (
    "linecache", "tokenize", "encodings.idna", "encodings.latin_1", "encodings.ascii", "tomllib", "hashlib",
)


def expected_cuts() -> dict[str, list[str]]:
    """CUT_TEXTS as CPython's jieba cuts them with the rules' lexicon, for the verify run to compare."""
    fanzha.active_rules()  # teaches jieba the lexicon, as load_rules does in the page
    return {text: jieba.lcut(text) for text in CUT_TEXTS}


def run_pyodide(index_dir: Path, work: Path, script: Path, job: dict, lock: Path | None = None,
                stdlib: Path | None = None) -> None:
    """Runs script (a file beside this module) under the Pyodide in index_dir, with work at /work."""
    (work / "out").mkdir(exist_ok=True)
    (work / "job.json").write_text(json.dumps(job, ensure_ascii=False), "utf-8")
    cmd = ["node", str(DRIVER), str(index_dir), str(work), str(script)]
    cmd += [str(lock) if lock else "", str(stdlib) if stdlib else ""]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        # Node prints the minified line of Pyodide a JS error passed through; keep the readable lines.
        lines = [line[:500] for line in result.stderr.splitlines()]
        raise BuildError("Pyodide under node failed:\n" + "\n".join(lines)[-3000:])
    if result.stdout.strip():
        print(result.stdout.rstrip(), flush=True)


def stdlib_path(rel: str) -> str:
    return f"/lib/python{PYODIDE_PYTHON.replace('.', '')}.zip/{rel}"


def compile_under_pyodide(index_dir: Path, sources: dict[str, tuple[bytes, str]],
                          strip_docstrings: bool = False) -> dict[str, bytes]:
    """sources: key -> (source bytes, file name baked in). Returns key -> .pyc bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "src").mkdir()
        (work / "pyc").mkdir()
        jobs = []
        for i, (_key, (data, dfile)) in enumerate(sorted(sources.items())):
            (work / "src" / f"{i}.py").write_bytes(data)
            jobs.append([f"/work/src/{i}.py", dfile, f"/work/pyc/{i}.pyc"])
        job: dict = {"compile": jobs, "strip_docstrings": strip_docstrings}
        run_pyodide(index_dir, work, COMPILE_SCRIPT, job)
        return {key: (work / "pyc" / f"{i}.pyc").read_bytes() for i, key in enumerate(sorted(sources))}


def verify_under_pyodide(out: Path, lock_name: str, rules: bytes, rules_name: str, job: dict,
                         stdlib: Path | None) -> dict:
    """Boots the built runtime under node and checks texts. Returns the stdlib files it imported (all,
    and those of start-up and a check), and with job["record_regexes"] the start-up's regex table."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / rules_name).write_bytes(rules)
        engine = Path(job["engine"]).name
        (work / engine).write_bytes((out / engine).read_bytes())
        run_pyodide(out / "pyodide", work, VERIFY_SCRIPT, job, out / "pyodide" / lock_name, stdlib)
        report = json.loads((work / "out" / "verify.json").read_text("utf-8"))
        table = work / "out" / "regexes.bin"
        report["regexes"] = table.read_bytes() if table.exists() else None
    # Packages above a used module come along: their __init__ ran first, so they are in sys.modules.
    return report
