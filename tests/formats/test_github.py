"""The GitHub Actions format: one escaped workflow command per finding and a summary line."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.formats.helpers import FIXTURES, example, report_of, run
from validator.formats import render
from validator.formats.github import escape_data, escape_property

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    """What the Actions runner makes of an escaped value."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: command, properties, message."""
    match = COMMAND.match(line)
    assert match, line
    properties = dict(part.split("=", 1) for part in match.group(2).split(","))
    return (
        match.group(1),
        {key: unescape(value) for key, value in properties.items()},
        unescape(match.group(3)),
    )


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain text", "plain text", "plain text"),
        ("50%", "50%25", "50%25"),
        ("a,b:c", "a,b:c", "a%2Cb%3Ac"),
        ("one\r\ntwo\nthree", "one%0D%0Atwo%0Athree", "one%0D%0Atwo%0Athree"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
    assert unescape(prop) == raw


def test_one_command_per_finding_then_the_summary(typical):
    lines = render(typical, "github").splitlines()
    assert len(lines) == len(typical.findings) + 1 == 7
    commands = [parse(line) for line in lines[:-1]]
    kinds = [c[0] for c in commands]
    assert (kinds.count("error"), kinds.count("warning"), kinds.count("notice")) == (3, 2, 1)
    assert lines[-1] == "ccv: 3 errors, 2 warnings, 1 info"
    for (kind, props, message), finding in zip(commands, typical.findings, strict=True):
        assert kind == {"error": "error", "warning": "warning", "info": "notice"}[finding.severity]
        assert props == {
            "file": finding.location.file,
            "line": str(finding.location.line),
            "col": str(finding.location.column),
            "title": f"{finding.rule} {finding.name}",
        }
        assert message == f"{finding.message} (hint: {finding.hint})"


def test_percent_signs_in_messages_are_escaped(typical):
    first = render(typical, "github").splitlines()[0]
    assert first.startswith(
        "::error file=" + escape_property(typical.findings[0].location.file) + ",line=10,col=13,"
        "title=CCV701 sla-unreachable::site azure-sg needs 99.95 %25 but"
    )


def test_special_characters_end_to_end(tmp_path):
    shutil.copy(FIXTURES / "escaping.yaml", tmp_path / "a,b:c.yaml")
    result = run("validate", "--format", "github", str(tmp_path / "a,b:c.yaml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # the newline in the message did not split the command
    assert lines[0].startswith(
        f"::error file={escape_property(str(tmp_path))}/a%2Cb%3Ac.yaml,line=13,col=5,"
        "title=CCV103 duplicate-key::key 'x-50%25,a:b%0Ac|<b>*d*</b>' is repeated"
    )
    kind, props, message = parse(lines[0])
    assert props["file"] == str(tmp_path / "a,b:c.yaml")
    report = report_of(str(tmp_path / "a,b:c.yaml"))
    assert message == f"{report.findings[0].message} (hint: {report.findings[0].hint})"
    assert lines[1] == "ccv: 1 error, 0 warnings, 0 info"


def test_standard_input_has_no_file_property():
    result = run("validate", "--format", "github", "-", input="version: 1\n")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines[:-1]:
        kind, props, _ = parse(line)
        assert (kind, props) == ("error", {"title": "CCV100 schema"})


def test_a_clean_plan_prints_only_the_summary():
    result = run("validate", "--format", "github", example("three-clouds.yaml"))
    assert result.exit_code == 0
    assert result.stdout == "ccv: 0 errors, 0 warnings, 0 info\n"


def test_output_is_deterministic(typical_example):
    again = report_of(example("typical-mistakes.yaml"))
    assert render(typical_example, "github") == render(again, "github")


def test_an_unreadable_file_with_special_characters_in_its_name(tmp_path):
    broken = tmp_path / "50%,a:b.yaml"
    broken.write_text("version: 1\nname: [\n", "utf-8")
    result = run("validate", "--format", "github", str(broken), example("three-clouds.yaml"))
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={escape_property(str(tmp_path))}/50%25%2Ca%3Ab.yaml,")
    kind, props, message = parse(lines[0])
    assert kind == "error"
    assert props == {"file": str(broken), "line": "3", "col": "1", "title": "ccv input error"}
    assert (
        message
        == f"{broken} could not be checked: not valid YAML: did not find expected node content"
    )
    assert lines[-1] == "ccv: 0 errors, 0 warnings, 0 info; 1 input not checked"
