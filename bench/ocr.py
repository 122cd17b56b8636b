"""Benchmark screenshot reading (issue 14) in headless Chromium against dist/ served locally. Not a test:
the figures depend on the machine. Prints a table and writes JSON.

    python build.py build && python bench/ocr.py [--styles all] [--matrix 3:png,2:jpeg] [--speed-runs 5]

The screenshots are drawn by tests/screens (24 chats of our own, scam and benign, in WeChat light and dark,
QQ and SMS styles; long chats as 2-3 overlapping scrolling screenshots), at each scale:format of --matrix.
Each chat's shots are read by the page's own OCR worker (web/ui/image.js readImages, in the page), then:
- character accuracy: 1 - edit distance / length, over the messages' text (NFKC, no whitespace: "？"/"?"
  and a lost space are not errors), times and notices included;
- speaker: of the chat's them/me lines, the share read with the right side (a line counts as read when an
  item's text is at least 0.8 similar);
- verdict and top category of fanzha.check on the read transcript against the same on the true one (the
  title's name as the other side's, as the reader writes it);
- speed: one 1170x2532 screenshot (scale 3), tools already loaded, median of --speed-runs;
- memory: the renderer's peak RSS (VmHWM, /proc), where the page, the engine's worker, the service worker
  and the OCR worker all run: over the whole run, and in --memory-runs fresh browsers that each do what a
  first-time user does (open the page, wait until the service worker is in control, read one 1170x2532
  screenshot: the tools' download, start and first read, then the chat's other screenshots);
- download: the OCR files' gzip bytes (asset-manifest.json), fetched on first use only.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import json
import os
import statistics
import sys
import time
import unicodedata
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from browser import ARGS, CHROMIUM, Server, load_build  # noqa: E402

from tests.screens import render as screens  # noqa: E402

READ = """async ([data, mime]) => {
  const { readImages } = await import('./ui/image.js');
  const blobs = data.map((d) => new Blob([Uint8Array.from(atob(d), (c) => c.charCodeAt(0))], { type: mime }));
  const started = performance.now();
  const result = await readImages(blobs, () => {});
  return { transcript: result.transcript, items: result.items, ms: performance.now() - started };
}"""
SIMILAR = 0.8


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def char_accuracy(truth_lines: list[dict], items: list[dict]) -> tuple[int, int]:
    """(errors, characters) over the chat's text, line by line in order."""
    truth = norm("".join(line["text"] for line in truth_lines))
    read = norm("".join(it["text"] for it in items if it["kind"] != "title"))
    return edit_distance(truth, read), len(truth)


def speakers(truth_lines: list[dict], items: list[dict]) -> tuple[int, int]:
    """(right, total) over the them/me lines."""
    side = {"them": "对方", "me": "我"}
    messages = [it for it in items if it["kind"] == "message"]
    right = total = 0
    for line in truth_lines:
        if line["side"] not in side:
            continue
        total += 1
        text = norm(line["text"])
        best = max(messages, key=lambda it: difflib.SequenceMatcher(None, text, norm(it["text"])).ratio(), default=None)
        if best and difflib.SequenceMatcher(None, text, norm(best["text"])).ratio() >= SIMILAR:
            right += best["side"] == side[line["side"]]
    return right, total


def outcome(text: str) -> tuple[str, str | None]:
    import fanzha

    report = fanzha.check(text)
    return report.verdict, (report.categories[0] if report.categories else None)


def true_text(chat: dict) -> str:
    title = chat["title"]
    usable = title and not any(c.isdigit() or c.isspace() for c in title)
    return screens.truth_transcript(chat, other=title if usable else "对方")


def read(page, shots: list) -> dict:
    data = [base64.b64encode(s.image).decode() for s in shots]
    return page.evaluate(READ, [data, shots[0].mime])


def renderer_peak_mb(marker: str) -> float:
    """The highest peak RSS (VmHWM) among the renderer processes of the browser launched with `marker`."""
    procs = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            procs[int(pid)] = (ppid, Path(f"/proc/{pid}/cmdline").read_bytes())
        except OSError:
            continue
    tree = {pid for pid, (_, cmd) in procs.items() if marker.encode() in cmd}
    while True:
        more = {pid for pid, (ppid, _) in procs.items() if ppid in tree} - tree
        if not more:
            break
        tree |= more
    peak = 0
    for pid in tree:
        if b"--type=renderer" not in procs[pid][1]:
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peak = max([peak] + [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")])
    return peak / 1024


def ocr_download_gzip(dist: Path) -> int:
    manifest = json.loads((dist / "asset-manifest.json").read_text())["files"]
    tools = json.loads((dist / "ocr" / "worker.js").read_text().split("const TOOLS = ", 1)[1].split(";\n", 1)[0])
    return sum(manifest[f"ocr/{name}"]["gzip"] for name in tools["files"])


def first_use_peaks(pw, server: Server, shots: list, runs: int) -> list[dict]:
    """The renderer's peak in fresh browsers: at ready, after one screenshot (first use), after the rest."""
    out = []
    for _ in range(runs):
        marker = f"--fanzha-bench-first-use-{time.time_ns()}"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, marker])
        page = browser.new_page()
        page.goto(server.url)
        page.locator("[data-testid=status][data-state=ready]").wait_for(timeout=120_000)
        deadline = time.monotonic() + 60  # the page's CSP refuses wait_for_function's eval
        while not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
            assert time.monotonic() < deadline, "the service worker never took control"
            time.sleep(0.25)
        ready = renderer_peak_mb(marker)
        read(page, shots[:1])
        one = renderer_peak_mb(marker)
        read(page, shots)
        out.append({"ready": ready, "first_screenshot": one, "whole_chat": renderer_peak_mb(marker)})
        browser.close()
        print(
            f"first use: renderer peak {ready:.0f} MB ready, {one:.0f} after one screenshot, "
            f"{out[-1]['whole_chat']:.0f} after the chat's {len(shots)}",
            flush=True,
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--styles", default="all", help="comma-separated, or all")
    ap.add_argument("--matrix", default="3:png,2:jpeg", help="scale:format pairs")
    ap.add_argument("--chats", default="", help="comma-separated chat ids (default: all)")
    ap.add_argument("--speed-runs", type=int, default=5)
    ap.add_argument("--memory-runs", type=int, default=3, help="fresh browsers for the first-use peak")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    ap.add_argument("--dist", type=Path, help="a dist built with `build.py build --out DIR` (default dist/)")
    args = ap.parse_args()
    styles = screens.STYLES if args.styles == "all" else tuple(args.styles.split(","))
    chats = [c for c in screens.load_chats() if not args.chats or c["id"] in args.chats.split(",")]
    matrix = [(int(s), f) for s, f in (pair.split(":") for pair in args.matrix.split(","))]

    build = load_build()
    if args.dist:
        build.DIST = args.dist.absolute()
    elif build.is_dist_stale():
        build.build()
    server = Server(build, ROOT / "bench")
    marker = f"--fanzha-bench-ocr-{time.time_ns()}"
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, marker])
        page = browser.new_page()
        page.goto(server.url)
        page.locator("[data-testid=status][data-state=ready]").wait_for(timeout=120_000)
        renderer = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        first = None
        for scale, fmt in matrix:
            with screens.phone_page(renderer, scale=scale) as phone:
                for style in styles:
                    for chat in chats:
                        shots = screens.render(phone, chat, style, fmt=fmt)
                        t0 = time.monotonic()
                        result = read(page, shots)
                        first = first or time.monotonic() - t0  # includes the tools' download and start
                        errors, chars = char_accuracy(chat["lines"], result["items"])
                        right, lines = speakers(chat["lines"], result["items"])
                        same = outcome(result["transcript"]) == outcome(true_text(chat))
                        rows.append(
                            {
                                "chat": chat["id"],
                                "style": style,
                                "scale": scale,
                                "fmt": fmt,
                                "shots": len(shots),
                                "errors": errors,
                                "chars": chars,
                                "right": right,
                                "lines": lines,
                                "same_outcome": same,
                                "ms": result["ms"],
                            }
                        )
                        mark = "" if same and not errors and right == lines else "  <--"
                        print(
                            f"{chat['id']:26} {style:12} {scale}x {fmt:4} shots {len(shots)} "
                            f"chars {chars - errors}/{chars} speakers {right}/{lines} "
                            f"outcome {'same' if same else 'DIFF'} {result['ms'] / 1000:.1f}s{mark}",
                            flush=True,
                        )
        # Speed: one phone-size screenshot, tools loaded.
        with screens.phone_page(renderer, scale=3) as phone:
            one = screens.render(phone, chats[0], "wechat_light", fmt="png", shots=1)
        times = [read(page, one[:1])["ms"] for _ in range(args.speed_runs)]
        peak = renderer_peak_mb(marker)
        browser.close()
        with screens.phone_page(renderer, scale=3) as phone:
            chat = next((c for c in chats if len(c["lines"]) > 8), chats[0])  # one of several screenshots
            first_use = first_use_peaks(pw, server, screens.render(phone, chat, "wechat_light"), args.memory_runs)
        renderer.close()

    def share(a: str, b: str) -> float:
        return sum(r[a] for r in rows) / max(1, sum(r[b] for r in rows))

    summary = {
        "cases": len(rows),
        "screenshots": sum(r["shots"] for r in rows),
        "char_accuracy": 1 - share("errors", "chars"),
        "speaker_accuracy": share("right", "lines"),
        "same_outcome": sum(r["same_outcome"] for r in rows) / max(1, len(rows)),
        "first_use_s": first,
        "one_screenshot_ms_median": statistics.median(times),
        "one_screenshot_ms_runs": times,
        "renderer_peak_mb": peak,
        "first_use_peaks_mb": first_use,
        "ocr_download_gzip_mb": ocr_download_gzip(build.DIST) / 2**20,
    }
    print()
    print(
        f"cases {summary['cases']} ({summary['screenshots']} screenshots; {', '.join(styles)}; "
        f"{', '.join(f'{s}x {f}' for s, f in matrix)})"
    )
    print(f"character accuracy        {summary['char_accuracy']:.4f}   (target >= 0.98)")
    print(f"speaker right             {summary['speaker_accuracy']:.4f}   (target >= 0.95)")
    print(f"same verdict and category {summary['same_outcome']:.4f}   (target >= 0.95)")
    print(
        f"one 1170x2532 screenshot  {summary['one_screenshot_ms_median'] / 1000:.2f} s "
        f"(median of {len(times)}; target <= 3 s)"
    )
    print(f"first use (download, start, read) {first:.1f} s")
    print(f"renderer peak RSS         {peak:.0f} MB   over the whole run")
    if first_use:
        worst = max(r["whole_chat"] for r in first_use)
        runs = len(first_use)
        print(f"renderer peak, first use  {worst:.0f} MB   (worst of {runs} fresh browsers; target <= 700)")
    print(f"OCR download              {summary['ocr_download_gzip_mb']:.2f} MB gzip (target <= 20)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
