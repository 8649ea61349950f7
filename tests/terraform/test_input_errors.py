"""A plan ccv cannot read (an unknown major format_version, broken JSON, not a plan at
all with --input-format terraform-plan) is an error of that input only: the other inputs
are still checked and reported, and the run exits 2 (the per-input errors of issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccv_test_helpers import run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = str(FIXTURES / "carrier.yaml")
BAD_VERSION = str(FIXTURES / "format-2-plan.json")


def _findings(*args: str) -> tuple[list[dict], dict, int, str]:
    result = run("validate", "--format", "json", *args)
    report = json.loads(result.stdout)
    return report["findings"], report, result.exit_code, result.stderr


def _truncated(tmp_path: Path) -> str:
    path = tmp_path / "truncated-plan.json"
    text = (FIXTURES / "interconnects-plan.json").read_text()
    path.write_text(text[: len(text) // 2])
    return str(path)


def test_a_plan_of_an_unknown_format_version_beside_a_good_topology():
    alone, _, alone_code, _ = _findings(GOOD)
    assert alone and alone_code == 0  # the topology has warnings only
    found, report, code, stderr = _findings(GOOD, BAD_VERSION)
    assert code == 2
    assert found == alone  # the good file's findings, all of them
    assert report["input_errors"] == [
        {
            "file": BAD_VERSION,
            "message": "Terraform JSON format_version 2.0 is not supported; ccv reads format "
            "versions 0.x and 1.x (terraform show -json of Terraform 0.12 to 1.x, or OpenTofu)",
        }
    ]
    assert stderr == f"ccv: {BAD_VERSION}: {report['input_errors'][0]['message']}\n"


def test_the_text_report_names_the_input_not_checked():
    result = run("validate", GOOD, BAD_VERSION)
    assert result.exit_code == 2
    assert f"not checked: {BAD_VERSION}" in result.stdout
    assert "CCV504" in result.stdout  # a finding of the good topology


@pytest.mark.parametrize("broken", ["truncated", "not-a-plan"])
def test_a_broken_plan_beside_a_good_plan(tmp_path, broken):
    good = str(FIXTURES / "gcp-overlapping-subnetworks-plan.json")
    if broken == "truncated":
        bad = _truncated(tmp_path)
    else:
        bad = str(tmp_path / "topology.json")
        Path(bad).write_text('{"version": 1, "name": "t", "sites": []}\n')
    found, report, code, _ = _findings("--input-format", "terraform-plan", good, bad)
    assert code == 2
    assert [f["rule"] for f in found] == ["CCV211"]  # the good plan's overlap
    (problem,) = report["input_errors"]
    assert problem["file"] == bad
    if broken == "truncated":
        assert problem.get("line")  # where the JSON stops making sense
