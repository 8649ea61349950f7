"""Bounded loading: alias bombs, depth, items and bytes stop with exit 2 and one line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ccv_test_helpers import fixture, run
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import InputError, validate
from validator.load.json_loader import shape
from validator.load.limits import DEFAULT_LIMITS, LimitError

HERE = Path(__file__).resolve().parent / "fixtures"


def hostile(name: str) -> str:
    return str(HERE / name)


def _one_line(result) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("name", ["billion-laughs.yaml", "merge-bomb.yaml"])
def test_alias_bombs_are_refused_fast_naming_the_limit_and_how_to_raise_it(name):
    started = time.perf_counter()
    line = _one_line(run("validate", hostile(name)))
    assert time.perf_counter() - started < 2
    assert line.startswith(f"ccv: {hostile(name)}: aliases expand to ")
    assert "alias-nodes limit of 1,000,000" in line
    assert "--limit alias-nodes=N" in line and "limits: {alias-nodes: N}" in line


def test_a_recursive_alias_is_refused_at_its_position():
    line = _one_line(run("validate", hostile("recursive-alias.yaml")))
    assert line.startswith(f"ccv: {hostile('recursive-alias.yaml')}:3:7: an alias refers to")


def test_raising_the_alias_limit_lets_a_small_expansion_through(tmp_path):
    plan = tmp_path / "anchors.yaml"
    plan.write_text("version: 1\nx-a: &a [1, 2, 3, 4]\nx-b: [*a, *a, *a]\n")
    assert "alias-nodes" in _one_line(run("validate", "--limit", "alias-nodes=5", str(plan)))
    result = run("validate", "--limit", "alias-nodes=20", str(plan))
    assert result.exit_code == 1  # CCV100 findings, read in full
    assert "lacks the required key 'name'" in result.stdout


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_depth_past_the_limit_is_refused_in_both_formats(tmp_path, suffix):
    plan = tmp_path / f"deep{suffix}"
    plan.write_text('{"version": 1, "x-deep": ' + "[" * 70 + "]" * 70 + "}")
    line = _one_line(run("validate", str(plan)))
    assert "levels deep, past the depth limit of 64 levels of nesting" in line
    assert "--limit depth=N" in line
    assert run("validate", "--limit", "depth=80", str(plan)).exit_code == 1


def test_json_deeper_than_python_can_parse_is_a_depth_error(tmp_path):
    plan = tmp_path / "deeper.json"
    plan.write_text("[" * 100_000 + "]" * 100_000)
    line = _one_line(run("validate", "--limit", "depth=1000000", str(plan)))
    assert "depth limit" in line


def test_items_and_bytes_limits_from_the_config_file(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"version": 1, "x-list": list(range(50))}))
    config = tmp_path / ".ccv.yaml"
    config.write_text("limits:\n  items: 40\n")
    line = _one_line(run("validate", "--config", str(config), str(plan)))
    assert "52 values, past the items limit of 40" in line
    config.write_text("limits:\n  input-bytes: 100\n")
    line = _one_line(run("validate", "--config", str(config), str(plan)))
    assert "past the input-bytes limit of 100 bytes" in line
    # the command line goes on top of the file
    assert run("validate", "--config", str(config), "--limit", "input-bytes=1000", str(plan))


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("depth=x", "limit depth must be a whole number from 1, not 'x'"),
        ("depth=0", "limit depth must be a whole number from 1"),
        ("nodes=5", "unknown limit 'nodes'; limits are input-bytes, depth, items, alias-nodes"),
        ("depth", "write it as NAME=N"),
    ],
)
def test_bad_limit_options_are_usage_errors(option, message):
    line = _one_line(run("validate", "--limit", option, fixture("valid.yaml")))
    assert message in line


def test_bad_limits_in_the_config_file_are_usage_errors(tmp_path):
    config = tmp_path / ".ccv.yaml"
    config.write_text("limits: {depth: -3}\n")
    line = _one_line(run("validate", "--config", str(config), fixture("valid.yaml")))
    assert "limits: limit depth must be a whole number from 1, not -3" in line


def test_dev_zero_stops_at_the_first_block():
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    expected = "ccv: /dev/zero: binary file (NUL bytes); expected a YAML or JSON topology\n"
    assert result.stderr == expected
    assert time.perf_counter() - started < 10


def test_endless_text_stops_one_byte_past_the_input_limit(tmp_path):
    result = subprocess.run(
        ["sh", "-c", f"yes | {sys.executable} -m validator validate --limit input-bytes=1000000 -"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("ccv: <stdin>: more than 1,000,000 bytes, past the input-bytes")


def test_the_library_takes_the_same_limits():
    with pytest.raises(LimitError) as caught:
        validate(hostile("billion-laughs.yaml"))
    assert isinstance(caught.value, InputError)
    assert caught.value.limit_name == "alias-nodes"
    with pytest.raises(LimitError):
        validate(fixture("valid.yaml"), limits={"depth": 2})


def test_defaults_leave_room_for_a_million_ranges():
    assert DEFAULT_LIMITS.input_bytes >= 4 * 55_000_000  # bench/generate.py: 55 MB of JSON
    assert DEFAULT_LIMITS.items >= 4 * 3_314_361  # its values, counted by shape()
    assert DEFAULT_LIMITS.depth >= 8


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{},"\\ab\n'),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


def _walk(value) -> tuple[int, int]:
    if isinstance(value, (dict, list)):
        children = list(value.values()) if isinstance(value, dict) else value
        measured = [_walk(c) for c in children]
        depth = 1 + max((d for d, _ in measured), default=0)
        return depth, (len(children) or 1) + sum(n for _, n in measured)
    return 0, 0


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_shape_read_off_the_text_equals_a_walk_of_the_data(value, indent):
    text = json.dumps(value, indent=1 if indent else None, ensure_ascii=indent)
    assert shape(text) == _walk(value)
