"""`from validator import validate`: the same report as `ccv validate --format json`."""

from __future__ import annotations

import yaml
from ccv_test_helpers import FIXTURES, fixture, run

from validator import InputError, Report, validate


def test_validate_returns_the_report_the_cli_prints():
    report = validate(fixture("unknown-reference.yaml"), use_config_file=False)
    assert isinstance(report, Report)
    cli_json = run("validate", "--format", "json", fixture("unknown-reference.yaml")).stdout
    assert report.to_json() == cli_json
    assert report.summary == {"error": 4, "warning": 0, "info": 0}
    assert report.fails("error") and report.worst() == "error"


def test_validate_accepts_parsed_data():
    data = yaml.safe_load((FIXTURES / "valid.yaml").read_text())
    report = validate(data, use_config_file=False)
    assert report.findings == []
    assert [s["id"] for s in report.sites] == ["dc-north", "dc-south"]
    broken = dict(data, version=3)
    (finding,) = validate(broken, use_config_file=False).findings
    assert finding.rule == "CCV100" and finding.location.line == 1


def test_validate_raises_input_error_for_unreadable_files():
    try:
        validate(fixture("bad-syntax.yaml"), use_config_file=False)
    except InputError as exc:
        assert "not valid YAML" in str(exc)
    else:
        raise AssertionError("expected InputError")
