"""Helpers the format tests share: the shipped examples, fixtures and running ccv."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from validator import Report, validate
from validator.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def example(name: str) -> str:
    """Absolute path of a shipped example."""
    return str(EXAMPLES / name)


def report_of(path: str, **kwargs) -> Report:
    """The report of one plan, with no settings file."""
    return validate(path, **kwargs)


def run(*args: str, input: str | None = None) -> Result:
    """``ccv ARGS`` in-process."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
