"""Every format is written piece by piece (a million findings never make one string), and
the pieces make the same bytes as the one-string renderers did: on hand-built reports,
text, GitHub and Markdown against their previous implementation (tests/formats/
one_string.py), JUnit against the whole ElementTree document, indented and written."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from tests.formats import one_string
from tests.formats.reports import FILE, clean, malformed, typical
from tests.formats.test_junit_schema import SCHEMA
from validator.formats import FORMATS, RenderOptions, render, render_chunks
from validator.formats.junit import to_element
from validator.report import Finding, InputProblem, Location


def _junit_whole(report, options) -> str:
    root = to_element(report)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


ORACLES = {
    "text": one_string.text,
    "github": one_string.github,
    "markdown": one_string.markdown,
    "junit": _junit_whole,
}


def _many(count: int):
    """``count`` findings of every severity over two inputs, one without a location."""
    findings = []
    for i in range(count):
        severity = ("error", "warning", "info")[i % 3]
        location = None if i % 7 == 0 else Location(FILE if i % 2 else "b.yaml", i + 1, 3)
        findings.append(
            Finding("CCV201", "cidr-overlap", severity, f"range {i} & <{i}> overlaps, 100%",
                    (f"s{i}", f"t{i}"), f"/sites/{i}", location, "move it" if i % 5 else None)
        )  # fmt: skip
    report = typical()
    report.inputs = [FILE, "b.yaml"]
    report.findings = findings
    return report


def _reports():
    yield "typical", typical()
    yield "clean", clean()
    yield "malformed", malformed()
    yield "many", _many(500)
    unreadable = dataclasses.replace(
        typical(),
        inputs=[FILE, "gone.yaml"],
        input_errors=[InputProblem("gone.yaml", "cannot be read", 3, 4)],
        baseline=(".ccv-baseline.json", 4),
    )
    yield "unreadable", unreadable
    yield (
        "nothing checked",
        dataclasses.replace(
            malformed(), findings=[], input_errors=[InputProblem(FILE, "not YAML", 1, 1)]
        ),
    )
    yield "empty", dataclasses.replace(clean(), inputs=[], sites=[], notes=[], diagrams=[])


OPTIONS = [RenderOptions(), RenderOptions(quiet=True), RenderOptions(color=True)]


@pytest.mark.parametrize("fmt", sorted(ORACLES))
@pytest.mark.parametrize("options", OPTIONS, ids=["plain", "quiet", "color"])
def test_the_pieces_make_the_bytes_of_the_one_string_renderer(fmt, options):
    for name, report in _reports():
        expected = ORACLES[fmt](report, options)
        assert "".join(render_chunks(report, fmt, options)) == expected, name
        assert render(report, fmt, options) == expected, name


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_piece_holds_the_whole_report(fmt):
    pieces = list(render_chunks(_many(3000), fmt))
    whole = sum(len(piece) for piece in pieces)
    assert max(len(piece) for piece in pieces) < whole / 4, fmt  # a few findings at most


def test_the_streamed_junit_of_many_findings_fits_the_schema():
    text = "".join(render_chunks(_many(200), "junit"))
    assert SCHEMA.validate(etree.fromstring(text.encode("utf-8")))
