"""Fixtures of the format tests: real reports of the shipped examples and of a fixture."""

from __future__ import annotations

import pytest

from tests.formats.helpers import FIXTURES, example, report_of
from validator import Report


@pytest.fixture
def typical() -> Report:
    """examples/typical-mistakes.yaml: errors, warnings and an info finding."""
    return report_of(example("typical-mistakes.yaml"))


@pytest.fixture
def clean() -> Report:
    """examples/three-clouds.yaml: no findings, sites and a note."""
    return report_of(example("three-clouds.yaml"))


@pytest.fixture
def malformed() -> Report:
    """examples/malformed.yaml: input errors only, no sites."""
    return report_of(example("malformed.yaml"))


@pytest.fixture
def escaping() -> Report:
    """A duplicate key whose name holds %, comma, colon, newline, pipe and markup."""
    return report_of(str(FIXTURES / "escaping.yaml"))
