"""Reading the downloaded archives, and writing zips byte for byte the same from the same files."""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from collections.abc import Collection
from pathlib import Path

# Zips get this timestamp so the same sources give byte-identical files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_tar_members(tgz: Path, prefix: str, only: Collection[str] | None = None) -> dict[str, bytes]:
    """Regular files under prefix, keyed by their path below it; only: just these paths (below prefix),
    so a big package (onnxruntime-web unpacks to 145 MB) is not read whole for three of its files."""
    out: dict[str, bytes] = {}
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            name = member.name[len(prefix) :]
            if member.isfile() and member.name.startswith(prefix) and (only is None or name in only):
                f = tar.extractfile(member)
                assert f is not None
                out[name] = f.read()
    return out


def stored_zip(entries: dict[str, bytes], folders: bool = False) -> bytes:
    """A reproducible zip of stored (not deflated) members: the server's gzip compresses it on the wire,
    and Python reads members without inflating them. folders: add an entry for each directory too."""
    names = set(entries)
    if folders:
        names |= {name.rsplit("/", 1)[0] + "/" for name in entries if "/" in name}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.create_system = 3  # unix, so the modes below are honoured everywhere
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            zf.writestr(info, entries.get(name, b""), compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()
