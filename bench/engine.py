"""Benchmark the CPython engine: one check of a 2,000-character transcript versus jieba.lcut of the
same text, and --jsonl batch throughput on SMS-sized texts. Prints a table and writes JSON.

    python bench/engine.py [--out bench/results/engine.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jieba

import fanzha

TURNS = [
    "刘局长：小王，这是我新微信，最近工作怎么样？家里都好吧？",
    "我：挺好的，谢谢领导关心。",
    "刘局长：我在开会不方便接电话。上级朋友急用钱，让我帮忙安排一笔，但不能看到我的名字。",
    "刘局长：我刚给你转了5万，截图你看下，跨行要2小时到账。",
    "刘局长：你先帮我转给他，账号6222 0212 3456 7890 123，户名张伟，越快越好。",
    "我：钱还没到账啊，我先问问财务。",
    "财务小李：各位，3月差旅报销已经审批，款项周五前打到工资卡，发票原件下周一交。",
    "王主任：收到。周末团建AA，每人200元，群收款发群里了。",
]
SMS = [
    "【某银行】您尾号1234的账户于03月05日支出2000.00元，余额8000.00元。",
    "您好，您的贷款已审批通过，放款前需先交3000元保证金，请加微信办理。",
    "招手机兼职，做任务一单一结，先垫付本金，完成后返还本金加佣金。",
    "妈，生活费收到了，这个月够用，谢谢！",
    "我是公安局的，你涉嫌洗钱，请把资金转到安全账户进行核查。",
    "明天上午9点在三楼会议室开会，请准时参加。",
]


def transcript(chars: int = 2000) -> str:
    out, i = [], 0
    while sum(len(t) + 1 for t in out) < chars:
        out.append(TURNS[i % len(TURNS)])
        i += 1
    return "\n".join(out)[:chars]


def alternating(fns: list, runs: int) -> list[list[float]]:
    """CPU time of each function, run in turn (one of each per round), ``runs`` rounds. CPU time of this
    process: the 2-core machine is often busy, and wall time would charge us for that. In turn, as the
    worker's bench does: this virtual machine's speed drifts by 10 % within a minute, and two series
    timed one after the other would each get a different machine."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times, strict=True):
            t0 = time.process_time()
            fn()
            out.append(time.process_time() - t0)
    return times


def batch_rate(n: int) -> float:
    lines = "\n".join(json.dumps({"id": i, "text": SMS[i % len(SMS)] + f" #{i}"}, ensure_ascii=False)
                      for i in range(n))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write(lines)
    cmd = [sys.executable, "-m", "fanzha", "check", "--jsonl", f.name]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    total = time.perf_counter() - t0
    Path(f.name).unlink()
    return n / total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results/engine.json")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    text = transcript()
    fanzha.check(text)  # load rules, initialise jieba, warm caches
    jieba.lcut(text)
    lcut_times, check_times = alternating([lambda: jieba.lcut(text), lambda: fanzha.check(text)], args.runs)
    lcut_best, lcut_med = min(lcut_times), statistics.median(lcut_times)
    check_best, check_med = min(check_times), statistics.median(check_times)
    rate = batch_rate(2000)
    result = {
        "python": platform.python_version(),
        "chars": len(text),
        "jieba_lcut_ms": {"best": lcut_best * 1e3, "median": lcut_med * 1e3},
        "check_ms": {"best": check_best * 1e3, "median": check_med * 1e3},
        "ratio_median": check_med / lcut_med,
        "batch_texts_per_s": rate,
    }
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'jieba.lcut, 2000 chars (median)':<34}{lcut_med * 1e3:>10.2f} ms")
    print(f"{'fanzha.check, 2000 chars (median)':<34}{check_med * 1e3:>10.2f} ms")
    print(f"{'ratio check / lcut':<34}{result['ratio_median']:>11.2f}x  (target <= 1.5x)")
    print(f"{'--jsonl batch, 2000 SMS':<34}{rate:>9.0f} /s  (target >= 200/s, includes start-up)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
