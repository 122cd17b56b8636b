"""Fit the scorer with scikit-learn and write it as the model file ``fanzha.model`` reads.

The features are made by the runtime's own code (``fanzha.model.gram_set`` over ``model_text``), and the
weights are quantized before anything is measured: cross-validation scores exactly what ships.
"""

from __future__ import annotations

import json
import math
import struct
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_selection import chi2
from sklearn.linear_model import LogisticRegression

from fanzha import normalize
from fanzha.model import FORMAT, MAGIC, SEPARATOR, gram_set, model_text

from .data import Row

IDF_SCALE = 32  # idf to 1/32, in a byte: exact in binary floating point, like every scale here
IDF_MAX = 255  # the largest idf a byte holds, at that scale


@dataclass(frozen=True)
class Settings:
    """What the numbers chose (see docs/model.md); ``python -m fanzha eval --cv`` measures any of them."""

    sizes: tuple[int, ...] = (1, 2, 3)
    vocabulary: int = 30_000  # n-grams kept, by chi-squared against the 12 labels (see docs/model.md)
    cat_vocabulary: int = 6_000  # the first of them that also name a scheme: keeps the file small
    min_df: int = 2
    c: float = 4.0  # inverse regularisation of the scam/benign model
    cat_c: float = 4.0


def model_texts(texts: Sequence[str]) -> list[str]:
    return [model_text(normalize.fold(t).text) for t in texts]


def _grams(texts: Sequence[str], sizes: tuple[int, ...]) -> list[set[str]]:
    return [gram_set(t, sizes) for t in texts]


def _vocabulary(grams: list[set[str]], labels: list[str], settings: Settings) -> tuple[list[str], list[int], set[str]]:
    """The n-grams kept, in a fixed order, their document frequencies, and the best ``cat_vocabulary`` of
    them, which the scheme model reads."""
    df = Counter(g for s in grams for g in s)
    candidates = sorted(g for g, n in df.items() if n >= settings.min_df and SEPARATOR not in g)
    if len(candidates) > settings.vocabulary:
        index = {g: i for i, g in enumerate(candidates)}
        x = _binary(grams, index)
        score, _ = chi2(x, labels)
        score = np.nan_to_num(score)
        # Highest score first; ties by the n-gram itself, so the choice never depends on a sort's whims.
        order = sorted(range(len(candidates)), key=lambda i: (-score[i], candidates[i]))[: settings.vocabulary]
        best = {candidates[i] for i in order[: settings.cat_vocabulary]}
        candidates = sorted(candidates[i] for i in order)
    else:
        best = set(candidates)
    return candidates, [df[g] for g in candidates], best


def _binary(grams: list[set[str]], index: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for r, s in enumerate(grams):
        found = sorted(index[g] for g in s if g in index)
        rows += [r] * len(found)
        cols += found
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(grams), len(index)))


def _tfidf(binary: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    x = binary.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ x


def _scale_for(values: np.ndarray, limit: int) -> int:
    """The largest power of two that keeps every value within the integer type's range."""
    top = float(np.max(np.abs(values))) or 1.0
    return 2 ** math.floor(math.log2(limit / top))


def fit(rows: Sequence[Row], settings: Settings | None = None, thresholds: dict[str, float] | None = None) -> bytes:
    """Train on ``rows`` and return the model file."""
    settings = settings or Settings()
    texts = model_texts([r.text for r in rows])
    grams = _grams(texts, settings.sizes)
    labels = [r.category or "scam" for r in rows]
    vocab, df, cat_vocab = _vocabulary(grams, labels, settings)
    cat_index = [i for i, g in enumerate(vocab) if g in cat_vocab]
    n_docs = len(rows)
    idf_q = np.array([round((math.log((1 + n_docs) / (1 + d)) + 1) * IDF_SCALE) for d in df], dtype=np.int64)
    # A byte holds idf up to 255/32 (7.97): past about 3,190 rows the rarest n-grams (in min_df documents)
    # would need more. They saturate instead, in training exactly as in the file, so what is scored is what
    # ships; below that size this changes nothing.
    idf_q = np.minimum(idf_q, IDF_MAX)
    x = _tfidf(_binary(grams, {g: i for i, g in enumerate(vocab)}), idf_q / IDF_SCALE)

    y = np.array([r.is_scam for r in rows], dtype=int)
    scam_model = LogisticRegression(C=settings.c, class_weight="balanced", max_iter=5000, tol=1e-6)
    scam_model.fit(x, y)
    w = scam_model.coef_[0]

    typed = [i for i, r in enumerate(rows) if r.is_scam and r.category]
    categories = sorted({rows[i].category for i in typed})
    cat_model = LogisticRegression(C=settings.cat_c, class_weight="balanced", max_iter=5000, tol=1e-6)
    cat_model.fit(x[typed][:, cat_index], [rows[i].category for i in typed])
    assert list(cat_model.classes_) == categories
    cw = cat_model.coef_.T  # scheme n-grams x categories

    # Bytes, not 16-bit words: the first visit's budget is tight, and cross-validation (which scores this very
    # quantized file) lost nothing measurable.
    w_scale, c_scale = _scale_for(w, 126), _scale_for(cw, 126)
    header = {
        "format": FORMAT,
        "categories": categories,
        "ngram_sizes": list(settings.sizes),
        "n": len(vocab),
        "cat_n": len(cat_index),
        "vocab_bytes": len(SEPARATOR.join(vocab).encode("utf-8")),
        "idf_scale": IDF_SCALE,
        "weight_scale": w_scale,
        "cat_scale": c_scale,
        "bias": float(scam_model.intercept_[0]),
        "cat_bias": [float(b) for b in cat_model.intercept_],
        "thresholds": thresholds or {},
        "trained_on": {"rows": n_docs, "scam": int(y.sum())},
    }
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body = b"".join([
        SEPARATOR.join(vocab).encode("utf-8"),
        array("B", idf_q.tolist()).tobytes(),
        array("b", np.rint(w * w_scale).astype(int).tolist()).tobytes(),
        array("I", cat_index).tobytes(),
        array("b", np.rint(cw * c_scale).astype(int).ravel().tolist()).tobytes(),
    ])
    return MAGIC + struct.pack("<I", len(head)) + head + body

