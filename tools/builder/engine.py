"""What the worker loads: the engine archive (jieba slimmed, its prebuilt dictionaries, the engine, their
bytecode and the start-up's regexes, in one stored zip) and the rules bundle; and, for the page, the
rules data's labels (content/labels.js)."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

from fanzha import jieba_data, labels, precompiled
from fanzha.rulefiles import RuleError, compile_rules
from fanzha.rules import bundle_lexicon
from fanzha.segment import lexicon_counts

from .archives import read_tar_members, sha256_bytes, stored_zip
from .errors import BuildError
from .fetch import JIEBA_VERSION
from .paths import ROOT, RULES

# Never in the browser: fanzha.training needs scikit-learn (development time); the command line, its
# measurements and the labels (written into the page as content/labels.js) run in CPython only, and so does
# the rule files' compiler with its schema check (the page loads the bundle build.py compiled). About
# 100 kB less for every first visit.
DEV_ONLY = (
    "training", "cli.py", "evaluation.py", "labels.py", "__main__.py", "rulefiles.py", "schema_check.py",
)
# jieba modules the engine imports; analyse/, posseg/ and lac_small/ are never imported.
JIEBA_KEEP = ("jieba/__init__.py", "jieba/_compat.py", "jieba/dict.txt", "jieba/finalseg/")
# finalseg/*.p are pickles read only on Jython; CPython and Pyodide import the prob_*.py modules.
JIEBA_DROP_SUFFIXES = (".p",)
# finalseg's emission table: the archive ships it as fanzha.jieba_data.build_emission's file instead.
JIEBA_EMISSION = "jieba/finalseg/prob_emit.py"
# The page's module of the category labels and verdict words (fanzha.labels), in dist/.
LABELS_MODULE = "content/labels.js"
# Where the worker writes the engine archive and puts it on sys.path (and the file names in its .pyc).
ENGINE_MOUNT = "/lib/fanzha-engine.zip"


def compile_rules_bundle() -> bytes:
    try:
        bundle = compile_rules(RULES)
    except RuleError as e:
        raise BuildError(f"broken rule: {e}") from e
    # The page then adds the lexicon to jieba without segmenting each word (and loading the dictionary
    # of its characters) to suggest its count: its rules stage fell from about 170 ms to 50-75 ms.
    bundle["compiled"]["lexicon_counts"] = lexicon_counts(bundle_lexicon(bundle))
    return json.dumps(bundle, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def labels_module(note: str) -> str:
    """content/labels.js: what the page calls categories and verdicts, from the rules data."""
    try:
        return labels.page_module(labels.load_labels(RULES), note)
    except RuleError as e:
        raise BuildError(f"broken rule: {e}") from e


def is_kept_jieba_file(path: str) -> bool:
    return path.startswith(JIEBA_KEEP) and not path.endswith(JIEBA_DROP_SUFFIXES)


def jieba_sources(sdist: Path) -> dict[str, bytes]:
    """The slim jieba files, path in the package -> bytes."""
    prefix = f"jieba-{JIEBA_VERSION}/"
    members = read_tar_members(sdist, prefix)
    files = {path: data for path, data in members.items() if is_kept_jieba_file(path)}
    missing = [p for p in JIEBA_KEEP if not any(f.startswith(p) for f in files)]
    if missing:
        raise BuildError(f"jieba sdist lacks {missing}")
    return files


def emission_table(prob_emit_py: bytes) -> dict[str, dict[str, float]]:
    """jieba's finalseg/prob_emit.py is one literal, ``P = {...}``: read it without running it."""
    module = ast.parse(prob_emit_py)
    for node in module.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["P"]:
            return ast.literal_eval(node.value)
    raise BuildError(f"{JIEBA_EMISSION} has no `P = {{...}}`")


def jieba_data_files(jieba_files: dict[str, bytes]) -> dict[str, bytes]:
    """Takes jieba's dictionary and HMM emission table out of ``jieba_files`` and returns the engine's
    prebuilt forms of them, by their paths in the archive. Both load by character in the browser:
    - the prefix dictionary (fanzha.jieba_data.build_prefix_dict) in place of dict.txt: jieba never parses
      dict.txt (5 MB) in the browser;
    - the emission table (jieba_data.install_lazy_emission) in place of prob_emit: 0.2 MB gzip instead of
      0.4, and about 30 ms less to import.
    """
    prefix = jieba_data.build_prefix_dict(jieba_files.pop("jieba/dict.txt"))
    emission = jieba_data.build_emission(emission_table(jieba_files.pop(JIEBA_EMISSION)))
    return {f"jieba/{jieba_data.PREFIX_DICT_FILE}": prefix, f"fanzha/{jieba_data.EMISSION_FILE}": emission}


def engine_archive(jieba_files: dict[str, bytes], fanzha_files: dict[str, bytes], pyc: dict[str, bytes],
                   data_files: dict[str, bytes], regexes: bytes | None) -> tuple[str, bytes]:
    """jieba (slim), its prebuilt dictionaries, the engine and its precompiled regexes, as one zip.

    The worker downloads it while Python boots and puts it on sys.path: nothing to unpack or install.
    zipimport looks for bytecode beside the source (mod.pyc), not in __pycache__/. jieba ships bytecode
    only; the engine keeps its sources too, for readable tracebacks. The name carries the content hash,
    so no cache ever serves a stale one.
    """
    files = {**jieba_files, **data_files}
    for path, code in pyc.items():
        if path.startswith("jieba/"):
            del files[path]
        files[path[:-3] + ".pyc"] = code
    files.update(fanzha_files)
    if regexes is not None:  # the engine names (and reads) its regex table
        files[f"fanzha/{precompiled.TABLE_FILE}"] = regexes
    data = stored_zip(files)
    return f"engine.{sha256_bytes(data)[:12]}.zip", data


def project_meta() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]


def package_files(src: Path, arc_prefix: str, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        f"{arc_prefix}/{p.relative_to(src).as_posix()}": p.read_bytes()
        for p in sorted(src.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        and p.relative_to(src).parts[0] not in skip
    }


def engine_path(rel: str) -> str:
    """Where a file of the engine archive is in Pyodide; baked into the bytecode as its file name."""
    return f"{ENGINE_MOUNT}/{rel}"


def python_sources(files: dict[str, bytes]) -> dict[str, tuple[bytes, str]]:
    return {path: (data, engine_path(path)) for path, data in files.items() if path.endswith(".py")}
