"""`ccv sla measure -` and `ccv sla credit --outages -` read standard input, as a pipe
from a probe script needs."""

from __future__ import annotations

import json

from tests.pipelines.helpers import ROOT, ccv

SLA = ROOT / "examples" / "sla"


def test_measure_reads_probe_records_from_stdin_as_from_the_file():
    text = (SLA / "probes.csv").read_text("utf-8")
    piped = ccv("sla", "measure", "-", "--format", "json", input=text, stdin=None)
    named = ccv("sla", "measure", str(SLA / "probes.csv"), "--format", "json")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["pairs"] == json.loads(named.stdout)["pairs"]


def test_a_stdin_record_error_names_stdin_and_its_line():
    piped = ccv("sla", "measure", "-", input="timestamp,pop_a\n", stdin=None)
    assert piped.returncode == 2
    assert piped.stderr.startswith("ccv: <stdin>:1: header lacks column(s)")


def test_outages_read_from_stdin():
    text = (SLA / "outages.csv").read_text("utf-8")
    args = ("sla", "credit", "--tier", "single-protected", "--month", "2026-02", "--format", "json")
    piped = ccv(*args, "--outages", "-", input=text, stdin=None)
    named = ccv(*args, "--outages", str(SLA / "outages.csv"))
    assert piped.returncode == 0, piped.stderr
    text_named = named.stdout.replace(str(SLA / "outages.csv"), "<stdin>")
    assert json.loads(piped.stdout)["sites"] == json.loads(text_named)["sites"]
    assert '"record": "<stdin>:3"' in piped.stdout


def test_records_and_plan_cannot_both_come_from_stdin():
    result = ccv("sla", "measure", "-", "--topology", "-", input="", stdin=None)
    assert result.returncode == 2
    assert "standard input" in result.stderr
