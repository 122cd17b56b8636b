"""Benchmark the page in headless Chromium against dist/ served locally (issue 6). Prints a table and
writes JSON. Not a test: figures depend on the machine; the targets are ratios taken in the same run.

    python build.py build && python bench/browser.py [--runs 3] [--out bench/results/browser.json]

Measures, median of --runs:
- bare Pyodide boot: a page that only starts Pyodide from dist/ in a module worker (served by this
  script under __bench/, never part of dist/);
- the real page, open -> first result for a pasted chat, cold (fresh profile) and warm (second visit,
  service worker active);
- one check of a 2,000-character transcript in the page's worker, beside jieba.lcut of the same text;
- the bytes of a first visit as gzip would send them (every 200 answer of the server, by path, at the
  gzip size asset-manifest.json records), and peak memory of Chromium's processes (RSS, /proc).
Each timed run starts once the browser has been idle for half a second (settle), so work left over from
the run before does not land on the next one.
"""

from __future__ import annotations

import argparse
import http.server
import importlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from engine import transcript  # noqa: E402  (the same 2,000-character text as bench/engine.py)

BASE = "/tools/fanzha/"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
CHAT = "刘局长：小王，我在开会不方便接电话。\n刘局长：你先帮我转5万给合作方，账号6222021234567890123，越快越好。"

# The CSP header allows no inline script, so the bare page's script is a file too.
BARE_HTML = '<!doctype html><meta charset="utf-8"><title>bare boot</title><script type="module" src="bare.js"></script>'
BARE_JS = """const w = new Worker(new URL("bare-worker.js" + location.search, import.meta.url), { type: "module" });
w.onmessage = (e) => { window.__booted = performance.now(); window.__boot = e.data; };
"""
# ?stock: Pyodide's own python_stdlib.zip (from the pinned npm package) instead of dist's trimmed,
# precompiled one: the floor before our stdlib lever.
BARE_WORKER = """import { loadPyodide } from "../pyodide/pyodide.mjs";
const t0 = performance.now();
const stock = new URL(import.meta.url).searchParams.has("stock");
const py = await loadPyodide({
  indexURL: new URL("../pyodide/", import.meta.url).href,
  lockFileURL: new URL("../LOCK", import.meta.url).href,
  ...(stock ? { stdLibURL: new URL("stock_stdlib.zip", import.meta.url).href } : {}),
});
py.runPython("1 + 1");
self.postMessage({ in_worker_ms: performance.now() - t0 });
"""
# The times are recorded in the page (below, and bare.js's onmessage); this script only polls for them,
# with plain evaluates. Playwright's own waiting and its fill() and click() run its injected script in the
# page: polling by animation frame put a frame's work on the main thread all through start-up (about
# 240 ms of a cold visit's CPU), and the injected script's first use another 60-80 ms, taken from the
# worker on two cores, in the page's runs and not the bare boot's.
POLL_MS = 100
# What a user's paste and click do: the text box's value and input event, then the check button.
PASTE_AND_CHECK = """(text) => {
  const input = document.querySelector('[data-testid="input"]');
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  document.querySelector('[data-testid="check"]').click();
}"""
# Records when the page first shows a verdict, from navigation start, without polling lag.
FIRST_RESULT_HOOK = """
new MutationObserver((_, obs) => {
  const v = document.querySelector('[data-testid="verdict"][data-verdict]');
  if (v && v.dataset.verdict && !window.__firstResult) { window.__firstResult = performance.now(); obs.disconnect(); }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


def load_build():
    """build.py's package, tools/builder/: build, DIST, is_dist_stale, make_handler, CACHE_NAMES..."""
    sys.path.insert(0, str(ROOT))
    return importlib.import_module("tools.builder")


class Server:
    """dist/ under BASE, the bare-boot page under BASE + __bench/, and a log of what was sent."""

    def __init__(self, build, bench_dir: Path) -> None:  # serves build.DIST
        handler = build.make_handler(build.DIST, BASE, quiet=True)
        log = self.log = []

        class Handler(handler):
            def translate_path(self, path: str) -> str:
                if path.startswith("/__bench/"):
                    return str(bench_dir / path.split("?")[0][len("/__bench/"):])
                return super().translate_path(path)

            def send_response(self, code: int, message: str | None = None) -> None:
                log.append((self.path.split("?")[0], code))
                super().send_response(code, message)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{BASE}"


def browser_processes(marker: str) -> list[tuple[int, int]]:
    """(RSS in bytes, CPU clock ticks used so far) of each process of the browser launched with `marker` in
    its command line, and of all its children, from /proc."""
    procs = {}
    page_size = os.sysconf("SC_PAGE_SIZE")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_size
        except OSError:
            continue
        procs[int(pid)] = (int(stat[1]), cmd, rss, int(stat[11]) + int(stat[12]))  # ppid, ..., utime + stime
    tree = {pid for pid, (_, cmd, _, _) in procs.items() if marker.encode() in cmd}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _, _, _) in procs.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return [procs[p][2:] for p in tree]


def chromium_rss_mb(marker: str) -> float:
    return sum(rss for rss, _ in browser_processes(marker)) / 2**20


def chromium_cpu_ticks(marker: str) -> int:
    return sum(ticks for _, ticks in browser_processes(marker))


def settle(marker: str, quiet_s: float = 0.5, most_s: float = 8.0) -> None:
    """Wait until the browser is idle (a closed page's process winding down, a cache being written) so
    each timed run starts on a quiet machine: with 2 cores, leftover work from the previous run would
    land on whichever measure comes next."""
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + most_s
    last, quiet_since = chromium_cpu_ticks(marker), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = chromium_cpu_ticks(marker)
        if now - last > 0.1 * ticks_per_s * 0.1:  # more than a tenth of a core over the last 0.1 s
            quiet_since = time.monotonic()
        last = now
        if time.monotonic() - quiet_since >= quiet_s:
            return


class MemoryPeak:
    def __init__(self, marker: str) -> None:
        self.marker, self.peak, self.stop = marker, 0.0, threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, chromium_rss_mb(self.marker))
            time.sleep(0.1)


STAGES: list[dict] = []  # the worker's start-up timings (ms by stage), one per page load, in order


# True once a service worker controls the page and holds this build's files for the next (warm) visit.
SW_READY = """async (CACHES) => {
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg || !reg.active || !navigator.serviceWorker.controller) return false;
  const names = (await caches.keys()).filter((n) => n.startsWith(CACHES.prefix) && n !== CACHES.staging);
  return names.length === 1 && (await (await caches.open(names[0])).keys()).length > 10;
}"""


def recorded(page, name: str, timeout_s: float = 120) -> float:
    """window[name] once the page has recorded it, polled every POLL_MS."""
    deadline = time.monotonic() + timeout_s
    while (value := page.evaluate(f"window.{name}")) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page recorded no {name} in {timeout_s} s")
        time.sleep(POLL_MS / 1000)
    return value


def first_result(context, url: str, stay: bool = False) -> float:
    """Open -> first verdict, in ms from navigation start. stay: like a user who stays on the page,
    wait until the service worker holds everything for the next (warm, offline-capable) visit."""
    page = context.new_page()
    page.add_init_script(FIRST_RESULT_HOOK)

    def on_console(message) -> None:
        if message.text.startswith("fanzha engine ready") and len(message.args) > 1:
            STAGES.append(message.args[1].json_value())

    page.on("console", on_console)
    page.goto(url)  # waits for the load event: app.js has run and listens
    page.evaluate(PASTE_AND_CHECK, CHAT)  # pasted at once, before the engine is ready
    ms = recorded(page, "__firstResult")
    if stay:
        # Polled with evaluate, which awaits the async check (wait_for_function would take its Promise as true).
        deadline = time.monotonic() + 120
        while not page.evaluate(SW_READY, load_build().CACHE_NAMES):
            if time.monotonic() > deadline:
                raise TimeoutError("the service worker did not take over and cache the site")
            page.wait_for_timeout(250)
    page.close()
    return ms


def bare_boot(browser, url: str, stock: bool = False) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "__bench/bare.html" + ("?stock" if stock else ""))
    ms = recorded(page, "__booted")
    context.close()
    return ms


def first_visit_gzip(build, log: list[tuple[str, int]]) -> tuple[int, list[str]]:
    manifest = json.loads((build.DIST / "asset-manifest.json").read_text("utf-8"))["files"]
    sent = [path.lstrip("/") for path, code in log if code == 200 and not path.startswith("/__bench/")]
    sent = ["index.html" if p == "" else p for p in sent]
    return sum(manifest[p]["gzip"] for p in sent if p in manifest), sent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check-runs", type=int, default=31, help="checks (and lcuts, alternating) timed in the worker")
    ap.add_argument("--dist", type=Path, help="a dist built with `build.py build --out DIR` (default dist/)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "browser.json"))
    args = ap.parse_args()
    build = load_build()
    if args.dist:
        build.DIST = args.dist.absolute()
    elif build.is_dist_stale():
        build.build()
    text = transcript()
    marker = f"--fanzha-bench-{os.getpid()}"
    results: dict = {"runs": args.runs, "chars": len(text)}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        (Path(tmp) / "bare.html").write_text(BARE_HTML, "utf-8")
        (Path(tmp) / "bare.js").write_text(BARE_JS, "utf-8")
        stock_zip = build.read_tar_members(build.fetch_pyodide(), "package/")["python_stdlib.zip"]
        (Path(tmp) / "stock_stdlib.zip").write_bytes(stock_zip)
        lock = json.loads((build.DIST / "build-info.json").read_text("utf-8"))["lock"]
        (Path(tmp) / "bare-worker.js").write_text(BARE_WORKER.replace("LOCK", lock), "utf-8")
        server = Server(build, Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, marker])
        bare, stock, cold, warm, first_bytes = [], [], [], [], None
        memory = MemoryPeak(marker)
        for i in range(args.runs):
            settle(marker)
            bare.append(bare_boot(browser, server.url))
            settle(marker)
            stock.append(bare_boot(browser, server.url, stock=True))
            context = browser.new_context()  # a fresh profile: empty HTTP cache, no service worker
            server.log.clear()
            settle(marker)
            cold.append(first_result(context, server.url, stay=True))
            if i == 0:
                first_bytes = first_visit_gzip(build, server.log)
            settle(marker)
            warm.append(first_result(context, server.url))
            if i == 0:
                page = context.new_page()
                page.goto(server.url)
                page.get_by_test_id("input").fill("你好")
                page.get_by_test_id("check").click()
                page.wait_for_selector('[data-testid="verdict"][data-verdict]')
                worker = page.workers[0]
                times = worker.evaluate("([t, n]) => self.fanzhaBench(t, n)", [text, args.check_runs])
                page.close()
            context.close()
        memory.stop.set()
        browser.close()
        server.httpd.shutdown()

    med = statistics.median
    gzip_bytes, sent = first_bytes
    results.update(
        bare_boot_ms=bare, bare_boot_stock_stdlib_ms=stock, cold_first_result_ms=cold, warm_first_result_ms=warm,
        check_ms=times["check_ms"], lcut_ms=times["lcut_ms"], first_visit_gzip_bytes=gzip_bytes,
        first_visit_files=sent, peak_rss_mb=memory.peak, worker_stages=STAGES,
    )
    b, s, c, w = med(bare), med(stock), med(cold), med(warm)

    def spread(firsts: list[float]) -> str:
        """Each run's first result over the bare boot of the same run: on a noisy machine, the spread."""
        ratios = sorted(f / x for f, x in zip(firsts, bare, strict=True))
        return f"runs {ratios[0]:.2f}-{ratios[-1]:.2f}x, median {med(ratios):.2f}x"

    ck, lc = med(times["check_ms"]), med(times["lcut_ms"])
    rows = [
        ("bare Pyodide boot (dist)", f"{b:8.0f} ms", "shipped stdlib: trimmed, precompiled"),
        ("bare boot, stock stdlib", f"{s:8.0f} ms", "Pyodide's own python_stdlib.zip"),
        ("first result, cold", f"{c:8.0f} ms", f"{c / b:.2f}x bare, {c / s:.2f}x stock (target <= 1.3x)"),
        ("", "", spread(cold)),
        ("first result, warm (SW)", f"{w:8.0f} ms", f"{w / b:.2f}x bare, {w / s:.2f}x stock (target <= 1.1x)"),
        ("", "", spread(warm)),
        (f"check, {len(text)} chars", f"{ck:8.1f} ms", f"{ck / lc:.2f}x lcut (target <= 1.5x)"),
        (f"jieba.lcut, {len(text)} chars", f"{lc:8.1f} ms", ""),
        ("first visit, gzip", f"{gzip_bytes / 1e6:7.2f} MB", "target <= 8 MB"),
        ("peak memory (Chromium RSS)", f"{memory.peak:7.0f} MB", "all processes of the browser"),
    ]
    print(f"{'measure (median of ' + str(args.runs) + ')':<30}{'value':>12}  ratio")
    for name, value, note in rows:
        print(f"{name:<30}{value:>12}  {note}")
    results["ratios"] = {"cold_vs_bare": c / b, "warm_vs_bare": w / b, "cold_vs_stock": c / s,
                         "warm_vs_stock": w / s, "check_vs_lcut": ck / lc,
                         "cold_vs_bare_by_run": [x / y for x, y in zip(cold, bare, strict=True)],
                         "warm_vs_bare_by_run": [x / y for x, y in zip(warm, bare, strict=True)]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
