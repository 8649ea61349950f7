"""Helpers for the cloud-pack tests: run a fixture and pick findings of one rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator import validate

FIXTURES = Path(__file__).parent / "fixtures"


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``path`` that contains ``needle``."""
    seen = 0
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def _findings(path: Path, rule: str) -> dict[tuple[str, ...], list]:
    """Findings of ``rule`` for the plan at ``path``, grouped by their objects."""
    report = validate(str(path))
    grouped: dict[tuple[str, ...], list] = {}
    for finding in report.findings:
        if finding.rule == rule:
            grouped.setdefault(tuple(finding.objects), []).append(finding)
    return grouped


@pytest.fixture(scope="session")
def line_of():
    """``line_of(path, needle, occurrence=1)``: the line of a fixture holding ``needle``."""
    return _line_of


@pytest.fixture(scope="session")
def findings():
    """``findings(path, rule)``: findings of ``rule`` for a plan, grouped by objects."""
    return _findings
