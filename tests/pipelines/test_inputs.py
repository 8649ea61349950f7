"""Several inputs at once: a broken one is reported, the others are still checked (SPEC §11)."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

from tests.formats.test_sarif import VALIDATOR as SARIF
from tests.pipelines.helpers import FIXTURES, ROOT, ccv, ccv_command

TYPICAL = "examples/typical-mistakes.yaml"
CLEAN = "examples/three-clouds.yaml"
BROKEN = "tests/pipelines/fixtures/broken.yaml"
STDERR_LINE = f"ccv: {BROKEN}:4:1: not valid YAML: did not find expected node content"


def alone() -> dict:
    """The JSON report of the plan with findings, checked on its own."""
    return json.loads(ccv("validate", "--format", "json", TYPICAL, cwd=ROOT).stdout)


def counts(report: dict) -> str:
    """``27 errors, 12 warnings, 1 info`` for the report's summary."""
    n = report["summary"]
    return f"{n['error']} errors, {n['warning']} warnings, {n['info']} info"


def three(fmt: str, *extra: str) -> subprocess.CompletedProcess:
    """The issue's case: a plan with findings, a broken file, a clean plan."""
    return ccv("validate", "--format", fmt, *extra, TYPICAL, BROKEN, CLEAN, cwd=ROOT)


def test_a_broken_file_no_longer_hides_the_others():
    result = three("json")
    assert result.returncode == 2
    assert result.stderr == STDERR_LINE + "\n"
    report = json.loads(result.stdout)
    assert report["inputs"] == [TYPICAL, BROKEN, CLEAN]
    assert report["input_errors"] == [
        {
            "file": BROKEN,
            "line": 4,
            "column": 1,
            "message": "not valid YAML: did not find expected node content",
        }
    ]
    expected = alone()
    assert len(expected["findings"]) > 10
    assert report["findings"] == expected["findings"]  # as if the broken file were not there
    assert {s["input"] for s in report["sites"]} == {TYPICAL, CLEAN}


def test_text_names_the_unchecked_input_and_keeps_the_findings():
    result = three("text")
    assert result.returncode == 2
    assert result.stderr == STDERR_LINE + "\n"
    lines = result.stdout.splitlines()
    expected = alone()
    assert sum(line.startswith(TYPICAL + ":") for line in lines) == len(expected["findings"])
    assert lines[-1] == f"{counts(expected)} (3 inputs; not checked: {BROKEN})"


def test_sarif_reports_a_tool_execution_notification():
    result = three("sarif")
    assert result.returncode == 2
    log = json.loads(result.stdout)
    assert not list(SARIF.iter_errors(log))
    (run,) = log["runs"]
    assert len(run["results"]) == len(alone()["findings"])
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": BROKEN, "uriBaseId": "EXECUTIONROOT"},
        "region": {"startLine": 4, "startColumn": 1},
    }
    assert "not valid YAML" in note["message"]["text"]


def test_a_clean_sarif_run_is_a_successful_invocation():
    log = json.loads(ccv("validate", "-f", "sarif", CLEAN, cwd=ROOT).stdout)
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_junit_shows_the_broken_input_as_an_error():
    result = three("junit")
    assert result.returncode == 2
    root = ET.fromstring(result.stdout.encode("utf-8"))
    expected = alone()
    failing = expected["summary"]["error"] + expected["summary"]["warning"]
    tests = len(expected["findings"]) + 2  # and one for the broken file, one for the clean one
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (
        str(tests),
        str(failing),
        "1",
    )
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [TYPICAL, BROKEN, CLEAN]
    (case,) = suites[BROKEN].findall("testcase")
    error = case.find("error")
    assert error.get("type") == "input-error"
    assert error.get("message") == "not valid YAML: did not find expected node content"
    assert case.get("name") == f"{BROKEN}:4:1"
    assert suites[BROKEN].get("errors") == "1"


def test_github_annotates_the_broken_file():
    result = three("github")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={BROKEN},line=4,col=1,title=ccv input error::{BROKEN} could not be "
        "checked: not valid YAML: did not find expected node content"
    )
    expected = alone()
    assert len(lines) == 1 + len(expected["findings"]) + 1
    assert lines[-1] == f"ccv: {counts(expected)}; 1 input not checked"


def test_markdown_lists_the_input_that_was_not_checked():
    result = three("markdown")
    assert result.returncode == 2
    text = result.stdout
    assert text.startswith(f"## ❌ ccv: inputs could not be checked ({counts(alone())})")
    assert "### Inputs not checked\n\n- ❌ " + BROKEN + ":4:1: not valid YAML" in text
    assert text.count("| ❌ error |") == alone()["summary"]["error"]


def test_every_kind_of_unreadable_input_is_one_line_each(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (tmp_path / "bad.json").write_text('{"version": 1,,}\n', "utf-8")
    shutil.copy(FIXTURES / "aws-hk.yaml", tmp_path / "good.yaml")
    names = ["missing.yaml", "folder", "binary.yaml", "latin1.yaml", "bad.json", "good.yaml"]
    result = ccv("validate", "-f", "json", *names, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 5
    assert [line.split(":")[1].strip() for line in lines] == names[:5]
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [e["file"] for e in report["input_errors"]] == names[:5]
    assert report["input_errors"][4]["line"] == 1  # bad.json:1:15
    assert [s["id"] for s in report["sites"]] == ["aws-hk"]


def test_merge_with_an_unreadable_part_checks_no_partial_plan():
    files = ["tests/pipelines/fixtures/aws-hk.yaml", BROKEN]
    result = ccv("validate", "--merge", "-f", "json", *files, cwd=ROOT)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["sites"] == []
    assert report["notes"] == [
        f"the inputs were not checked as one plan (--merge) because {BROKEN} could not be read"
    ]


def test_a_lone_unreadable_file_prints_only_the_error_line():
    result = ccv("validate", BROKEN, cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", STDERR_LINE + "\n")


def test_no_file_and_a_terminal_on_stdin_says_so_instead_of_waiting():
    leader, follower = pty.openpty()
    try:
        started = time.monotonic()
        result = subprocess.run(
            [*ccv_command(), "validate"],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    # one line, like every exit-2 message (issue 14), pointing at the help
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("ccv: no FILE given and standard input is a terminal")
    assert result.stderr.rstrip().endswith("; see 'ccv validate --help'")
    assert result.stdout == ""


def test_a_dash_still_reads_standard_input():
    plan = (FIXTURES / "aws-hk.yaml").read_text("utf-8")
    result = ccv("validate", "-f", "json", "-", input=plan, stdin=None)
    assert result.returncode == 0
    assert json.loads(result.stdout)["inputs"] == ["<stdin>"]


def test_the_stderr_line_has_the_documented_shape():
    result = three("text")
    assert re.fullmatch(r"ccv: [^:]+:\d+:\d+: .+\n", result.stderr)


def test_ccv_writes_nothing_next_to_its_inputs(tmp_path):
    shutil.copy(FIXTURES / "broken.yaml", tmp_path / "broken.yaml")
    before = sorted(os.listdir(tmp_path))
    ccv("validate", "broken.yaml", cwd=tmp_path)
    assert sorted(os.listdir(tmp_path)) == before
    assert (tmp_path / "broken.yaml").read_bytes() == (FIXTURES / "broken.yaml").read_bytes()


def test_no_stdin_with_no_file_is_success_without_reading():
    result = ccv("validate", "--no-stdin", input="name: [\n", stdin=None)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "no findings: 0 errors, 0 warnings, 0 info (0 inputs)"
    files = ccv("validate", "--no-stdin", "-f", "json", BROKEN, CLEAN, cwd=ROOT)
    assert files.returncode == 2  # with files it checks them as ever
    assert json.loads(files.stdout)["inputs"] == [BROKEN, CLEAN]
