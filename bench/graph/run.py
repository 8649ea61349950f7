"""Run ccv on generated plans, one fresh process per run; report wall time and peak RSS.

    python3 bench/graph/run.py                      # the target case, 3 runs
    python3 bench/graph/run.py --pops 200 --sites 1000 --runs 1

Peak RSS is the child's ``ru_maxrss`` (Linux: KiB), read with ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def measure(path: str) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS in MiB, and the JSON report of one ``ccv validate`` run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "validator", "validate", "--format", "json", path],
            stdout=out,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        report = json.loads(out.read() or b"{}")
    return wall, usage.ru_maxrss / 1024, report


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pops", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=10000)
    parser.add_argument("--segment", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sla", type=float, default=None)
    parser.add_argument("--flows", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plan.json")
        plan = generate(args.pops, args.sites, args.segment, args.seed, args.sla, args.flows)
        Path(path).write_text(json.dumps(plan))
        print(
            f"plan: {len(plan['pops'])} POPs, {len(plan['backbone'])} links, "
            f"{len(plan['sites'])} sites, segments of {args.segment}, seed {args.seed}"
            + (f", sla_target {args.sla}" if args.sla else "")
            + (f", {args.flows} declared flows" if args.flows else "")
        )
        for run in range(1, args.runs + 1):
            wall, rss, report = measure(path)
            tiers: dict[str, int] = {}
            for site in report.get("sites", []):
                tiers[site["tier"]] = tiers.get(site["tier"], 0) + 1
            rules: dict[str, int] = {}
            for finding in report.get("findings", []):
                rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
            print(
                f"run {run}: {wall:.2f} s wall, {rss:.0f} MiB peak RSS; tiers {tiers}; "
                f"findings {dict(sorted(rules.items()))}"
            )


if __name__ == "__main__":
    main()
