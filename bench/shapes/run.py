"""Plans of awkward shapes, measured side by side: this checkout against a baseline.

    python3 bench/shapes/run.py --baseline /path/to/baseline/.venv/bin/python
    python3 bench/shapes/run.py --shapes chain-10k,flows-5k --runs 3

Each shape's plan is generated once (``bench/out/shapes/``, git-ignored, see
``generate.py``). Each run is a fresh process, ``python -m validator validate --format
json -o REPORT PLAN``, started from an empty directory so each interpreter imports
its own installed ``validator``; the two sides alternate run by run. Reported: wall
time, peak RSS (``ru_maxrss`` of the child, via ``os.wait4``), the exit status, and
whether both sides wrote the same report (SHA-256 of the bytes). A run is stopped at
``--cap-gib`` of address space (reported as out of memory) or ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out" / "shapes"

# name -> (generator and its arguments, what it shows)
SHAPES: dict[str, tuple[list[str], str]] = {
    "chain-10k": (["chain", "--pops", "10000", "--sla", "99.95"], "10,000-POP chain, SLA hints"),
    "chain-20k": (["chain", "--pops", "20000", "--sla", "99.95"], "20,000-POP chain, SLA hints"),
    "flows-5k": (["flows", "--pops", "2000", "--flows", "5000"], "5,000 flows, 2,000-POP chain"),
    "flows-5k-sla": (
        ["flows", "--pops", "2000", "--flows", "5000", "--sla", "99.95"],
        "5,000 flows on a 2,000-POP chain, every site needing 99.95 % (SLA hints)",
    ),
    "sites-on-chain": (
        ["chain", "--pops", "4000", "--sites", "1000"],
        "1,000 one-line sites spread along a 4,000-POP chain",
    ),
    "sites-on-chain-sla": (
        ["chain", "--pops", "1000", "--sites", "250", "--sla", "99.95"],
        "250 sites along a 1,000-POP chain, SLA hints for each",
    ),
    "sites-on-chain-sla-4k": (
        ["chain", "--pops", "4000", "--sites", "1000", "--sla", "99.95"],
        "1,000 sites along a 4,000-POP chain, SLA hints for each (4× sites-on-chain-sla)",
    ),
    "dual-homed-10k": (
        ["tree", "--pops", "4000", "--sites", "10000"],
        "10,000 sites on two POPs each (a POP and its parent) of a 4,000-POP tree",
    ),
    "ranges-1m": (["ranges", "--ranges", "1000000"], "one site with 1,000,000 ranges"),
    "findings-1m": (
        ["../generate.py", "--sites", "7000", "--conflict-rate", "1.0", "--seed", "1"],
        "about 1,000,000 findings: every range of 7,000 sites conflicts",
    ),
    "lineless-1m": (["findings", "--findings", "1000000"], "1,000,000 sites without lines"),
}


def plan_file(name: str) -> Path:
    """The generated plan of shape ``name`` (made on first use)."""
    path = OUT / f"{name}.json"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        args, _ = SHAPES[name]
        if args[0].endswith(".py"):  # another generator (bench/generate.py): --out
            command = [str(HERE / args[0]), *args[1:], "--out", str(path)]
        else:
            command = [str(HERE / "generate.py"), *args, "-o", str(path)]
        subprocess.run([sys.executable, *command], check=True)
    return path


def measure(python: str, plan: Path, cap_gib: float, timeout: float) -> dict:
    """One run: wall seconds, peak RSS MiB, exit status, report digest (or what stopped it)."""
    cap = int(cap_gib * 2**30)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryDirectory() as empty:
        report = os.path.join(empty, "report.json")
        command = [python, "-m", "validator", "validate", "--format", "json", "-o", report]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*command, str(plan)],
            cwd=empty,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=limit,
        )
        status = usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"stopped": f"> {timeout:.0f} s"}
            time.sleep(0.05)
        wall = time.perf_counter() - start
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            oom = "MemoryError" in stderr or code < 0
            return {"stopped": f"out of memory at {cap_gib:g} GiB" if oom else f"exit {code}"}
        digest = hashlib.sha256()
        with open(report, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    return {"wall": wall, "rss": usage.ru_maxrss / 1024, "exit": code, "sha": digest.hexdigest()}


def _cell(result: dict) -> str:
    if "stopped" in result:
        return result["stopped"]
    return f"{result['wall']:.2f} s, {result['rss']:.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="python of the baseline's venv (omit: this side only)")
    parser.add_argument("--python", default=sys.executable, help="python of this side's venv")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated names")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cap-gib", type=float, default=6.0)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    sides = [("this", args.python)] + ([("baseline", args.baseline)] if args.baseline else [])
    print("| shape | plan MiB | " + " | ".join(name for name, _ in sides) + " | same report |")
    print("|---|---:|" + "---|" * len(sides) + "---|")
    for name in args.shapes.split(","):
        plan = plan_file(name)
        results: dict[str, list[dict]] = {side: [] for side, _ in sides}
        for _ in range(args.runs):
            for side, python in reversed(sides):  # the baseline first, then this side
                results[side].append(measure(python, plan, args.cap_gib, args.timeout))
        cells = []
        for side, _ in sides:
            cells.append(" / ".join(_cell(r) for r in results[side]))
        digests = {r.get("sha") for runs in results.values() for r in runs}
        same = "yes" if len(digests) == 1 and None not in digests else "—"
        if len(digests - {None}) > 1:
            same = "NO"
        size = plan.stat().st_size / 2**20
        print(f"| {name}: {SHAPES[name][1]} | {size:.0f} | " + " | ".join(cells) + f" | {same} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
