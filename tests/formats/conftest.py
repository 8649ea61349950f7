"""Fixtures of the format tests: hand-built reports (tests/formats/reports.py), and real
reports of a shipped example and of a fixture for the end-to-end checks."""

from __future__ import annotations

import pytest

from tests.formats import reports
from tests.formats.helpers import FIXTURES, example, report_of
from validator import Report


@pytest.fixture
def typical() -> Report:
    """Hand-built: 3 errors, 2 warnings and 1 info finding, three sites, a diagram."""
    return reports.typical()


@pytest.fixture
def clean() -> Report:
    """Hand-built: no findings, two sites, a note, a diagram."""
    return reports.clean()


@pytest.fixture
def malformed() -> Report:
    """Hand-built: four input errors, no sites, no diagram."""
    return reports.malformed()


@pytest.fixture
def typical_example() -> Report:
    """The real report of examples/typical-mistakes.yaml (for CLI-vs-library checks)."""
    return report_of(example("typical-mistakes.yaml"))


@pytest.fixture
def escaping() -> Report:
    """A duplicate key whose name holds %, comma, colon, newline, pipe and markup."""
    return report_of(str(FIXTURES / "escaping.yaml"))
