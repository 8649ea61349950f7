"""Standard input is read once: '-' named twice is one input; --no-stdin with '-' is refused."""

from __future__ import annotations

import json

from tests.pipelines.helpers import ROOT, ccv

PLAN = ROOT / "examples" / "three-clouds.yaml"


def test_stdin_named_twice_is_one_input():
    text = PLAN.read_text("utf-8")
    once = ccv("validate", "-f", "json", "-", input=text, stdin=None)
    twice = ccv("validate", "-f", "json", "-", "-", input=text, stdin=None)
    assert twice.returncode == once.returncode, twice.stderr
    assert "CCV100" not in twice.stdout
    assert json.loads(twice.stdout)["inputs"] == json.loads(once.stdout)["inputs"]
    assert json.loads(twice.stdout)["findings"] == json.loads(once.stdout)["findings"]


def test_one_file_by_two_paths_is_one_input_even_merged(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.read_text("utf-8"), "utf-8")
    result = ccv("validate", "--merge", "-f", "json", "plan.yaml", "./plan.yaml", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["inputs"] == ["plan.yaml"]
    assert not [f for f in report["findings"] if f["rule"] == "CCV102"]


def test_no_stdin_with_dash_is_a_usage_error():
    result = ccv("validate", "--no-stdin", "-", input=PLAN.read_text("utf-8"), stdin=None)
    assert result.returncode == 2
    assert "--no-stdin" in result.stderr and "'-'" in result.stderr
    assert result.stdout == ""
