"""The development server for dist/ (`python build.py serve`; the browser tests and bench/browser.py use it
too): under a sub-path, with the page's Content-Security-Policy, and whether dist/ is older than its sources."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, ClassVar

from .paths import DIST, SOURCES

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
    "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


def newest_mtime(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        newest = max([newest, *(p.stat().st_mtime for p in files if "__pycache__" not in p.parts)])
    return newest


def is_dist_stale() -> bool:
    stamp = DIST / "asset-manifest.json"
    return not stamp.exists() or newest_mtime(p for p in SOURCES if p.exists()) > stamp.stat().st_mtime


def normalize_base(base: str) -> str:
    return "/" + base.strip("/") + "/" if base.strip("/") else "/"


def csp_for(frame_parents: list[str]) -> str:
    """The page's Content-Security-Policy, with the origins allowed to frame it added to 'self'."""
    return CSP.replace("frame-ancestors 'self'", " ".join(["frame-ancestors 'self'", *frame_parents]))


def embed_parents(root: Path) -> list[str]:
    """The embed_allowed_origins of a built config.json: the parents a deployment lets frame the page."""
    try:
        config = json.loads((root / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [o for o in config.get("embed_allowed_origins", []) if isinstance(o, str) and o.startswith("http")]


def make_handler(
    root: Path, base: str, quiet: bool = False, csp: str = CSP
) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the page fetches ~12 files, some large
        extensions_map: ClassVar[dict[str, str]] = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".wasm": "application/wasm",
            ".mjs": "text/javascript",
            ".js": "text/javascript",
            ".json": "application/json",
            ".whl": "application/zip",
            ".zip": "application/zip",
        }

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-cache")  # dev server: always revalidate
            super().end_headers()

        def _rebase(self) -> bool:
            """Map base + rest to /rest; answer other paths here. True when the caller should serve."""
            path = self.path.split("?", 1)[0]
            if path + "/" == base:
                self.send_response(301)
                self.send_header("Location", base)
                self.end_headers()
                return False
            if not self.path.startswith(base):
                self.send_error(404, f"this server serves only {base}")
                return False
            self.path = "/" + self.path[len(base) :]
            return True

        def do_GET(self) -> None:
            if self._rebase():
                super().do_GET()

        def do_HEAD(self) -> None:
            if self._rebase():
                super().do_HEAD()

        def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
            # sendfile: the kernel copies the file to the socket (socket.sendfile falls back to send for
            # what has no file descriptor). Copied through Python, the 20 MB of a first visit cost this
            # server CPU that the page's start-up, on the same machine, needs.
            self.connection.sendfile(source)

        def log_message(self, format: str, *args: object) -> None:
            if not quiet:
                super().log_message(format, *args)

    return Handler


def make_server(root: Path, port: int = 8000, base: str = "/", quiet: bool = False,
                frame_parents: list[str] | None = None) -> http.server.ThreadingHTTPServer:
    """A local server for root under base; port 0 picks a free port (tests use that). frame_parents: origins
    that may embed the page (frame-ancestors), besides the page's own."""
    handler = make_handler(root, normalize_base(base), quiet, csp_for(frame_parents or []))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(port: int, base: str, embed: bool = False) -> None:
    """Serves dist/ until Ctrl+C (build.py's main builds it first when stale)."""
    parents = embed_parents(DIST) if embed else []
    server = make_server(DIST, port, base, frame_parents=parents)
    if embed:
        print(f"frames allowed from: {' '.join(parents) or '(none: set embed_allowed_origins in config.json)'}")
    host, real_port = server.server_address[:2]
    print(f"serving dist/ at http://{host}:{real_port}{normalize_base(base)}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
