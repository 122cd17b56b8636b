"""Compiles sources to .pyc with Pyodide's own Python (build time, under node; see pyodide.py).

Run by pyodide_driver.mjs with the work folder at /work: job.json lists [source, file name baked in,
.pyc to write]; strip_docstrings drops docstrings (the standard library's, which nothing on the page reads).
"""

import ast
import importlib.util
import json
import sys
import warnings
from importlib._bootstrap_external import _code_to_hash_pyc


def without_docstrings(tree):
    # Like -OO for docstrings only (asserts stay): the bytecode is smaller, line numbers unchanged.
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            value = getattr(first, "value", None)
            if isinstance(first, ast.Expr) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                node.body = body[1:] or [ast.Pass(lineno=first.lineno, col_offset=first.col_offset)]
    return tree


job = json.load(open("/work/job.json"))
report = {"cache_tag": sys.implementation.cache_tag, "magic": importlib.util.MAGIC_NUMBER.hex()}
for src, dfile, dst in job["compile"]:
    source = open(src, "rb").read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # jieba 0.42.1's non-raw regex literals
        tree = ast.parse(source, dfile)
        if job.get("strip_docstrings"):
            tree = without_docstrings(tree)
        code = compile(tree, dfile, "exec", dont_inherit=True, optimize=0)
    # Unchecked hash: valid whatever the unpacked file's mtime is, and no source read at import.
    with open(dst, "wb") as f:
        f.write(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))
json.dump(report, open("/work/out/compile.json", "w"))
