"""Values YAML/JSON can express but Python cannot hold or print: a located CCV100 finding
or a located exit-2 input error, never an internal error."""

from __future__ import annotations

import json

import pytest
from ccv_test_helpers import run

PLAN = """\
version: 1
name: {name}
exchange: {{asn: 64600}}
pops: [{{id: hkg1, metro: hkg}}, {{id: sin1, metro: sin}}]
sites: []
backbone:
  - {{a: hkg1, b: sin1, latency_ms: {latency}, capacity_mbps: 1000}}
"""


def _input_error(result) -> str:
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.splitlines()) == 1
    assert "internal error" not in result.stderr
    return result.stderr.rstrip("\n")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("!!int abc", '2:7: the value "abc" cannot be read as an integer'),
        ("!!float abc", '2:7: the value "abc" cannot be read as a number'),
        ("!!timestamp 2001-02-30", '2:7: the value "2001-02-30" cannot be read as a date or time'),
        ("9" * 5000, "2:7: an integer too long to read (Python reads up to 4,300 digits)"),
        ("!!int " + "1" * 5000, "2:7: an integer too long to read"),
    ],
)
def test_yaml_values_python_cannot_hold_are_located_input_errors(tmp_path, name, message):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name=name, latency=10))
    line = _input_error(run("validate", str(plan)))
    assert line.startswith(f"ccv: {plan}:{message}")
    assert line.endswith("correct the value, or quote it to make it text")


def test_a_json_number_of_5000_digits_is_a_located_input_error(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text('{"version": 1,\n "x-n": ' + "7" * 5000 + "}")
    line = _input_error(run("validate", str(plan)))
    assert line.startswith(f"ccv: {plan}:2:9: a number of 5,000 digits, too long to read")


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d x"])
def test_a_lone_surrogate_escape_in_json_is_a_located_input_error(tmp_path, escape):
    plan = tmp_path / "plan.json"
    plan.write_text('{"version": 1,\n  "name": "a' + escape + '"}')
    line = _input_error(run("validate", str(plan)))
    assert line.startswith(f"ccv: {plan}:2:13: the escape \\")
    assert "half of a UTF-16 surrogate pair" in line


def test_a_whole_surrogate_pair_is_a_character(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text('{"version": 1, "name": "\\ud83d\\ude00"}')
    assert run("validate", str(plan)).exit_code == 1  # CCV100: no exchange, ...


def test_a_control_character_in_yaml_is_one_located_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"version: 1\nname: a\x01b\n")
    line = _input_error(run("validate", str(plan)))
    assert line == (
        f"ccv: {plan}:2:8: not valid YAML: the character U+0001 is not allowed "
        "(control characters are not allowed); remove it"
    )


@pytest.mark.parametrize(
    ("latency", "shown"),
    [(".nan", "NaN"), (".inf", "Infinity"), ("-.inf", "-Infinity"), ("1.0e+999", "Infinity")],
)
def test_non_finite_yaml_numbers_are_ccv100_at_the_value(tmp_path, latency, shown):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name="demo", latency=latency))
    report = json.loads(run("validate", "--format", "json", str(plan)).stdout)
    (finding,) = report["findings"]
    assert finding["rule"] == "CCV100"
    assert finding["location"] == {"file": str(plan), "line": 7, "column": 36}
    assert finding["message"] == (
        f"latency_ms of link hkg1--sin1 must be a finite number, not {shown}"
    )
    assert finding["hint"] == "write latency_ms as a finite number"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_numbers_are_ccv100(tmp_path, number):
    plan = tmp_path / "plan.json"
    plan.write_text(
        '{"version": 1, "name": "d", "exchange": {"asn": 64600}, "sites": [], '
        '"pops": [{"id": "a", "metro": "hkg"}, {"id": "b", "metro": "sin"}], '
        f'"backbone": [{{"a": "a", "b": "b", "capacity_mbps": {number}}}]}}'
    )
    result = run("validate", "--format", "json", str(plan))
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "CCV100"
    assert "capacity_mbps of link a--b must be a finite number" in finding["message"]


def test_sla_measure_with_a_nan_latency_in_the_topology_is_a_located_error(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name="demo", latency=".nan"))
    probes = tmp_path / "probes.csv"
    probes.write_text(
        "timestamp,pop_a,pop_b,size,sent,received,rtt_ms\n"
        "2026-02-01T00:00:05Z,hkg1,sin1,64,100,100,31.9\n"
    )
    result = run("sla", "measure", str(probes), "--topology", str(plan))
    assert result.exit_code == 2
    assert f"{plan}:7:36: latency_ms NaN of link hkg1--sin1 is not a finite number" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "args",
    [
        ["sla", "classify", "--committed-latency", "1e999999999", "--measured-latency", "36"],
        ["sla", "credit", "--tier", "single-protected", "--availability", "99.5",
         "--monthly-fee", "1E+999999999999"],
        ["sla", "credit", "--tier", "single-protected", "--availability", "99.5",
         "--monthly-fee", "9" * 5000],
        ["sla", "classify", "--committed-latency", "32", "--measured-latency", "1e-999999"],
    ],
)  # fmt: skip
def test_absurd_sla_numbers_are_usage_errors_at_once(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "is out of range; ccv takes numbers from 1e-15 to 1e15" in result.stderr or (
        "too long for a number" in result.stderr
    )


def _outages(tmp_path, text: str, suffix: str = ".json"):
    path = tmp_path / f"outages{suffix}"
    path.write_text(text)
    return run(
        "sla", "credit", "--tier", "single-protected", "--outages", str(path), "--month", "2026-02"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply to read"),
        ("[" + "1" * 5000 + "]", "a number too long to read"),
        ('[{"site": "a", "start": ' + "1" * 5000 + ', "end": "x", "cause": "x"}]',
         "a number too long to read"),
        ('[{"site": "a", "start": NaN, "end": "x", "cause": "x"}]',
         "start must be a string, not NaN"),
        ('[{"site": "a", "start": "9999-12-31T23:59:59-14:00", "end": "x", "cause": "x"}]',
         "in UTC it falls outside the years 1 to 9999"),
        ('[{"site": "a", "start": "0001-01-01T00:00:00+14:00", "end": "x", "cause": "x"}]',
         "in UTC it falls outside the years 1 to 9999"),
    ],
)  # fmt: skip
def test_hostile_outage_records_are_one_clear_error(tmp_path, text, message):
    result = _outages(tmp_path, text)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_probe_count_of_5000_digits_is_one_clear_error(tmp_path):
    probes = tmp_path / "probes.csv"
    probes.write_text(
        "timestamp,pop_a,pop_b,size,sent,received,rtt_ms\n"
        f"2026-02-01T00:00:05Z,hkg1,sin1,64,{'1' * 5000},100,31.9\n"
    )
    result = run("sla", "measure", str(probes))
    assert result.exit_code == 2
    assert "sent '1111111111111111111111111111111111111...' is not a whole number below 10^18" in (
        result.stderr
    )


def test_a_timestamp_tag_on_text_that_is_no_time_is_located(tmp_path):
    # PyYAML's constructor fails with an AttributeError here, not a ValueError
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name="!!timestamp 2001-02-30HKG1", latency=1))
    line = _input_error(run("validate", str(plan)))
    assert line.startswith(f'ccv: {plan}:2:7: the value "2001-02-30HKG1" cannot be read as a date')
