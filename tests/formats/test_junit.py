"""The JUnit format: well-formed XML whose counts and failures follow the report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tests.formats.helpers import example, report_of, run
from validator import validate
from validator.formats import render
from validator.formats.junit import xml_safe


def parse(report) -> ET.Element:
    """Render ``report`` as JUnit XML and parse it."""
    text = render(report, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert text.endswith("</testsuites>\n")
    return ET.fromstring(text.encode("utf-8"))


def counts(element: ET.Element) -> tuple[int, int, int, int]:
    """tests, failures, errors and skipped as the element states them (the schema has no
    ``skipped`` on ``<testsuites>``: none there)."""
    keys = ("tests", "failures", "errors", "skipped")
    return tuple(int(element.get(key, "0")) for key in keys)


def test_counts_follow_the_findings(typical):
    root = parse(typical)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == typical.inputs
    cases = suites[0].findall("testcase")
    assert len(cases) == len(typical.findings) == 6
    failures = suites[0].findall("testcase/failure")
    assert len(failures) == 5  # 3 errors and 2 warnings; the info finding passes
    assert counts(suites[0]) == counts(root) == (6, 5, 0, 0)
    types = [f.get("type") for f in failures]
    assert (types.count("error"), types.count("warning")) == (3, 2)


def test_a_testcase_names_rule_location_and_objects(typical):
    cases = parse(typical).findall("testsuite/testcase")
    finding = typical.findings[0]
    loc = finding.location
    assert cases[0].get("classname") == "CCV701 sla-unreachable"
    assert cases[0].get("name") == f"{loc.file}:{loc.line}:{loc.column} azure-sg"
    assert cases[0].get("line") is None  # not in the JUnit schema; the name carries it
    failure = cases[0].find("failure")
    assert failure.get("message") == finding.message
    assert f"hint: {finding.hint}" in failure.text


def test_info_findings_pass_with_their_message_in_system_out(typical):
    cases = parse(typical).findall("testsuite/testcase")
    info = [c for c in cases if c.get("classname") == "CCV506 unused-object"]
    assert len(info) == 1
    assert info[0].find("failure") is None
    assert "POP TYO1 carries no line" in info[0].find("system-out").text


def test_an_input_without_findings_shows_one_passing_case(clean):
    root = parse(clean)
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "no findings"
    assert list(case) == []
    assert counts(suite) == counts(root) == (1, 0, 0, 0)


def test_one_suite_per_input_through_the_cli():
    files = [example("typical-mistakes.yaml"), example("three-clouds.yaml")]
    result = run("validate", "--format", "junit", *files)
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == files
    assert [counts(s) for s in suites] == [(39, 38, 0, 0), (1, 0, 0, 0)]
    assert counts(root) == (40, 38, 0, 0)


def test_clean_plan_exits_zero():
    result = run("validate", "--format", "junit", example("three-clouds.yaml"))
    assert result.exit_code == 0
    assert ET.fromstring(result.stdout.encode("utf-8")).get("failures") == "0"


def test_special_characters_round_trip(escaping):
    (failure,) = parse(escaping).findall("testsuite/testcase/failure")
    message = escaping.findings[0].message
    assert "x-50%,a:b\nc|<b>*d*</b>" in message
    assert failure.get("message") == message
    assert message in failure.text


def test_characters_xml_cannot_hold_are_spelt_out(tmp_path):
    plan = tmp_path / "ctl.json"
    site = '{"id": "dc-a", "cloud": "onprem", "asn": 65001, "cidrs": ["10.1.0.0/16"], "lines": []'
    plan.write_text(
        '{"version": 1, "name": "ctl", "exchange": {"asn": 64600}, "sites": ['
        + site
        + ', "x-\\u0001": 1, "x-\\u0001": 2}]}\n',
        "utf-8",
    )
    report = report_of(str(plan))
    assert "\x01" in report.findings[0].message
    (failure,) = parse(report).findall("testsuite/testcase/failure")
    assert "key 'x-\\x01' is repeated" in failure.get("message")
    assert xml_safe("a\x00b\tc\nd\x1f") == "a\\x00b\tc\nd\\x1f"
    json.loads(plan.read_text("utf-8"))  # the fixture itself is valid JSON


def test_equal_cases_get_distinct_names():
    report = validate({"version": 1})
    names = [c.get("name") for c in parse(report).findall("testsuite/testcase")]
    assert len(names) == 3
    assert len(set(names)) == 3


def test_output_is_deterministic(typical_example, malformed):
    again = report_of(example("typical-mistakes.yaml"))
    assert render(typical_example, "junit") == render(again, "junit")
    root = parse(malformed)
    assert counts(root) == (4, 4, 0, 0)
