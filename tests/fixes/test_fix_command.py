"""`ccv fix`: the diff, --write (atomic, comments and layout kept), -o, rounds, exit status."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from validator import validate
from validator.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TYPICAL = ROOT / "examples" / "typical-mistakes.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def comments(text: str) -> list[str]:
    return re.findall(r"#.*", text)


def test_without_write_the_diff_is_printed_and_the_file_is_untouched(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    before = plan.read_bytes()
    result = run("fix", str(plan))
    assert result.exit_code == 1  # findings without a definite fix remain
    assert plan.read_bytes() == before
    assert result.stdout.startswith(f"--- a/{plan}\n+++ b/{plan}\n")
    assert "-    cidrs: [10.1.0.1/16, 169.254.0.0/16]" in result.stdout
    assert "+    cidrs: [10.1.0.0/16, 10.4.0.0/16]" in result.stdout
    assert re.search(r"ccv fix: 1\d fixes applied in 2 rounds", result.stderr)


def test_write_leaves_only_findings_without_a_definite_fix_and_every_comment(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    result = run("fix", "--write", str(plan))
    assert result.exit_code == 1
    text = plan.read_text("utf-8")
    original = TYPICAL.read_text("utf-8")
    assert comments(text) == comments(original)
    assert len(text.splitlines()) == len(original.splitlines())  # layout kept line for line
    report = validate(str(plan))
    assert report.findings and not [f for f in report.findings if f.fix]
    fixed_rules = {"CCV201", "CCV202", "CCV204", "CCV205", "CCV307", "CCV402", "CCV403"}
    assert not fixed_rules & {f.rule for f in report.findings}
    again = run("fix", str(plan))  # nothing left to apply
    assert again.stdout == "" and "0 fixes applied" in again.stderr


def test_output_writes_a_copy_and_exit_0_when_nothing_remains(tmp_path):
    plan = tmp_path / "vlan.yaml"
    plan.write_text(
        "version: 1\nname: v\nexchange: {asn: 64600}\npops: [{id: P1}]\nsites:\n"
        "  - id: a\n    cloud: onprem\n    asn: 65001\n    cidrs: ['10.1.0.0/16']\n"
        "    lines:\n"
        "      - {id: a1, pop: P1, bandwidth_mbps: 100, vlan: 100}  # first\n"
        "      - {id: a2, pop: P1, bandwidth_mbps: 100, vlan: 100}  # same VLAN\n",
        encoding="utf-8",
    )
    out = tmp_path / "fixed.yaml"
    before = plan.read_text("utf-8")
    result = run("fix", "-o", str(out), "--quiet", str(plan))
    assert plan.read_text("utf-8") == before
    assert result.stdout == ""
    fixed = out.read_text("utf-8")
    assert "vlan: 101}  # same VLAN" in fixed and "cidrs: ['10.1.0.0/16']" in fixed
    # only an info finding is left (a lone site has no peer): nothing at --fail-on error
    assert [f.rule for f in validate(str(out)).findings] == ["CCV507"]
    assert result.exit_code == 0


def test_json_keeps_its_indentation_and_key_order(tmp_path):
    plan = tmp_path / "plan.json"
    shutil.copy(FIXTURES / "to-fix.json", plan)
    result = run("fix", "--write", str(plan))
    text = plan.read_text("utf-8")
    data = json.loads(text)
    assert data["sites"][0]["cidrs"][0] == "10.1.0.0/16"  # host bits (CCV204)
    assert '\n    "version": 1,' in text  # four spaces, as written
    assert list(data) == ["version", "name", "exchange", "pops", "backbone", "sites"]
    assert not [f for f in validate(str(plan)).findings if f.fix]
    assert result.exit_code in (0, 1)


def test_write_and_output_together_are_a_usage_error(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    result = CliRunner().invoke(cli, ["fix", "--write", "-o", str(tmp_path / "x"), str(plan)])
    assert result.exit_code == 2 and "either --write or --output" in result.stderr


def test_outputs_are_written_like_validate_writes_its_report(tmp_path):
    # the same guarded writer as `ccv validate -o`: a new file gets the usual permissions
    # (not a temporary file's 0600), --write keeps the plan's mode and writes through a
    # symbolic link instead of replacing it
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    os.chmod(plan, 0o664)
    link = tmp_path / "current.yaml"
    link.symlink_to(plan.name)
    mask = os.umask(0o022)
    try:
        assert run("fix", "-q", "-o", str(tmp_path / "copy.yaml"), str(plan)).exit_code == 1
        assert stat.S_IMODE((tmp_path / "copy.yaml").stat().st_mode) == 0o644
        assert run("fix", "-q", "--write", str(link)).exit_code == 1
    finally:
        os.umask(mask)
    assert link.is_symlink() and plan.read_text() == (tmp_path / "copy.yaml").read_text()
    assert stat.S_IMODE(plan.stat().st_mode) == 0o664


def test_output_onto_another_name_of_the_plan_is_refused(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    before = plan.read_bytes()
    other = tmp_path / "fixed.yaml"
    os.link(plan, other)  # a hard link: the same file under another name
    result = CliRunner().invoke(cli, ["fix", "-o", str(other), str(plan)])
    assert result.exit_code == 2
    assert "ccv never writes to its inputs" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert plan.read_bytes() == before


def test_output_to_a_pipe_is_written_into_it_not_replaced(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(TYPICAL, plan)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "validator", "fix", "-q", "-o", str(fifo), str(plan)],
        capture_output=True,
        timeout=120,
    )
    received = reader.communicate(timeout=60)[0]
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe
    assert b"10.4.0.0/16" in received and received.startswith(b"#")


def test_an_unreadable_file_is_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["fix", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_help_teaches():
    text = run("fix", "--help").stdout
    for words in ("--write", "-o", "unified diff", "Exit status", "never changed without"):
        assert words in text
