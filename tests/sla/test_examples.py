"""The shipped examples work: probe and outage files, and the ping-to-CSV helper."""

import shutil
import subprocess
from pathlib import Path

import pytest

from validator.sla.measure import monthly
from validator.sla.records import PROBE_COLUMNS, read_probes

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"


def test_example_probes_measure_against_the_example_plan(run_json):
    data = run_json("measure", EXAMPLES / "probes.csv", "--topology", EXAMPLES / "plan.yaml")
    pairs = {(p["pop_a"], p["pop_b"]): p for p in data["pairs"]}
    assert pairs[("HKG1", "SIN1")]["committed_latency_ms"] == 32
    assert pairs[("HKG1", "SIN1")]["latency"]["class"] == "normal"
    assert pairs[("HKG1", "TYO1")]["latency_note"].startswith("no committed latency")
    assert pairs[("HKG1", "TYO1")]["late_packets"] == 1


@pytest.mark.parametrize("name", ["outages.csv", "outages.json"])
def test_example_outages(run_json, name):
    data = run_json(
        "credit", "--tier", "single-protected", "--outages", EXAMPLES / name, "--month", "2026-02"
    )
    hk = data["sites"][0]
    assert hk["site"] == "aws-hk"
    assert [e["cause"] for e in hk["excluded"]] == ["maintenance"]


@pytest.mark.skipif(shutil.which("awk") is None, reason="needs awk")
def test_ping_to_csv_makes_a_row_ccv_reads(fixtures, tmp_path):
    rows = []
    for summary in ("ping-summary.txt", "ping-summary-all-lost.txt"):
        out = subprocess.run(
            ["sh", str(EXAMPLES / "ping-to-csv.sh"), "HKG1", "SIN1", "64", "2026-02-01T00:00:00Z"],
            input=(fixtures / summary).read_text(),
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(out.stdout)
    assert rows[0] == "2026-02-01T00:00:00Z,HKG1,SIN1,64,100,98,32.412,35.101\n"
    path = tmp_path / "probes.csv"
    path.write_text(",".join(PROBE_COLUMNS) + ",rtt_max_ms\n" + "".join(rows))
    records = read_probes(path)
    assert [(r.sent, r.replies) for r in records] == [(100, 98), (100, 0)]
    [pair] = monthly(records)
    assert pair.runs_seen == 1  # both rows fall in the 00:00 slot


@pytest.mark.skipif(shutil.which("awk") is None, reason="needs awk")
def test_ping_to_csv_rejects_input_without_a_summary():
    out = subprocess.run(
        ["sh", str(EXAMPLES / "ping-to-csv.sh"), "HKG1", "SIN1", "64"],
        input="no ping here\n",
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "no ping summary" in out.stderr
