"""Benchmark ``ccv validate --format json`` on generated plans of 10k, 100k and 1M ranges.

    python3 bench/run.py                 # 10k, 100k, 500k, 1M ranges (10 per site)
    python3 bench/run.py --sizes 10000 20000 --runs 3
    python3 bench/run.py --sizes 500000 1000000 --runs 5 \
        --vs /work/wt/baseline/.venv/bin/python      # before and after, side by side

500k sits next to 1M to show what doubling the input costs. Each size is generated
once under bench/out/ (git-ignored; same seed, same file), then measured in fresh
processes: the wall time, CPU time and peak RSS of the full validation, next to the
floor -- merely loading the same file with Python's json module. Prints a Markdown
table; with --runs N each figure is the median of N runs.

ccv runs as ``PYTHON -m validator validate --format json FILE`` in ONE process:
``os.fork`` is deleted before ccv starts (older versions used a second process for
large plans). ``--ccv PYTHON`` names the interpreter whose ``validator`` package is
measured (default: this one); ``--vs PYTHON`` measures a second installation (e.g. a
checkout of an older commit in its own venv) in the same run, each round taking the
floor, the baseline and ccv in turn, so both see the same machine load.
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


ONE_PROCESS = "import os, runpy; del os.fork; runpy.run_module('validator', run_name='__main__')"
"""``python -c`` code running ccv with its arguments, unable to fork."""


def _ccv(python: str, path: Path) -> list[str]:
    return [python, "-c", ONE_PROCESS, "validate", "--format", "json", str(path)]


def _measure(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of ``argv`` run in a fresh process in
    bench/out/ (so ``python -c`` imports the interpreter's installed ccv, not this checkout)
    (``os.wait4`` gives that one child's resource usage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=OUT, stdout=subprocess.DEVNULL)  # no package here
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


def _row(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Median wall and CPU seconds and the largest peak RSS (MiB) of ``runs``."""
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        max(r[2] for r in runs),
    )


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
    parser.add_argument("--ccv", default=sys.executable, help="Python that runs ccv")
    parser.add_argument("--vs", default=None, help="Python of a baseline ccv to compare")
    args = parser.parse_args(argv)
    sides = [("after", args.ccv)] if args.vs is None else [("before", args.vs), ("after", args.ccv)]
    figures: dict[str, list[tuple[int, tuple[float, float, float]]]] = {n: [] for n, _ in sides}
    floors = []
    for size in args.sizes:
        path = _plan(size, args.ranges_per_site, args.conflict_rate, args.seed, args.clouds)
        floor = [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"]
        runs: dict[str, list] = {"floor": [], **{n: [] for n, _ in sides}}
        for _ in range(args.runs):  # interleaved: every side sees the same machine load
            runs["floor"].append(_measure(floor))
            for name, python in sides:
                runs[name].append(_measure(_ccv(python, path)))
        floors.append((size, path.stat().st_size / 2**20, _row(runs["floor"])))
        for name, _ in sides:
            figures[name].append((size, _row(runs[name])))
    print(
        "| ranges | file MiB | json.load wall / CPU s | version | ccv wall s | "
        "ccv CPU s | peak RSS MiB | wall / floor | CPU / floor | growth (wall, CPU) |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for i, (size, mib, (f_wall, f_cpu, _)) in enumerate(floors):
        for name, _ in sides:
            wall, cpu, rss = figures[name][i][1]
            growth = ""
            if i:
                before_wall, before_cpu, _ = figures[name][i - 1][1]
                growth = (
                    f"{wall / before_wall:.2f}× / {cpu / before_cpu:.2f}× for "
                    f"{size / floors[i - 1][0]:.0f}× input"
                )
            print(
                f"| {size:,} | {mib:.1f} | {f_wall:.2f} / {f_cpu:.2f} | {name} | {wall:.2f} "
                f"| {cpu:.2f} | {rss:.0f} | {wall / f_wall:.1f}× | {cpu / f_cpu:.1f}× | {growth} |"
            )


if __name__ == "__main__":
    main()
