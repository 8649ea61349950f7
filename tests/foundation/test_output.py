"""`-o` never lands on an input, and a report file is replaced whole (validator/output.py).

Run as a real process (`python -m validator`): standard input, hard links and
/dev/stdin must be the real ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ccv_test_helpers import FIXTURES

from validator.output import OutputError, write_text


def ccv(*args: str, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "validator", *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text((FIXTURES / "valid.yaml").read_text())
    return path


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccv: "), result.stderr
    assert "never writes to its inputs" in lines[0]
    return lines[0]


def test_graph_output_onto_its_input_is_refused(plan):
    before = plan.read_bytes()
    line = refused(ccv("graph", str(plan), "-o", str(plan)))
    assert str(plan) in line
    assert plan.read_bytes() == before


def test_a_hard_link_to_the_input_is_the_input(plan, tmp_path):
    link = tmp_path / "report.txt"
    os.link(plan, link)
    before = plan.read_bytes()
    line = refused(ccv("validate", "-o", str(link), str(plan)))
    assert "the same file" in line
    assert plan.read_bytes() == before


def test_a_symbolic_link_to_the_input_is_the_input(plan, tmp_path):
    link = tmp_path / "report.txt"
    link.symlink_to(plan)
    before = plan.read_bytes()
    refused(ccv("validate", "-f", "json", "-o", str(link), str(plan)))
    assert plan.read_bytes() == before


def test_dev_stdin_is_refused_when_standard_input_is_read(plan):
    before = plan.read_bytes()
    with open(plan, "rb") as stdin:
        line = refused(ccv("validate", "-o", "/dev/stdin", "-", stdin=stdin))
    assert "standard input" in line
    assert plan.read_bytes() == before


def test_dev_stdin_is_refused_even_through_a_pipe(plan):
    reader, writer = os.pipe()
    os.write(writer, plan.read_bytes())
    os.close(writer)
    with os.fdopen(reader, "rb") as stdin:
        refused(ccv("validate", "-o", "/dev/stdin", stdin=stdin))


def test_writing_the_report_to_dev_stdout_or_dev_null_still_works(plan):
    result = ccv("validate", "-f", "json", "-o", "/dev/stdout", str(plan))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["error"] == 0
    assert ccv("validate", "-o", "/dev/null", str(plan)).returncode == 0


def test_the_report_replaces_an_existing_file_whole_with_its_mode(plan, tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old " * 100_000)
    out.chmod(0o640)
    result = ccv("validate", "-f", "json", "-o", str(out), str(plan))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["summary"]["error"] == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ccv-")] == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("old report\n")

    with pytest.raises(UnicodeEncodeError):
        write_text(str(out), "half a report \udc80 never written")
    assert out.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_an_output_in_a_missing_directory_is_one_line(plan, tmp_path):
    result = ccv("validate", "-o", str(tmp_path / "no" / "such" / "report.txt"), str(plan))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"ccv: {tmp_path / 'no' / 'such' / 'report.txt'}: ")
    with pytest.raises(OutputError):
        write_text(str(tmp_path / "no" / "report.txt"), "x")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "-o", "{plan}/"),
        ("validate", "--write-baseline", "{plan}/"),
        ("graph", "-o", "{plan}/"),
        ("validate", "-o", "{plan}/."),
        ("validate", "-o", "{plan}/x/.."),
        ("fix", "-o", "{plan}/"),
    ],
)
def test_an_output_spelt_as_a_folder_never_reaches_the_plan(plan, args):
    # "plan.yaml/" resolves to plan.yaml: it used to pass the check and replace the plan
    before = plan.read_bytes()
    result = ccv(*(a.format(plan=plan) for a in args), str(plan))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert plan.read_bytes() == before


def test_the_config_file_and_the_baseline_are_inputs_too(plan, tmp_path):
    config = tmp_path / "ccv.yaml"
    config.write_text("ignore: []\n")
    baseline = tmp_path / "baseline.json"
    assert ccv("validate", "--write-baseline", str(baseline), str(plan)).returncode == 0
    kept = {path: path.read_bytes() for path in (config, baseline)}
    refused(ccv("validate", "--config", str(config), "-o", str(config), str(plan)))
    refused(ccv("fix", "--config", str(config), "-o", str(config), str(plan)))
    refused(ccv("validate", "--baseline", str(baseline), "-o", str(baseline), str(plan)))
    report = str(tmp_path / "r")
    both = ccv("validate", "-o", report, "--write-baseline", report, str(plan))
    assert both.returncode == 2 and "name the same file" in both.stderr
    assert all(path.read_bytes() == text for path, text in kept.items())


def test_every_file_read_is_bounded(plan):
    # /dev/zero as a plan to fix, a baseline or a config: refused at once, not read
    # until memory runs out
    for args in (("fix", "/dev/zero"), ("validate", "--baseline", "/dev/zero", str(plan))):
        result = ccv(*args)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    config = ccv("validate", "--config", "/dev/zero", str(plan))
    assert config.returncode == 2 and "config file" in config.stderr


def test_fix_write_needs_a_regular_file(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    result = ccv("fix", "--write", str(fifo))  # would block reading, and lose what it read
    assert result.returncode == 2 and "regular file" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_replaced_file_keeps_its_owner(plan, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("old\n")
    os.chown(report, 65534, 65534)  # nobody
    assert ccv("validate", "-o", str(report), str(plan)).returncode == 0
    st = report.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534) and report.read_text() != "old\n"
