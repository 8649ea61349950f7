"""`plan:` in the settings file and `ccv validate --from-config` (the ccv-plan hook's command)."""

from __future__ import annotations

import json
import shutil

from tests.pipelines.helpers import FIXTURES, ccv


def setup(tmp_path, config: str) -> None:
    (tmp_path / "topology").mkdir()
    shutil.copy(FIXTURES / "aws-hk.yaml", tmp_path / "topology" / "aws-hk.yaml")
    shutil.copy(FIXTURES / "azure-sg.yaml", tmp_path / "topology" / "azure-sg.yaml")
    (tmp_path / ".ccv.yaml").write_text(config, "utf-8")


def test_the_listed_files_are_merged_into_one_plan(tmp_path):
    setup(tmp_path, "plan:\n  - topology/aws-hk.yaml\n  - topology/azure-sg.yaml\n")
    result = ccv("validate", "--merge", "--from-config", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["inputs"] == ["topology/aws-hk.yaml", "topology/azure-sg.yaml"]
    assert "CCV201" in {f["rule"] for f in report["findings"]}


def test_paths_are_relative_to_the_config_file_and_patterns_expand(tmp_path):
    setup(tmp_path, "plan: [topology/*.yaml]\n")
    result = ccv("validate", "--merge", "--from-config", "-f", "json", cwd=tmp_path / "topology")
    assert result.returncode == 1
    assert json.loads(result.stdout)["inputs"] == ["aws-hk.yaml", "azure-sg.yaml"]


def test_no_listed_file_is_success_and_standard_input_is_not_read(tmp_path):
    (tmp_path / ".ccv.yaml").write_text("fail-on: warning\n", "utf-8")
    result = ccv("validate", "--merge", "--from-config", cwd=tmp_path, input="name: [\n",
                 stdin=None)  # fmt: skip
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == "no findings: 0 errors, 0 warnings, 0 info (0 inputs)"


def test_a_pattern_that_matches_nothing_and_a_missing_file_are_input_errors(tmp_path):
    setup(tmp_path, "plan: [topology/aws-hk.yaml, gone.yaml, 'clouds/*.yaml']\n")
    result = ccv("validate", "--from-config", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    errors = json.loads(result.stdout)["input_errors"]
    assert [(e["file"], e["message"]) for e in errors] == [
        ("clouds/*.yaml", "matches no file (plan: in .ccv.yaml)"),
        ("gone.yaml", "no such file"),
    ]


def test_files_given_on_the_command_line_join_the_listed_ones(tmp_path):
    setup(tmp_path, "plan: [topology/aws-hk.yaml]\n")
    result = ccv("validate", "--merge", "--from-config", "-f", "json", "topology/azure-sg.yaml",
                 cwd=tmp_path)  # fmt: skip
    assert json.loads(result.stdout)["inputs"] == ["topology/azure-sg.yaml", "topology/aws-hk.yaml"]
    assert result.returncode == 1


def test_plan_must_be_a_list_of_names(tmp_path):
    (tmp_path / ".ccv.yaml").write_text("plan: topology/aws-hk.yaml\n", "utf-8")
    result = ccv("validate", "--from-config", cwd=tmp_path)
    assert result.returncode == 2
    assert "'plan' must be a list of file names" in result.stderr
