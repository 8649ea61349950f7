"""The JUnit XML format, for test dashboards (Jenkins, GitLab, Azure DevOps, test reporters).

The document follows the JUnit XML schema of Jenkins (junit-10.xsd; the tests validate
against it), so a test case names its place in its ``name`` (``FILE:LINE:COL objects``)
rather than in attributes the schema does not have. One ``<testsuites>`` holds a
``<testsuite>`` per input file (with a ``file`` attribute) and a ``<testcase>`` per
finding: errors and warnings are failures (``type`` is the severity), info findings are
passing test cases whose ``<system-out>`` carries the message. An input that could not be
checked gets a test case with an ``<error>`` (the test could not run). An input without
findings gets one passing test case, so dashboards show it green.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from validator.formats import RenderOptions
from validator.report import Finding, Report

FAILING = ("error", "warning")
NO_LOCATION = "(no location)"

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids written as ``\\xNN`` (ElementTree
    escapes ``&``, ``<``, ``>``, quotes and line breaks itself)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _file_of(finding: Finding, report: Report) -> str:
    if finding.location is not None:
        return finding.location.file
    return report.inputs[0] if len(report.inputs) == 1 else NO_LOCATION


def case_name(finding: Finding) -> str:
    """A test case's name: where the finding stands, then the objects it names."""
    loc = finding.location
    where = f"{loc.file}:{loc.line}:{loc.column}" if loc else finding.path or "/"
    return f"{where} {','.join(finding.objects)}" if finding.objects else where


def case_text(finding: Finding) -> str:
    """The body of a failure (or the system-out of an info finding)."""
    lines = [f"{finding.severity} {finding.rule} {finding.name}: {finding.message}"]
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    lines.append(f"path: {finding.path or '/'}")
    if finding.objects:
        lines.append(f"objects: {', '.join(finding.objects)}")
    return "\n".join(lines)


def _set(element: ET.Element, **attributes: object) -> None:
    for key, value in attributes.items():
        element.set(key, xml_safe(str(value)))


def _groups(report: Report) -> tuple[dict[str, list[Finding]], dict[str, list]]:
    """Findings and input problems by input file, in the order the suites come."""
    groups: dict[str, list[Finding]] = {name: [] for name in report.inputs}
    for finding in report.findings:
        groups.setdefault(_file_of(finding, report), []).append(finding)
    problems: dict[str, list] = {}
    for problem in report.input_errors:
        groups.setdefault(problem.file, [])
        problems.setdefault(problem.file, []).append(problem)
    return groups, problems


def _cases(findings: list[Finding], errors: list) -> Iterator[ET.Element]:
    """The ``<testcase>`` elements of one suite, one at a time."""
    for problem in errors:
        case = ET.Element("testcase")
        _set(case, classname="ccv input-error", name=problem.where())
        error = ET.SubElement(case, "error")
        _set(error, type="input-error", message=problem.message)
        error.text = xml_safe(f"{problem.where()}: {problem.message}")
        yield case
    used: dict[tuple[str, str], int] = {}
    for finding in findings:
        classname = f"{finding.rule} {finding.name}"
        name = case_name(finding)
        used[(classname, name)] = used.get((classname, name), 0) + 1
        if used[(classname, name)] > 1:  # keep test case names unique for dashboards
            name = f"{name} ({used[(classname, name)]})"
        case = ET.Element("testcase")
        _set(case, classname=classname, name=name)
        if finding.severity in FAILING:
            failure = ET.SubElement(case, "failure")
            _set(failure, type=finding.severity, message=finding.message)
            failure.text = xml_safe(case_text(finding))
        else:
            out = ET.SubElement(case, "system-out")
            out.text = xml_safe(case_text(finding))
        yield case
    if not findings and not errors:
        case = ET.Element("testcase")
        _set(case, classname="ccv", name="no findings")
        yield case


def _suites(report: Report) -> tuple[ET.Element, list[tuple[ET.Element, list, list]]]:
    """The ``<testsuites>`` element with its totals, and each ``<testsuite>`` (with its
    attributes, no cases yet) with the findings and input errors of its file."""
    groups, problems = _groups(report)
    root = ET.Element("testsuites")
    suites = []
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file, findings in groups.items():
        errors = problems.get(file, [])
        suite = ET.Element("testsuite")
        tests = max(len(findings) + len(errors), 1)
        failures = sum(1 for finding in findings if finding.severity in FAILING)
        _set(suite, name=file, tests=tests, failures=failures, errors=len(errors), skipped=0)
        if file != NO_LOCATION:
            _set(suite, file=file)
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += len(errors)
        suites.append((suite, findings, errors))
    _set(root, name="ccv", tests=totals["tests"], failures=totals["failures"])
    _set(root, errors=totals["errors"])
    return root, suites


def to_element(report: Report) -> ET.Element:
    """The ``<testsuites>`` element of ``report``, whole (:func:`chunks` writes the same
    document case by case)."""
    root, suites = _suites(report)
    for suite, findings, errors in suites:
        suite.extend(_cases(findings, errors))
        root.append(suite)
    return root


def render(report: Report, options: RenderOptions) -> str:
    """The JUnit XML document (UTF-8 declaration, indented, final newline)."""
    return "".join(chunks(report, options))


def _start_tag(element: ET.Element) -> str:
    """``<tag attr="…">`` as ElementTree writes it (same escaping, same attribute order)."""
    shell = ET.Element(element.tag, element.attrib)
    shell.text = "-"
    text = ET.tostring(shell, encoding="unicode")
    return text[: -len(f"-</{element.tag}>")]


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render` as consecutive pieces, one per test case: the same bytes as
    :func:`to_element` indented and written whole, without the whole tree in memory."""
    root, suites = _suites(report)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not suites:
        yield ET.tostring(root, encoding="unicode") + "\n"
        return
    yield _start_tag(root)
    for suite, findings, errors in suites:
        yield "\n  " + _start_tag(suite)
        for case in _cases(findings, errors):
            ET.indent(case, space="  ", level=2)
            yield "\n    " + ET.tostring(case, encoding="unicode")
        yield "\n  </testsuite>"
    yield "\n</testsuites>\n"
