"""Regexes compiled at build time for the browser's start-up: .pyc files, but for regexes.

Python compiles a regex in Python code (re._parser, re._compiler). The rules' patterns, the trie of
every signal word and the modules' own regexes cost a phone about half a second at each start. The
browser build runs the start-up once under Pyodide's own Python, records the arguments re's compiler
handed to ``_sre.compile`` for each pattern, and ships that table in the engine archive as
``fanzha/regexes.bin``. Here, each pattern in the table goes straight to ``_sre.compile``: the same
compiled pattern, without parsing. A pattern not in the table, or another Python (CPython has no
table), compiles as usual.

Table layout (``record`` writes it, in build.py's start-up run): marshal of ``(key, [(pattern, flags, *args)])``,
where ``key`` is ``table_key()`` of the Python that recorded it and ``args`` follow the pattern in
the ``_sre.compile`` call.
"""

from __future__ import annotations

import _sre
import marshal
import os
import sys
from collections.abc import Callable
from re import _compiler
from typing import Any

TABLE_FILE = "regexes.bin"
hits = 0  # patterns served from the table so far (the build checks the table was used)


def table_key() -> tuple[str, int, int]:
    """The table is only valid for the Python and regex engine that recorded it."""
    return (sys.version, _sre.MAGIC, _sre.CODESIZE)


def record() -> Callable[[], bytes]:
    """Record each pattern compiled from now on (build time). Call the result to stop and get the table."""
    entries: dict[tuple[Any, int], tuple] = {}
    calls: list[tuple] = []
    compile_, real_sre = _compiler.compile, _compiler._sre

    class Spy:  # what re's compiler sees as _sre while recording: keeps the compile call's arguments
        def __getattr__(self, name: str) -> Any:
            return getattr(real_sre, name)

        @staticmethod
        def compile(pattern: Any, flags: int, code: list[int], groups: int, groupindex: Any, indexgroup: Any) -> Any:
            # Plain types only: opcodes and flags are int subclasses, which marshal refuses.
            plain = (int(flags), [int(op) for op in code], int(groups), dict(groupindex), tuple(indexgroup))
            calls.append(plain)
            return real_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)

    def compile_recording(p: Any, flags: int = 0) -> Any:
        calls.clear()
        _compiler._sre = Spy()
        try:
            compiled = compile_(p, flags)
        finally:
            _compiler._sre = real_sre
        if type(p) in (str, bytes) and type(flags) is int and len(calls) == 1:
            entries[(p, flags)] = calls[0]
        return compiled

    def stop() -> bytes:
        _compiler.compile = compile_
        return marshal.dumps((table_key(), [(p, f, *args) for (p, f), args in entries.items()]))

    _compiler.compile = compile_recording
    return stop


def install(data: bytes) -> bool:
    """Serve the patterns in ``data`` precompiled from now on. False if it is for another Python."""
    key, entries = marshal.loads(data)
    if tuple(key) != table_key():
        return False
    table: dict[tuple[Any, int], tuple] = {(pattern, flags): tuple(args) for pattern, flags, *args in entries}
    compile_ = _compiler.compile

    def compile_precompiled(p: Any, flags: int = 0) -> Any:
        global hits
        args = table.get((p, flags)) if isinstance(p, (str, bytes)) else None
        if args is None:
            return compile_(p, flags)
        hits += 1
        return _sre.compile(p, *args)

    _compiler.compile = compile_precompiled  # what re.compile, re.match, re.sub… call on a cache miss
    return True


def install_shipped() -> bool:
    """Install the table shipped beside this module (the browser build); False where there is none."""
    path = os.path.join(os.path.dirname(__file__), TABLE_FILE)
    try:
        data = __spec__.loader.get_data(path)  # a member of the engine's zip in the browser
    except OSError:
        return False
    return install(data)

