"""Benchmark `ccv validate` on generated Terraform plans (bench/terraform/generate.py).

    python3 bench/terraform/run.py                      # 10,000 and 100,000 resources
    python3 bench/terraform/run.py --sizes 10000 --runs 5

For each size the plan is generated once under bench/out/ (git-ignored), then measured
side by side, each in a fresh process, every figure the median of --runs runs:

- `json.load`: Python loading the same file and nothing else (the issue's yardstick),
  timed inside the process, and the whole process;
- `validate()`: the library checking the file (reading, converting, every rule), timed
  inside the process after imports;
- `ccv validate --format json`: the whole command, next to `ccv --version` (start-up),
  wall time and CPU time (user + system: what the run costs on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"

_TIMED_LOAD = "import json,sys,time;t=time.perf_counter();json.load(open(sys.argv[1]));" \
    "print(time.perf_counter()-t)"  # fmt: skip
_TIMED_VALIDATE = "import sys,time;from validator import validate;t=time.perf_counter();" \
    "validate(sys.argv[1]);print(time.perf_counter()-t)"  # fmt: skip


def _inner(code: str, path: Path) -> float:
    """Seconds a fresh Python process reports for ``code`` on ``path``."""
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return float(done.stdout.strip().splitlines()[-1])


def _whole(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds) of ``argv`` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _plan(resources: int) -> Path:
    path = OUT / f"tf-{resources}.json"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "terraform" / "generate.py"),
             "--resources", str(resources), "--out", str(path)],
            check=True,
        )  # fmt: skip
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    ccv = [sys.executable, "-m", "validator"]
    print(
        "| resources | file MB | json.load s | validate() s | ratio | whole json.load s "
        "| whole ccv validate s | ccv --version s | ccv CPU s | ccv --version CPU s | ccv MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        path = _plan(size)
        rows = []
        for _ in range(args.runs):  # interleaved, so load drifts hit every column alike
            rows.append(
                (
                    _inner(_TIMED_LOAD, path),
                    _inner(_TIMED_VALIDATE, path),
                    _whole([sys.executable, "-c", "import json,sys;json.load(open(sys.argv[1]))",
                            str(path)])[0],
                    _whole([*ccv, "validate", "--format", "json", str(path)]),
                    _whole([*ccv, "--version"]),
                )
            )  # fmt: skip
        load, check, whole_load = (statistics.median(r[i] for r in rows) for i in range(3))
        whole = statistics.median(r[3][0] for r in rows)
        rss = statistics.median(r[3][1] for r in rows)
        startup = statistics.median(r[4][0] for r in rows)
        cpu = statistics.median(r[3][2] for r in rows)
        startup_cpu = statistics.median(r[4][2] for r in rows)
        mb = path.stat().st_size / 1e6
        print(
            f"| {size:,} | {mb:.0f} | {load:.2f} | {check:.2f} | {check / load:.2f}× "
            f"| {whole_load:.2f} | {whole:.2f} | {startup:.2f} | {cpu:.2f} | {startup_cpu:.2f} "
            f"| {rss:.0f} |"
        )


if __name__ == "__main__":
    main()
