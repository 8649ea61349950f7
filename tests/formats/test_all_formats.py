"""Every format: registered, offered by the CLI, deterministic and ending with a newline."""

from __future__ import annotations

import pytest

from tests.formats.helpers import example, report_of, run
from validator.formats import FORMATS, render

NEW = ("sarif", "junit", "github", "markdown")


def test_the_spec_formats_are_registered():
    assert sorted(FORMATS) == sorted(("text", "json", *NEW))


def test_help_names_every_format():
    help_text = " ".join(run("validate", "--help").stdout.split())
    assert "[github|json|junit|markdown|sarif|text]" in help_text
    for use in ("sarif for code scanning", "junit for test dashboards", "github for workflow"):
        assert use in help_text


@pytest.mark.parametrize("fmt", NEW)
@pytest.mark.parametrize("name", ["typical-mistakes.yaml", "three-clouds.yaml", "malformed.yaml"])
def test_same_report_same_bytes(fmt, name):
    first = render(report_of(example(name)), fmt)
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert render(report_of(example(name)), fmt) == first


@pytest.mark.parametrize("fmt", NEW)
def test_exit_status_does_not_depend_on_the_format(fmt):
    assert run("validate", "-f", fmt, example("typical-mistakes.yaml")).exit_code == 1
    assert run("validate", "-f", fmt, example("malformed.yaml")).exit_code == 1
    assert run("validate", "-f", fmt, example("three-clouds.yaml")).exit_code == 0
