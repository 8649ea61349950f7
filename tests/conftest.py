"""Shared test set-up: every JSON report a test produces is checked against the report schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ccv_test_helpers import QUICK_EXAMPLES, set_full_property_runs
from hypothesis import settings

from validator.report import Report

ROOT = Path(__file__).resolve().parent.parent
_REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text("utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(_REPORT_SCHEMA)
_original_to_dict = Report.to_dict

settings.register_profile("quick", max_examples=QUICK_EXAMPLES, deadline=None)


def pytest_configure(config: pytest.Config) -> None:
    """A run that deselects the slow tests (``-m "not slow"``) still runs every property
    test, with a few examples each; a full run (CI) uses their full counts."""
    quick = "not slow" in (config.getoption("markexpr") or "")
    set_full_property_runs(not quick)
    if quick:
        settings.load_profile("quick")


def _checked_to_dict(self: Report) -> dict:
    result = _original_to_dict(self)
    errors = sorted(_VALIDATOR.iter_errors(result), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError(
            f"report violates report.schema.json: {errors[0].message} at "
            f"{list(errors[0].absolute_path)}"
        )
    return result


@pytest.fixture(autouse=True)
def _validate_every_json_report(monkeypatch):
    """Wrap Report.to_dict so that any report produced (API or CLI) must match the schema."""
    monkeypatch.setattr(Report, "to_dict", _checked_to_dict)


@pytest.fixture
def examples() -> Path:
    """The shipped examples folder."""
    return ROOT / "examples"


@pytest.fixture(autouse=True)
def _no_stray_config(tmp_path_factory, monkeypatch):
    """Run every test from an empty folder so no .ccv.yaml or pyproject.toml is picked up."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
