"""End to end: the real `ccv` console script and `python -m validator` in fresh processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_python_dash_m_validator_runs_an_example():
    done = _run(sys.executable, "-m", "validator", "validate", "examples/three-clouds.yaml")
    assert done.returncode == 0, done.stderr
    assert "no findings" in done.stdout.splitlines()[-1]


@pytest.mark.skipif(shutil.which("ccv") is None, reason="the ccv console script is not installed")
def test_console_script_reads_stdin_and_exits_1_on_findings():
    text = (ROOT / "examples" / "malformed.yaml").read_text()
    done = _run("ccv", "validate", "--format", "json", "-", stdin=text)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["inputs"] == ["<stdin>"] and report["summary"]["error"] >= 1


def test_unreadable_input_gives_one_line_and_exit_2_without_traceback():
    done = _run(sys.executable, "-m", "validator", "validate", "examples")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
