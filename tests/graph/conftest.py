"""Helpers for the graph tests: run a fixture through the public API, find lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator import validate

FIXTURES = Path(__file__).parent / "fixtures"


def line_of(name: str, needle: str) -> int:
    """1-based line of the first line of fixture ``name`` containing ``needle``."""
    for number, text in enumerate((FIXTURES / name).read_text().splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


@pytest.fixture
def run():
    """``run(name)`` validates fixture ``name`` without any config file."""

    def _run(name: str):
        return validate(str(FIXTURES / name))

    return _run
