"""CCV100–CCV103 on plans a user could have written, YAML and JSON alike."""

from __future__ import annotations

import pytest
from ccv_test_helpers import by_rule, fixture

from validator import validate


def _check(name: str):
    return validate(fixture(name))


def _at(finding) -> tuple[int, int]:
    return finding.location.line, finding.location.column


def test_valid_plans_have_no_findings_and_list_every_site():
    for name in ("valid.yaml", "valid.json"):
        report = _check(name)
        assert report.findings == []
        assert [s["id"] for s in report.sites] == ["dc-north", "dc-south"]
        assert report.sites[0]["lines"] == 2
        assert report.sites[0]["pops"] == ["AMS1", "AMS2"]


def test_every_schema_violation_is_reported_with_its_place():
    report = _check("schema-violations.yaml")
    found = {(f.path, _at(f)) for f in by_rule(report.findings, "CCV100")}
    assert found == {
        ("/pops/0/tier", (5, 34)),  # unknown key: located at the key
        ("/sites/0/cloud", (8, 12)),  # not one of the clouds
        ("/sites/0/asn", (9, 10)),  # an unquoted asdot ASN reads as a float
        ("/sites/0/cidrs", (10, 12)),  # a string, not a list
        ("/sites/0/lines/0", (12, 9)),  # lacks bandwidth_mbps
        ("/sites/0/lines/0/vlan", (12, 39)),  # not an integer
        ("/sites/1", (13, 5)),  # lacks asn
        ("/sites/1/bandwith_mbps", (16, 5)),  # typo
    }
    assert all(f.severity == "error" for f in report.findings)


def test_schema_messages_and_hints_teach_the_fix():
    findings = {f.path: f for f in _check("schema-violations.yaml").findings}
    assert "did you mean 'bandwidth_mbps'" in findings["/sites/1/bandwith_mbps"].hint
    assert findings["/sites/1/bandwith_mbps"].objects == ("dc-b",)
    assert 'quote asdot ASNs in YAML: asn: "64086.59905"' in findings["/sites/0/asn"].hint
    assert "did you mean 'aws'" in findings["/sites/0/cloud"].hint
    assert "lacks the required key 'asn'" in findings["/sites/1"].message
    assert findings["/sites/0/cidrs"].hint == 'write cidrs as a list: cidrs: ["10.1.0.0/16"]'


def test_json_violations_are_located_in_the_json_text():
    report = _check("schema-violations.json")
    found = {(f.path, _at(f)) for f in report.findings}
    assert ("/pops/0/tier", (5, 27)) in found
    assert ("/sites/0/cloud", (7, 29)) in found
    assert ("/sites/1/bandwith_mbps", (9, 6)) in found
    assert all(f.location.file.endswith("schema-violations.json") for f in report.findings)


def test_unsupported_version_names_the_supported_one():
    (finding,) = _check("version-2.yaml").findings
    assert finding.rule == "CCV100" and finding.path == "/version"
    assert "this ccv reads version 1" in finding.message


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty.yaml", "the file is empty"),
        ("comment-only.yaml", "the file is empty"),
        ("list-top.yaml", "the top level is a list"),
        ("scalar.yaml", "the top level is a string"),
        ("two-documents.yaml", "2 YAML documents"),
    ],
)
def test_a_top_level_that_is_not_one_mapping_is_ccv100(name, words):
    report = _check(name)
    (finding,) = report.findings
    assert finding.rule == "CCV100" and words in finding.message
    assert report.sites == [] and report.flows == []


def test_unknown_references_name_the_referencing_object():
    report = _check("unknown-reference.yaml")
    found = {(f.path, f.objects, _at(f)) for f in report.findings}
    assert found == {
        ("/backbone/0/b", ("AMS1--FRA1",), (8, 18)),
        ("/segments/0/sites/1", ("prod",), (10, 30)),
        ("/sites/0/lines/0/pop", ("dc-a-1",), (17, 27)),
        ("/flows/0/to", ("dc-a->dc-b",), (19, 22)),
    }
    line_ref = next(f for f in report.findings if f.path == "/sites/0/lines/0/pop")
    assert "did you mean AMS2, AMS1?" in line_ref.hint
    # the path, capacity and tier rules wait until references resolve (SPEC §8)
    assert report.sites == []


def test_duplicate_ids_per_kind_at_each_repetition():
    report = _check("duplicate-ids.yaml")
    found = {(f.path, f.objects) for f in report.findings}
    assert found == {
        ("/pops/2/id", ("AMS1",)),
        ("/backbone/1", ("AMS1--AMS2",)),  # two unnamed parallel links
        ("/sites/1/id", ("dc-a",)),
        ("/sites/1/lines/0/id", ("line-1",)),  # line ids are unique across sites
    }
    link = next(f for f in report.findings if f.path == "/backbone/1")
    assert "add `id:`" in link.hint


@pytest.mark.parametrize("name", ["duplicate-keys.yaml", "duplicate-keys.json"])
def test_duplicate_keys_are_reported_at_the_repetition(name):
    report = _check(name)
    cidrs = next(f for f in report.findings if f.path == "/sites/0/cidrs")
    assert cidrs.rule == "CCV103" and cidrs.objects == ("dc-a",)
    assert "only the last value would be kept" in cidrs.message
    expected = (9, 5) if name.endswith(".yaml") else (7, 32)
    assert _at(cidrs) == expected


def test_schema_errors_do_not_stop_reference_and_duplicate_checks(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: mixed\nexchange: {asn: 64600}\npops: [{id: P1}]\n"
        "sites:\n  - {id: a, cloud: onprem, asn: 65001, cidrs: [10.0.0.0/8], colour: red,\n"
        "     lines: [{id: l1, pop: P9, bandwidth_mbps: 10}]}\n"
    )
    rules = sorted(f.rule for f in validate(str(plan)).findings)
    assert rules == ["CCV100", "CCV101"]


def test_secrets_never_appear_in_the_report():
    report = _check("valid.yaml")
    assert "s3cr3t-md5" not in report.to_json()


def test_non_text_yaml_keys_are_unknown_keys_not_crashes(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("version: 1\nname: x\n1: y\nexchange: {asn: 64600}\nsites: []\n")
    (finding,) = validate(str(plan)).findings
    assert finding.rule == "CCV100" and finding.path == "/1"
    assert "unknown key '1'" in finding.message


def test_schema_messages_name_the_owner_and_hints_do_not_lead_into_another_error():
    findings = {f.path: f for f in _check("wrong-shapes.yaml").findings if f.rule == "CCV100"}
    # top-level keys belong to the plan and exchange keys to the exchange, never "x of x"
    assert findings["/sla_target"].message == "sla_target 101 of the plan must be at most 100"
    assert findings["/exchange/asn"].message == "asn [64600] of the exchange is not an AS number"
    # pops is a list of mappings: `pops: ["HKG1"]` would only trade one CCV100 for another
    assert findings["/pops"].message == 'pops of the plan must be a list, not a string ("HKG1")'
    assert findings["/pops"].hint == (
        "write pops as a list of mappings, one per item (see `ccv schema`)"
    )
    # an entry of a list: `quote it: cidrs: "42"` would make cidrs a string, not a list
    entry = findings["/sites/0/cidrs/1"]
    assert entry.message == ("an entry of cidrs of site dc-a must be a string, not an integer (42)")
    assert entry.hint == "each entry of cidrs must be a string; see `ccv schema`"
    # an empty entry is "empty", once: not "must be not empty", and no CCV101 on top
    empty = [f for f in _check("wrong-shapes.yaml").findings if f.path == "/segments/0/sites/1"]
    assert [(f.rule, f.message) for f in empty] == [
        ("CCV100", "an entry of sites of segment prod is empty")
    ]
