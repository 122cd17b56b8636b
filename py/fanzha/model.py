"""Stage 4c: the learned scorer, a linear model over the character n-grams of the folded text.

Named rules say which pattern a text shows; this scorer says how much the text resembles the scam and
benign texts it was trained on, so it catches phrasings no rule names. It is trained at development time
(``fanzha.training``, scikit-learn) and scored here in plain Python, the same in CPython and Pyodide.

Features are binary: each n-gram of the vocabulary present in the text counts once, weighted by its idf,
and the vector is scaled to unit length (TF-IDF with binary term frequency). Every number in the model
file is an integer over a power of two, so CPython and Pyodide compute the same sums bit for bit.

The model file (``model.bin``, beside this module):
    b"FZM1", u32 header length, header JSON (categories, n-gram sizes, scales, biases, thresholds),
    the vocabulary as UTF-8 joined by NUL, then per n-gram its idf (u8) and scam weight (i8), then the
    indices (u32) of the n-grams the scheme model reads, and for each of them one weight (i8) per category.
"""

from __future__ import annotations

import json
import math
import operator
import os
import struct
from array import array
from collections.abc import Iterable
from typing import Any, NamedTuple

MAGIC = b"FZM1"
FORMAT = 2  # the layout below; fanzha.training.fit writes it, and a file of another layout is refused
MODEL_FILE = "model.bin"
SEPARATOR = "\0"  # between the vocabulary's n-grams, which may hold a line break but never a NUL
# Digits carry amounts, card numbers and codes: their shape matters, not their value.
_DIGITS = str.maketrans("0123456789", "0000000000")
EVIDENCE_NGRAMS = 8  # the n-grams shown as evidence: the strongest few, not every faint one
# Marks trimmed off an n-gram's ends before it is shown: "，我是" pushes the score, but the words are "我是".
EDGE_MARKS = " \n，。！？,.!?：:；;、“”\"'‘’（）()【】[]《》<>…~-—"
# Below this many characters (spaces aside) a text is too short to resemble anything: "你好" alone is a unit
# vector on one n-gram that many scam chats open with. The scorer then has no say, for or against.
MIN_CHARS = 12


class Resemblance(NamedTuple):
    """What the scorer makes of one text.

    ``logit`` is the model's log-odds of scam; ``probability`` its sigmoid, rounded for the report.
    ``pushed`` holds the n-grams of this text that pushed the score up most, with their share of the logit
    and their spans in the folded text.
    """

    logit: float
    probability: float
    pushed: list[tuple[str, float, list[tuple[int, int]]]]


def model_text(folded: str) -> str:
    """The text the model reads: the folded text with every digit as 0. Same length, so spans carry over."""
    return folded.translate(_DIGITS)


def has_enough(text: str) -> bool:
    """Is ``text`` long enough for the scorer to have a say?"""
    return len(text) - text.count(" ") - text.count("\n") >= MIN_CHARS


def gram_set(text: str, sizes: Iterable[int]) -> set[str]:
    """The distinct character n-grams of ``text`` of the given sizes: the scorer's features, at check time
    and in training alike."""
    wanted = set(sizes)
    grams: set[str] = set()
    run: Iterable[str] = text  # the n-grams of size n in order, each made from one of size n - 1: C-level maps
    for n in range(1, max(wanted, default=0) + 1):
        if n > 1:
            run = list(map(operator.add, run, text[n - 1 :]))
        if n in wanted:
            grams.update(run)
    return grams


class Scorer:
    """A loaded model. ``resemblance`` scores a text; ``categories`` ranks the scam types it resembles."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != MAGIC:
            raise ValueError("not a fanzha model file")
        (size,) = struct.unpack_from("<I", data, 4)
        pos = 8 + size
        header: dict[str, Any] = json.loads(data[8:pos])
        if header.get("format") != FORMAT:
            raise ValueError(f"model file format {header.get('format')} is not {FORMAT}: python -m fanzha train")
        self.header = header
        self.categories: list[str] = header["categories"]
        self.sizes: tuple[int, ...] = tuple(header["ngram_sizes"])
        self.bias: float = header["bias"]
        self.cat_bias: list[float] = header["cat_bias"]
        self.thresholds: dict[str, float] = header["thresholds"]
        n, k, m = header["n"], len(self.categories), header["cat_n"]
        vocab_end = pos + header["vocab_bytes"]
        words = data[pos:vocab_end].decode("utf-8").split(SEPARATOR)
        idf, weight, cat_index, cat = array("B"), array("b"), array("I"), array("b")
        at = vocab_end
        for part, size in ((idf, n), (weight, n), (cat_index, 4 * m), (cat, m * k)):
            part.frombytes(data[at : at + size])
            at += size
        idf_scale, w_scale, c_scale = header["idf_scale"], header["weight_scale"], header["cat_scale"]
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        self.idf = [v / idf_scale for v in idf]
        self._idf_squared = [v * v for v in self.idf]
        self.weight = [v / w_scale for v in weight]
        # n-gram index -> its weight for each category (integers: divided by the scale as they are summed)
        self._cat_row = {i: tuple(cat[r * k : (r + 1) * k]) for r, i in enumerate(cat_index)}
        self._c_scale = c_scale

    def features(self, text: str) -> dict[int, float]:
        """The text's vocabulary n-grams (by index) and their values in the unit-length vector."""
        index = self.index
        found = [i for i in map(index.get, gram_set(text, self.sizes)) if i is not None]
        idf = self.idf
        ordered = sorted(found)  # a fixed order: the sums below come out the same everywhere
        norm = math.sqrt(sum(map(self._idf_squared.__getitem__, ordered))) or 1.0
        return {i: idf[i] / norm for i in ordered}

    def resemblance(self, text: str, x: dict[int, float] | None = None) -> Resemblance:
        """How much ``text`` (a model text) resembles the scams, and which of its n-grams say so.
        ``x``: its features, where the caller has them already."""
        x = self.features(text) if x is None else x
        weight = self.weight
        logit = self.bias + sum(map(operator.mul, x.values(), map(weight.__getitem__, x)))
        pushes = sorted(((v * weight[i], i) for i, v in x.items() if weight[i] > 0), reverse=True)
        words = self.words
        pushed = []
        shown: set[str] = set()
        for share, i in pushes:
            gram = words[i].strip(EDGE_MARKS)
            # One character, a run of digits or a phrase already shown explains nothing more.
            if len(gram) < 2 or not gram.strip("0") or gram in shown:
                continue
            shown.add(gram)
            pushed.append((gram, round(share, 4), _occurrences(text, gram)))
            if len(pushed) == EVIDENCE_NGRAMS:
                break
        return Resemblance(logit, round(_sigmoid(logit), 4), pushed)

    def categories_of(self, x: dict[int, float]) -> list[tuple[str, float]]:
        """The scam types a text (its ``features``) resembles, most likely first, as probabilities."""
        scale, rows = self._c_scale, self._cat_row
        present = [(v, row) for i, v in x.items() if (row := rows.get(i)) is not None]
        logits = list(self.cat_bias)
        if present:
            # One C-level sum per category over the text's n-grams, in their fixed order: the same in
            # CPython and Pyodide (a sum per n-gram and category, in Python, cost the worker 0.8 ms).
            values = [v for v, _ in present]
            columns = zip(*(row for _, row in present), strict=True)
            logits = [b + sum(map(operator.mul, values, col)) / scale for b, col in zip(logits, columns, strict=True)]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        ranked = sorted(zip(self.categories, exps, strict=True), key=lambda p: (-p[1], p[0]))
        return [(c, round(e / total, 4)) for c, e in ranked]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _occurrences(text: str, gram: str, most: int = 3) -> list[tuple[int, int]]:
    spans, at = [], text.find(gram)
    while at >= 0 and len(spans) < most:
        spans.append((at, at + len(gram)))
        at = text.find(gram, at + 1)
    return spans


_scorer: Scorer | None = None
_loaded = False


def default_scorer() -> Scorer | None:
    """The model shipped beside this module, loaded once; None where there is none (a rules-only build)."""
    global _scorer, _loaded
    if not _loaded:
        _loaded = True
        try:
            data = __spec__.loader.get_data(os.path.join(os.path.dirname(__file__), MODEL_FILE))  # type: ignore[name-defined]
        except OSError:
            return None
        _scorer = Scorer(data)
    return _scorer


def use(scorer: Scorer | None) -> None:
    """Make ``scorer`` the one checks use (None: rules only). For training and cross-validation."""
    global _scorer, _loaded
    _scorer, _loaded = scorer, True
