"""Fuzzing the command line with hostile inputs built from every shipped example.

Every run must: exit 0, 1 or 2; print no traceback and no "internal error"; give a JSON
report valid against schemas/report.schema.json; give the same bytes when run again
(in-process, and through the installed console script under another PYTHONHASHSEED,
TZ and working directory); show the planted secret in no output of any format; and
leave the input's bytes and modification time as they were.

CI runs a few hundred inputs (derandomized, under a minute). More, locally:

    CCV_FUZZ_EXAMPLES=5000 python -m pytest -q tests/fuzz

(each test then tries that many inputs, with fresh random ones every run; the test that
starts the console script twice per input tries a tenth of them).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.mutations import (
    ROOT,
    SECRET,
    SECRET_INT,
    hostile_records,
    hostile_topology,
    number_texts,
)
from validator.cli import cli
from validator.formats import FORMATS
from validator.load.document import InputError, parse_document
from validator.redaction import sensitive_keys
from validator.sla.tables import tier_ids

LOCAL = int(os.environ.get("CCV_FUZZ_EXAMPLES", "0"))
REPORT_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schemas" / "report.schema.json").read_text("utf-8"))
)
FIXED_MTIME = 1_500_000_000  # 2017-07-14: any change by ccv would show


def fuzz_settings(ci_examples: int, share: int = 1):
    """Hypothesis settings: ``ci_examples`` derandomized inputs, or CCV_FUZZ_EXAMPLES (divided
    by ``share``, for the tests that start processes) random ones."""
    return settings(
        max_examples=max(ci_examples, LOCAL // share) if LOCAL else ci_examples,
        derandomize=not LOCAL,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fail (instead of hanging the suite) when one run takes longer than ``seconds``."""

    def expired(signum, frame):
        raise TimeoutError(f"ccv ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def invoke(args: list[str]) -> tuple[int, str, str]:
    """``ccv ARGS`` in-process: (exit status, stdout, stderr). An exception escaping the
    command (what the console script reports as an internal error) fails the test."""
    with time_limit(20):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write_input(folder: Path, name: str, raw: bytes) -> Path:
    path = folder / name
    path.write_bytes(raw)
    os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return path


def assert_untouched(path: Path, raw: bytes) -> None:
    assert path.read_bytes() == raw, "ccv changed its input"
    assert path.stat().st_mtime == FIXED_MTIME, "ccv touched its input"


def assert_clean_exit(status: int, stdout: str, stderr: str, one_line: bool = True) -> None:
    assert status in (0, 1, 2), (status, stderr)
    for stream in (stdout, stderr):
        assert "Traceback" not in stream, stream
        assert "internal error" not in stream, stream
    if status == 2 and one_line:
        assert len(stderr.splitlines()) == 1, stderr


def _secret_only_under_its_key(data: object) -> bool:
    """True when the planted secret appears in ``data`` only as the value of a sensitive
    key: a mutation can move it elsewhere (a cut turning it into a key), and then it is
    an ordinary value that messages may quote."""
    keys = sensitive_keys()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if SECRET in str(key) or str(SECRET_INT) in str(key):
                    return False
                if key not in keys:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
        elif (
            isinstance(node, str)
            and (SECRET in node or str(SECRET_INT) in node)
            or isinstance(node, int)
            and str(SECRET_INT) in repr(node)[:40]
        ):
            return False
    return True


def secret_must_stay_hidden(name: str, raw: bytes) -> bool:
    try:
        document = parse_document(name, raw)
    except InputError:
        return True  # an input error must not quote it either
    return _secret_only_under_its_key(document.data)


def assert_no_secret(*streams: str) -> None:
    for stream in streams:
        assert SECRET not in stream
        assert str(SECRET_INT) not in stream


def assert_valid_report(stdout: str) -> None:
    report = json.loads(stdout)
    errors = list(REPORT_SCHEMA.iter_errors(report))
    assert not errors, errors[0].message


def assert_well_formed(fmt: str, stdout: str) -> None:
    """The report parses as what its format says it is."""
    if fmt == "json":
        assert_valid_report(stdout)
    elif fmt == "sarif":
        assert json.loads(stdout)["version"] == "2.1.0"
    elif fmt == "junit":
        assert ElementTree.fromstring(stdout).tag == "testsuites"


@fuzz_settings(ci_examples=150)
@given(hostile_topology(), st.sampled_from([*sorted(FORMATS), "graph mermaid", "graph dot"]))
def test_hostile_topologies_in_process(tmp_path_factory, plan, fmt):
    name, raw = plan
    path = write_input(tmp_path_factory.mktemp("fuzz"), name, raw)
    if fmt.startswith("graph"):
        args = ["graph", "--format", fmt.split()[1], str(path)]
    else:
        args = ["validate", "--format", fmt, "--no-color", str(path)]
    status, stdout, stderr = invoke(args)
    assert_clean_exit(status, stdout, stderr)
    if status == 2 and args[0] == "validate":
        assert stderr.startswith("ccv: "), stderr
    if status != 2:
        assert_well_formed(fmt, stdout)
    if secret_must_stay_hidden(name, raw):
        assert_no_secret(stdout, stderr)
    assert invoke(args) == (status, stdout, stderr), "a second run gave other bytes"
    assert_untouched(path, raw)


@fuzz_settings(ci_examples=40)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode)))
def test_random_bytes(tmp_path_factory, raw):
    for name in ("plan.yaml", "plan.json", "plan"):
        path = write_input(tmp_path_factory.mktemp("bytes"), name, raw)
        status, stdout, stderr = invoke(["validate", "--format", "json", str(path)])
        assert_clean_exit(status, stdout, stderr)
        if status != 2:
            assert_valid_report(stdout)
        assert_untouched(path, raw)


def _console_script() -> str:
    found = shutil.which("ccv", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the ccv console script is not installed next to this Python")
    return found


def _run_script(args: list[str], env_extra: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TZ", "LC_"))}
    env.update(env_extra)
    result = subprocess.run(
        [_console_script(), *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )
    stdout = result.stdout.decode("utf-8")  # never anything but UTF-8
    stderr = result.stderr.decode("utf-8")
    return result.returncode, stdout, stderr


@fuzz_settings(ci_examples=12, share=10)
@given(hostile_topology(), st.sampled_from(sorted(FORMATS)))
def test_the_console_script_gives_the_same_bytes_anywhere(tmp_path_factory, plan, fmt):
    name, raw = plan
    folder = tmp_path_factory.mktemp("script")
    path = write_input(folder, name, raw)
    args = ["validate", "--format", fmt, "--no-color", str(path)]
    first = _run_script(args, {"PYTHONHASHSEED": "0", "TZ": "UTC"}, folder)
    second = _run_script(
        args, {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati", "LC_ALL": "C"}, Path("/")
    )
    assert_clean_exit(*first)
    if first[0] != 2:
        assert_well_formed(fmt, first[1])
    if secret_must_stay_hidden(name, raw):
        assert_no_secret(first[1], first[2])
    assert first == second, "output depends on the hash seed, time zone, locale or folder"
    assert_untouched(path, raw)


@fuzz_settings(ci_examples=60)
@given(
    st.sampled_from(["outages", "probes"]).flatmap(
        lambda kind: st.tuples(st.just(kind), hostile_records(kind))
    ),
    st.sampled_from(tier_ids()),
    st.sampled_from(["text", "json"]),
)
def test_hostile_sla_records(tmp_path_factory, case, tier, fmt):
    kind, (name, raw) = case
    path = write_input(tmp_path_factory.mktemp("sla"), name, raw)
    if kind == "outages":
        args = ["sla", "credit", "--tier", tier, "--outages", str(path), "--month", "2026-02"]
    else:
        args = ["sla", "measure", str(path), "--topology", str(ROOT / "examples/sla/plan.yaml")]
    args += ["--format", fmt]
    status, stdout, stderr = invoke(args)
    assert_clean_exit(status, stdout, stderr, one_line=False)
    if status == 0 and fmt == "json":
        json.loads(stdout)
    assert invoke(args) == (status, stdout, stderr)
    assert_untouched(path, raw)


@fuzz_settings(ci_examples=60)
@given(
    st.sampled_from(["classify", "credit", "budget"]),
    number_texts(),
    number_texts(),
    st.sampled_from(tier_ids()),
    st.sampled_from(["2026-02", "0000-01", "9999-12", "2026-13", "1900-01", ""]),
)
def test_absurd_numbers_on_the_sla_command_line(command, one, two, tier, month):
    if command == "classify":
        args = ["sla", "classify", f"--committed-latency={one}", f"--measured-latency={two}"]
        args += [f"--measured-loss={two}"]
    elif command == "credit":
        args = ["sla", "credit", "--tier", tier, f"--availability={one}", f"--monthly-fee={two}"]
    else:
        args = ["sla", "budget", "--tier", tier, f"--month={month}"]
    status, stdout, stderr = invoke(args)
    assert_clean_exit(status, stdout, stderr, one_line=False)
    assert status in (0, 2)
