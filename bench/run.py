"""Benchmark ``ccv validate --format json`` on generated plans of 10k, 100k and 1M ranges.

    python3 bench/run.py                 # 10k, 100k, 500k, 1M ranges (10 per site)
    python3 bench/run.py --sizes 10000 20000 --runs 3

500k sits next to 1M to show what doubling the input costs. Each size is generated
once under bench/out/ (git-ignored; same seed, same file), then measured in fresh
processes: the wall time, CPU time and peak RSS of the full validation, next to the
floor -- merely loading the same file with Python's json module. Prints a Markdown
table; with --runs N each figure is the median of N runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def _measure(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of ``argv`` run in a fresh process
    (``os.wait4`` gives that one child's resource usage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 = findings, expected with conflicts
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _plan(ranges: int, per_site: int, rate: float, seed: int, clouds: str | None) -> Path:
    sites = max(1, ranges // per_site)
    tag = "" if clouds is None else "-" + clouds.replace(",", "+")
    path = OUT / f"plan-{sites}x{per_site}-r{rate}-s{seed}{tag}.json"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--sites", str(sites),
             "--ranges-per-site", str(per_site), "--conflict-rate", str(rate),
             "--seed", str(seed), "--out", str(path)]
            + ([] if clouds is None else ["--clouds", clouds]),
            check=True,
        )  # fmt: skip
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 500_000, 1_000_000]
    )
    parser.add_argument("--ranges-per-site", type=int, default=10)
    parser.add_argument("--conflict-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--clouds", default=None, help="passed to generate.py")
    args = parser.parse_args(argv)
    rows = []
    previous = None
    for size in args.sizes:
        path = _plan(size, args.ranges_per_site, args.conflict_rate, args.seed, args.clouds)
        ccv = [sys.executable, "-m", "validator", "validate", "--format", "json", str(path)]
        floor = [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"]
        full = [_measure(ccv) for _ in range(args.runs)]
        base = [_measure(floor) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in full)
        cpu = statistics.median(r[1] for r in full)
        rss = max(r[2] for r in full)
        floor_wall = statistics.median(r[0] for r in base)
        growth = ""
        if previous is not None:
            growth = f"{wall / previous[1]:.2f}× for {size / previous[0]:.0f}× input"
        previous = (size, wall)
        rows.append(
            f"| {size:,} | {size // args.ranges_per_site:,} | {path.stat().st_size / 2**20:.1f} "
            f"| {wall:.2f} | {cpu:.2f} | {rss:.0f} | {floor_wall:.2f} "
            f"| {wall / floor_wall:.1f}× | {growth} |"
        )
    print("| ranges | sites | file MiB | ccv wall s | ccv CPU s | peak RSS MiB "
          "| json.load s (floor) | ccv / floor | growth |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
