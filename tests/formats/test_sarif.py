"""The SARIF format: valid against the official 2.1.0 schema, and a faithful view of the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.formats.helpers import FIXTURES, example, report_of, run
from validator import __version__, validate
from validator.formats import RenderOptions, render
from validator.formats.sarif import FINGERPRINT_KEY, artifact_location, level
from validator.rules.registry import all_rules

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))
# This copy of the schema (from the project's reference folder) keeps the log's own rules in
# definitions/Root and none at the top level, where a log would pass unchecked; so validate
# against Root (test_the_schema_rejects_a_broken_log proves the validator has teeth).
VALIDATOR = jsonschema.Draft7Validator({**SCHEMA, "$ref": "#/definitions/Root"})


def sarif(report) -> dict:
    """Render ``report`` as SARIF, check it against the schema, and parse it."""
    text = render(report, "sarif")
    assert text.endswith("}\n")
    log = json.loads(text)
    errors = list(VALIDATOR.iter_errors(log))
    assert not errors, [f"{e.message} at {list(e.absolute_path)}" for e in errors[:3]]
    return log


def test_the_vendored_schema_is_sarif_2_1_0():
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert SCHEMA["$id"].endswith("sarif-schema-2.1.0.json")
    assert SCHEMA["definitions"]["Root"]["properties"]["version"]["enum"] == ["2.1.0"]
    assert "properties" not in SCHEMA  # hence the $ref to definitions/Root above
    jsonschema.Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda log: log["runs"][0]["results"][0].update(level="fatal"),
        lambda log: log.pop("version"),
        lambda log: log["runs"][0]["tool"]["driver"].pop("name"),
        lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "region"
        ].update(startLine=0),
        lambda log: log["runs"][0]["results"][0].update(fingerprint="x"),
    ],
)
def test_the_schema_rejects_a_broken_log(typical, breakage):
    log = json.loads(render(typical, "sarif"))
    assert not list(VALIDATOR.iter_errors(log))
    breakage(log)
    assert list(VALIDATOR.iter_errors(log))


@pytest.mark.parametrize("name", ["typical-mistakes.yaml", "three-clouds.yaml", "malformed.yaml"])
def test_examples_are_valid_sarif(name):
    log = sarif(report_of(example(name)))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_driver_lists_every_registered_rule(clean):
    driver = sarif(clean)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "ccv"
    assert driver["version"] == __version__
    assert "informationUri" not in driver
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.id for r in rules]
    by_id = {r["id"]: r for r in driver["rules"]}
    overlap = by_id["CCV201"]
    assert overlap["name"] == "cidr-overlap"
    assert overlap["defaultConfiguration"]["level"] == "error"
    assert by_id["CCV206"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["CCV506"]["defaultConfiguration"]["level"] == "note"
    unused = next(r for r in rules if r.id == "CCV506")
    assert by_id["CCV506"]["shortDescription"]["text"] == unused.summary
    assert by_id["CCV506"]["fullDescription"]["text"] == unused.explanation
    assert by_id["CCV506"]["help"]["text"].endswith(f"Hint: {unused.hint}")


def test_results_follow_the_findings(typical):
    log = sarif(typical)
    run_ = log["runs"][0]
    results = run_["results"]
    rules = run_["tool"]["driver"]["rules"]
    assert len(results) == len(typical.findings) == 6
    for res, finding in zip(results, typical.findings, strict=True):
        assert res["ruleId"] == finding.rule
        assert rules[res["ruleIndex"]]["id"] == finding.rule
        assert res["level"] == level(finding.severity)
        assert res["message"]["text"] == f"{finding.message} Hint: {finding.hint}"
        physical = res["locations"][0]["physicalLocation"]
        assert physical["region"] == {
            "startLine": finding.location.line,
            "startColumn": finding.location.column,
        }
        assert res["properties"]["path"] == finding.path
        assert res["properties"]["objects"] == list(finding.objects)
    levels = [r["level"] for r in results]
    assert (levels.count("error"), levels.count("warning"), levels.count("note")) == (3, 2, 1)
    assert run_["properties"]["summary"] == {"error": 3, "warning": 2, "info": 1}


def test_result_level_is_the_effective_severity():
    report = report_of(example("typical-mistakes.yaml"), severity={"CCV506": "error"})
    run_ = sarif(report)["runs"][0]
    result = next(r for r in run_["results"] if r["ruleId"] == "CCV506")
    assert result["level"] == "error"
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["defaultConfiguration"] == {
        "level": "note"
    }


def test_relative_paths_stay_relative_under_a_base_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    shutil.copy(example("typical-mistakes.yaml"), tmp_path / "plans" / "typical mistakes.yaml")
    result = run("validate", "--format", "sarif", "./plans/typical mistakes.yaml")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert not list(VALIDATOR.iter_errors(log))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "plans/typical%20mistakes.yaml",
        "uriBaseId": "EXECUTIONROOT",
    }
    assert "EXECUTIONROOT" in log["runs"][0]["originalUriBaseIds"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("examples/a.yaml", {"uri": "examples/a.yaml", "uriBaseId": "EXECUTIONROOT"}),
        ("./a/b.yaml", {"uri": "a/b.yaml", "uriBaseId": "EXECUTIONROOT"}),
        ("dir\\plan #1.yaml", {"uri": "dir/plan%20%231.yaml", "uriBaseId": "EXECUTIONROOT"}),
        ("/srv/p q.yaml", {"uri": "file:///srv/p%20q.yaml"}),
        ("C:\\plans\\a.yaml", {"uri": "file:///C:/plans/a.yaml"}),
        ("<stdin>", {"uri": "%3Cstdin%3E"}),
    ],
)
def test_artifact_locations(name, expected):
    assert artifact_location(name) == expected


def test_standard_input_gets_a_placeholder_uri():
    result = run("validate", "--format", "sarif", "-", input="version: 1\n")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert not list(VALIDATOR.iter_errors(log))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"%3Cstdin%3E"}


def test_partial_fingerprints_are_the_findings_fingerprints(tmp_path):
    plan = (FIXTURES / "escaping.yaml").read_text("utf-8")
    target = tmp_path / "plan.yaml"
    target.write_text("# a comment above\n" + plan, "utf-8")
    before = report_of(str(FIXTURES / "escaping.yaml"))
    after = report_of(str(target))
    assert after.findings[0].location.line == before.findings[0].location.line + 1
    prints = [r["partialFingerprints"] for r in sarif(after)["runs"][0]["results"]]
    assert prints == [{FINGERPRINT_KEY: f.fingerprint} for f in before.findings]


def test_findings_at_one_place_have_distinct_fingerprints():
    report = validate({"version": 1})
    assert [f.rule for f in report.findings] == ["CCV100"] * 3
    prints = [
        r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif(report)["runs"][0]["results"]
    ]
    assert len(set(prints)) == 3


def test_message_with_special_characters_survives(escaping):
    result = sarif(escaping)["runs"][0]["results"][0]
    assert result["ruleId"] == "CCV103"
    assert "x-50%,a:b\nc|<b>*d*</b>" in result["message"]["text"]


def test_notes_are_kept_in_run_properties(clean):
    run_ = sarif(clean)["runs"][0]
    assert run_["results"] == []
    assert run_["properties"]["notes"] == clean.notes
    assert clean.notes


def test_output_is_deterministic(typical, typical_example):
    assert render(typical, "sarif") == render(typical, "sarif", RenderOptions(color=True))
    again = report_of(example("typical-mistakes.yaml"))
    assert render(typical_example, "sarif") == render(again, "sarif")


def test_cli_exit_status_and_output():
    bad = run("validate", "--format", "sarif", example("typical-mistakes.yaml"))
    good = run("validate", "--format", "sarif", example("three-clouds.yaml"))
    assert (bad.exit_code, good.exit_code) == (1, 0)
    assert json.loads(bad.stdout)["runs"][0]["results"]  # findings, as the exit status says
    assert json.loads(good.stdout)["runs"][0]["results"] == []


@pytest.mark.parametrize(
    "plan", ["tests/foundation/fixtures/valid.yaml", "examples/typical-mistakes.yaml"]
)
def test_the_log_written_result_by_result_is_one_indented_dump(plan):
    """The pieces ccv writes (one per result) make the bytes of one json.dumps(indent=2)."""
    from validator.config import Settings
    from validator.engine import validate_documents
    from validator.formats.sarif import chunks, to_sarif
    from validator.load.document import load_document

    root = Path(__file__).resolve().parents[2]
    report = validate_documents([load_document(str(root / plan), "auto")], Settings(), False)
    whole = json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
    assert "".join(chunks(report, RenderOptions())) == whole
