"""The browser build's speed-ups, installed once by ``install()`` before the engine's modules load.

Each one patches code that is not ours, which is why they are all here, named, and done once:
- regexes: ``re._compiler.compile`` serves the patterns compiled at build time under Pyodide
  (``fanzha.precompiled``): the engine's modules compile hundreds of regexes when imported;
- jieba's HMM emission table: a lazy stand-in for ``jieba.finalseg.prob_emit``, put in ``sys.modules``
  before jieba is imported, and ``jieba.finalseg.cut`` wrapped to load the characters a sentence needs;
- jieba's prefix dictionary: ``get_DAG`` and ``add_word`` of jieba's tokenizer load a first character's
  words on first use instead of parsing dict.txt (``fanzha.jieba_data``).
Segmentation and matching are the same as without them (tests and the build's check under Pyodide compare).
In CPython none of the shipped files exists, and each install does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Installed(NamedTuple):
    """Which speed-ups this process runs with."""

    regexes: bool
    emission: bool
    prefix_dict: bool


INSTALLED: Installed | None = None


def install() -> Installed:
    """Install every speed-up whose file ships beside the engine; once per process."""
    global INSTALLED
    if INSTALLED is None:
        from . import jieba_data, precompiled

        regexes = precompiled.install_shipped()
        ensure = jieba_data.install_lazy_emission()
        import jieba  # only now: finalseg imports prob_emit, which must be the lazy table

        if ensure is not None:
            cut = jieba.finalseg.cut

            def cut_ensured(sentence: str) -> Iterable[str]:
                ensure(sentence)
                return cut(sentence)

            jieba.finalseg.cut = cut_ensured  # jieba looks it up on the module at each call
        INSTALLED = Installed(regexes, ensure is not None, jieba_data.use_prebuilt_dictionary())
    return INSTALLED
