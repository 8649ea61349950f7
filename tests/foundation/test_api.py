"""`from validator import validate`: the same report as `ccv validate --format json`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ccv_test_helpers import FIXTURES, fixture, run

from validator import InputError, Report, validate


def test_validate_returns_the_report_the_cli_prints():
    report = validate(fixture("unknown-reference.yaml"))
    assert isinstance(report, Report)
    cli_json = run("validate", "--format", "json", fixture("unknown-reference.yaml")).stdout
    assert report.to_json() == cli_json
    assert report.summary == {"error": 4, "warning": 0, "info": 0}
    assert report.fails("error") and report.worst() == "error"


def test_validate_accepts_parsed_data():
    data = yaml.safe_load((FIXTURES / "valid.yaml").read_text())
    report = validate(data)
    assert report.findings == []
    assert [s["id"] for s in report.sites] == ["dc-north", "dc-south"]
    broken = dict(data, version=3)
    (finding,) = validate(broken).findings
    assert finding.rule == "CCV100" and finding.location.line == 1


def test_validate_raises_input_error_for_unreadable_files():
    try:
        validate(fixture("bad-syntax.yaml"))
    except InputError as exc:
        assert "not valid YAML" in str(exc)
    else:
        raise AssertionError("expected InputError")


def test_validate_runs_in_one_process_and_reads_no_config_it_was_not_given(tmp_path):
    """validate() never forks and never discovers a .ccv.yaml (SPEC §14): run in a fresh
    interpreter whose os.fork is gone, in a folder whose .ccv.yaml ignores every finding."""
    (tmp_path / ".ccv.yaml").write_text("ignore: [CCV103]\n")
    script = (
        "import os, sys\n"
        "os.fork = None\n"
        "from validator import validate\n"
        "report = validate(sys.argv[1])\n"
        "print(sorted({f.rule for f in report.findings}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, fixture("duplicate-keys.yaml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['CCV103']"  # the folder's ignore list was not applied
    # The command line does discover it:
    cli = subprocess.run(
        [sys.executable, "-m", "validator", "validate", fixture("duplicate-keys.yaml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 0 and "CCV103 duplicate-key" not in cli.stdout  # no finding


def test_validate_takes_settings_explicitly():
    from validator.config import ConfigError, Settings

    dup = fixture("duplicate-keys.yaml")
    assert validate(dup, settings=Settings(ignore=frozenset({"CCV103"}))).findings == []
    assert {f.severity for f in validate(dup, severity={"CCV103": "info"}).findings} == {"info"}
    with pytest.raises(ConfigError, match="not both"):
        validate(dup, settings=Settings(), config="x.yaml")


def test_silenced_input_errors_that_keep_the_graph_rules_away_are_noted():
    # ignoring a repeated key used to pass a plan whose flow is over its latency budget:
    # the input error held the path rules back, and nothing said so
    name = fixture("duplicate-key-hides-latency.yaml")
    shown = validate(name)
    assert [f.rule for f in shown.findings] == ["CCV103"]
    assert not any("did not run" in note for note in shown.notes)
    hidden = validate(name, ignore=["CCV103"])
    assert hidden.findings == []
    assert hidden.notes == [
        "the path, capacity and SLA rules did not run: the plan has input errors (CCV103) "
        "that the settings or ignore lists hide; run without them to see the errors"
    ]
    data = yaml.safe_load(Path(name).read_text("utf-8"))  # the same plan, key not repeated
    assert [f.rule for f in validate(data).findings] == ["CCV503"]
