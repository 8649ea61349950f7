"""Shared fixtures for the ``ccv sla`` tests: the fixture directory and CLI runners."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from validator.sla.cli import sla

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The directory of fixture files."""
    return FIXTURES


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke ``ccv sla`` with the given arguments; returns the click result."""

    def invoke(*args: object) -> Result:
        return CliRunner().invoke(sla, [str(a) for a in args], prog_name="ccv sla")

    return invoke


@pytest.fixture
def run_json(run: Callable[..., Result]) -> Callable[..., dict]:
    """Invoke ``ccv sla ... --format json``, check it exited 0, return the parsed output."""

    def invoke(*args: object) -> dict:
        result = run(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        assert result.output.endswith("}\n")
        return json.loads(result.output)

    return invoke
