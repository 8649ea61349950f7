"""The `ccv` command line as a user meets it: formats, exit status, stdin, errors, tuning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ccv_test_helpers import FIXTURES, by_rule, fixture, run

from validator import __version__


def test_clean_plan_exits_0_with_a_summary_line():
    result = run("validate", fixture("valid.yaml"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "no findings: 0 errors, 0 warnings, 0 info (1 input)"
    assert "dc-north" in result.stdout  # the per-site table


def test_findings_exit_1_one_line_each_then_the_hint():
    result = run("validate", "--no-color", fixture("unknown-reference.yaml"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    first = f"{fixture('unknown-reference.yaml')}:8:18: error CCV101 unknown-reference: "
    assert lines[0].startswith(first)
    assert lines[1].startswith("    hint: ")
    assert lines[-1] == "4 errors, 0 warnings, 0 info (1 input)"


def test_json_format_is_the_report_and_is_byte_identical_across_runs():
    first = run("validate", "--format", "json", fixture("schema-violations.yaml"))
    second = run("validate", "--format", "json", fixture("schema-violations.yaml"))
    assert first.exit_code == 1
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["tool"] == {"name": "ccv", "version": __version__}
    assert report["summary"] == {"error": 8, "warning": 0, "info": 0}
    keys = [(f["location"]["line"], f["rule"]) for f in report["findings"]]
    assert keys == sorted(keys)


def test_standard_input_dash_and_no_file():
    text = (FIXTURES / "unknown-reference.yaml").read_text()
    for args in (["validate", "-"], ["validate"]):
        result = run(*args, "--format", "json", input=text)
        report = json.loads(result.stdout)
        assert result.exit_code == 1
        assert report["inputs"] == ["<stdin>"]
        assert report["findings"][0]["location"]["file"] == "<stdin>"


def test_json_on_standard_input_is_sniffed():
    text = (FIXTURES / "schema-violations.json").read_text()
    report = json.loads(run("validate", "-f", "json", "-", input=text).stdout)
    assert {f["path"] for f in report["findings"]} >= {"/pops/0/tier", "/sites/0/cidrs"}


@pytest.mark.parametrize(
    "name, words",
    [
        ("bad-syntax.yaml", "bad-syntax.yaml:5:1: not valid YAML"),
        ("bad-syntax.json", "bad-syntax.json:3:12: not valid JSON"),
        ("latin1.yaml", "not UTF-8 text"),
        ("picture.yaml", "binary file"),
        ("does-not-exist.yaml", "no such file"),
    ],
)
def test_unreadable_input_exits_2_with_one_line_and_no_traceback(name, words):
    result = run("validate", fixture(name))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert result.stderr.startswith("ccv: ")


def test_a_directory_exits_2():
    result = run("validate", str(FIXTURES))
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_empty_file_is_a_finding_not_a_crash():
    assert run("validate", fixture("empty.yaml")).exit_code == 1


def test_several_files_are_checked_one_by_one():
    result = run("validate", "-f", "json", fixture("valid.yaml"), fixture("version-2.yaml"))
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert len(report["inputs"]) == 2
    assert {s["input"] for s in report["sites"]} == {fixture("valid.yaml")}


def test_merge_checks_files_as_one_plan(tmp_path):
    carrier = tmp_path / "carrier.yaml"
    carrier.write_text(
        "version: 1\nname: carrier\nexchange: {asn: 64600}\npops: [{id: P1}]\nsites: []\n"
    )
    site = tmp_path / "site.yaml"
    site.write_text(
        "version: 1\nname: dc\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: dc, cloud: onprem, asn: 65001, cidrs: [10.0.0.0/16],\n"
        "     lines: [{id: dc-1, pop: P1, bandwidth_mbps: 10}]}\n"
    )
    alone = json.loads(run("validate", "-f", "json", str(site)).stdout)
    assert by_rule(alone["findings"], "CCV101")  # P1 is unknown without the carrier file
    merged = json.loads(run("validate", "-f", "json", "--merge", str(carrier), str(site)).stdout)
    assert not by_rule(merged["findings"], "CCV101")
    assert merged["sites"][0]["pops"] == ["P1"] and "input" not in merged["sites"][0]


def test_ignore_severity_and_fail_on():
    path = fixture("duplicate-keys.yaml")
    assert run("validate", path).exit_code == 1
    assert run("validate", "--ignore", "CCV103", path).exit_code == 0
    downgraded = run("validate", "-f", "json", "--severity", "CCV103=warning", path)
    assert downgraded.exit_code == 0
    assert json.loads(downgraded.stdout)["summary"] == {"error": 0, "warning": 2, "info": 0}
    assert (
        run("validate", "--severity", "CCV103=warning", "--fail-on", "warning", path).exit_code == 1
    )
    assert run("validate", "--severity", "ccv103=off", path).exit_code == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--ignore", "CCV999"], "unknown rule id 'CCV999'"),
        (["--severity", "CCV103=fatal"], "severity 'fatal'"),
        (["--severity", "CCV103"], "write it as ID=LEVEL"),
    ],
)
def test_bad_tuning_is_a_usage_error(args, words):
    result = run("validate", *args, fixture("valid.yaml"))
    assert result.exit_code == 2 and words in result.stderr


def test_unknown_rule_id_in_a_topology_ignore_list_is_a_usage_error():
    result = run("validate", fixture("unknown-ignore-id.yaml"))
    assert result.exit_code == 2
    assert "unknown-ignore-id.yaml:9:13: unknown rule id 'CCV999'" in result.stderr
    assert "site dc-a" in result.stderr


def test_per_object_ignore(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: p\nexchange: {asn: 64600}\npops: [{id: P1}]\nsites:\n"
        "  - id: a\n    cloud: onprem\n    asn: 65001\n    cidrs: [10.0.0.0/16]\n"
        "    lines:\n      - {id: a-1, pop: P9, bandwidth_mbps: 10, ignore: [CCV101]}\n"
        "      - {id: a-2, pop: P8, bandwidth_mbps: 10}\n"
    )
    report = json.loads(run("validate", "-f", "json", str(plan)).stdout)
    assert [f["objects"] for f in report["findings"]] == [["a-2"]]


def test_output_file_and_never_writing_an_input(tmp_path):
    out = tmp_path / "report.json"
    result = run("validate", "-f", "json", "-o", str(out), fixture("valid.yaml"))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["summary"]["error"] == 0
    plan = tmp_path / "plan.yaml"
    plan.write_text((FIXTURES / "valid.yaml").read_text())
    before = plan.read_bytes()
    refused = run("validate", "-o", str(plan), str(plan))
    assert refused.exit_code == 2 and "never writes to its inputs" in refused.stderr
    assert plan.read_bytes() == before


def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch):
    import sys

    from validator import cli as cli_module
    from validator.formats import RenderOptions, render

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module._use_color(no_color=False, output=None) is True
    assert cli_module._use_color(no_color=True, output=None) is False
    assert cli_module._use_color(no_color=False, output="report.txt") is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._use_color(no_color=False, output=None) is False

    from validator import validate

    report = validate(fixture("duplicate-keys.yaml"))
    assert "\x1b[31m" in render(report, "text", RenderOptions(color=True))
    assert "\x1b[" not in render(report, "text", RenderOptions(color=False))
    # through the command line (not a terminal): plain text
    assert "\x1b[" not in run("validate", fixture("duplicate-keys.yaml")).stdout


def test_quiet_prints_only_finding_lines():
    result = run("validate", "-q", fixture("duplicate-keys.yaml"))
    assert result.exit_code == 1
    assert all(" CCV103 " in line for line in result.stdout.splitlines())


def test_version_help_and_subcommand_help():
    assert run("--version").stdout.strip() == f"ccv, version {__version__}"
    for args in (
        ["--help"],
        ["validate", "--help"],
        ["rules", "--help"],
        ["schema", "--help"],
        ["sla", "--help"],
    ):
        result = run(*args)
        assert result.exit_code == 0 and "Usage: ccv" in result.stdout
    assert "Exit status" in run("validate", "--help").stdout


def test_rules_help_shows_every_way_to_call_it_and_each_example_runs():
    text = run("rules", "--help").stdout
    examples = [line.split("#")[0].split() for line in text.splitlines() if "  ccv rules" in line]
    assert len(examples) == 4  # the list, one rule, json, markdown
    for example in examples:
        assert run(*example[1:]).exit_code == 0, example


def test_schema_command_prints_the_shipped_schema():
    printed = json.loads(run("schema").stdout)
    shipped = json.loads((Path(__file__).parents[2] / "schemas/topology.schema.json").read_text())
    assert printed == shipped
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    report_schema = json.loads(run("schema", "report").stdout)
    assert report_schema["title"] == "ccv JSON report"


def test_usage_errors_exit_2():
    assert run("validate", "--format", "xml", fixture("valid.yaml")).exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_a_terraform_plan_is_read_as_a_plan():
    # real `terraform show -json` output (terraform-compliance's test suite, MIT): a VPC
    # 172.16.0.0/24 and two subnets inside it, linked only through `configuration`
    result = run("validate", "--format", "json", fixture("terraform-plan.json"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []


def _without_ignore(data: dict, path: tuple) -> dict:
    node = data
    for part in path:
        node = node[part]
    del node["ignore"]
    return data


@pytest.mark.parametrize(
    ("path", "rule"),
    [((), "CCV206"), (("segments", 0), "CCV101"), (("sites", 1, "lines", 0, "peering"), "CCV303")],
)
def test_ignore_lists_of_the_top_level_a_segment_and_a_peering_are_honoured(path, rule):
    # the schema accepts these three lists; they used to be dropped without a word
    from validator import validate

    name = fixture("ignore-everywhere.yaml")
    assert validate(name).findings == []
    data = yaml.safe_load(Path(name).read_text("utf-8"))
    assert [f.rule for f in validate(_without_ignore(data, path)).findings] == [rule]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "ignore: [CCV206]",
            "ignore: [CCV999]",
            ":5:9: unknown rule id 'CCV999' in the ignore list of the top level",
        ),
        ("ignore: [CCV101]", "ignore: [CCV999]", "in the ignore list of segment prod"),
        (
            "ignore: [CCV303]",
            "ignore: [CCV999]",
            "in the ignore list of the peering of line dc-b-1 of site dc-b",
        ),
    ],
)
def test_unknown_rule_id_in_any_ignore_list_is_a_usage_error(tmp_path, old, new, where):
    plan = tmp_path / "plan.yaml"
    plan.write_text(Path(fixture("ignore-everywhere.yaml")).read_text("utf-8").replace(old, new))
    result = run("validate", str(plan))
    assert result.exit_code == 2
    assert where in result.stderr
