"""The JUnit output is valid against the JUnit XML schema that Jenkins and its kin read.

The schema is a copy of junit-10.xsd (tests/formats/junit/README.md says where from);
lxml validates every report below against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.formats.helpers import FIXTURES, example, report_of, run
from validator import validate
from validator.formats import render

XSD_PATH = Path(__file__).parent / "junit" / "junit-10.xsd"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD_PATH)))


def assert_valid(text: str) -> etree._Element:
    """Parse ``text`` and validate it against the JUnit schema."""
    document = etree.fromstring(text.encode("utf-8"))
    if not SCHEMA.validate(document):
        raise AssertionError(str(SCHEMA.error_log.last_error))
    return document


def test_the_schema_has_teeth():
    bad = '<testsuites><testsuite name="x" tests="1"><testcase/></testsuite></testsuites>'
    assert not SCHEMA.validate(etree.fromstring(bad))  # no failures/errors, no case name
    extra = (
        '<testsuites><testsuite name="x" tests="1" failures="0" errors="0">'
        '<testcase name="a" line="3"/></testsuite></testsuites>'
    )
    assert not SCHEMA.validate(etree.fromstring(extra))


@pytest.mark.parametrize(
    "plan",
    [
        example("typical-mistakes.yaml"),
        example("three-clouds.yaml"),
        example("malformed.yaml"),
        example("hybrid-onprem.yaml"),
        example("minimal.json"),
        str(FIXTURES / "escaping.yaml"),
    ],
)
def test_reports_of_the_examples_are_valid(plan):
    document = assert_valid(render(report_of(plan), "junit"))
    assert document.tag == "testsuites"


def test_a_plan_given_as_data_is_valid():
    assert_valid(render(validate({"version": 1}), "junit"))


def test_several_inputs_and_an_unreadable_one_are_valid(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [\n", "utf-8")
    result = run(
        "validate", "-f", "junit", example("typical-mistakes.yaml"), str(broken),
        example("three-clouds.yaml"),
    )  # fmt: skip
    assert result.exit_code == 2
    document = assert_valid(result.stdout)
    errors = document.findall("testsuite/testcase/error")
    assert [e.get("type") for e in errors] == ["input-error"]
