"""The rule registry holds SPEC §4's whole catalog; docs/rules.md is generated from it."""

from __future__ import annotations

import json
from pathlib import Path

from ccv_test_helpers import run

from validator.formats import render
from validator.report import Report
from validator.rules.docs import rules_markdown
from validator.rules.registry import FAMILIES, all_rules

ROOT = Path(__file__).resolve().parents[2]

# SPEC §4: id, name, default severity.
CATALOG = """
CCV100 schema error; CCV101 unknown-reference error; CCV102 duplicate-id error;
CCV103 duplicate-key error; CCV201 cidr-overlap error; CCV202 cidr-duplicate error;
CCV203 cidr-self-overlap warning; CCV204 cidr-host-bits error; CCV205 cidr-special-purpose error;
CCV206 cidr-public warning; CCV207 cidr-cloud-limit error; CCV208 route-limit error;
CCV301 peering-subnet-mismatch error; CCV302 peering-address-invalid error;
CCV303 peering-duplicate error; CCV304 peering-overlap error; CCV305 peering-cidr-overlap error;
CCV306 peering-cloud-rule error; CCV307 vlan-conflict error; CCV401 asn-invalid error;
CCV402 asn-reserved error; CCV403 asn-duplicate error; CCV404 asn-cloud-rule error;
CCV405 asn-public warning; CCV406 asn-exchange-clash error; CCV501 site-no-line error;
CCV502 no-path error; CCV503 latency-budget error; CCV504 spof-link warning;
CCV505 spof-pop warning; CCV506 unused-object info; CCV507 site-isolated info;
CCV508 latency-unknown info; CCV509 flow-crosses-segments error; CCV601 site-over-capacity error;
CCV602 failover-capacity warning; CCV603 backbone-over-capacity error;
CCV604 bandwidth-not-orderable warning; CCV605 flows-exceed-site warning;
CCV701 sla-unreachable error; CCV702 sla-nonstandard-target warning;
CCV703 dual-without-backbone warning; CCV704 cloud-redundancy warning
"""


def test_registry_is_the_spec_catalog():
    expected = [tuple(entry.split()) for entry in CATALOG.replace("\n", " ").split(";")]
    assert [(r.id, r.name, r.severity) for r in all_rules()] == expected


def test_every_rule_has_summary_and_hint_and_checked_rules_explain_themselves():
    for entry in all_rules():
        assert entry.summary and entry.hint, entry.id
        if entry.implemented:
            assert len(entry.explanation) > 40, f"{entry.id} needs a docstring"


def test_docs_rules_md_is_generated_from_the_registry():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale: run `ccv rules --format markdown > docs/rules.md`"
    )


def test_rules_command_lists_and_explains():
    listing = run("rules").stdout.splitlines()
    assert len(listing) == len(all_rules())
    assert listing[0].startswith("CCV100  error    schema")
    explained = run("rules", "ccv103").stdout
    assert explained.startswith("CCV103 duplicate-key (error)")
    assert "Failing:" in explained
    unknown = run("rules", "CCV999")
    assert unknown.exit_code == 2 and "unknown rule id" in unknown.stderr


def test_rules_not_yet_checked_say_so():
    pending = [r for r in all_rules() if not r.implemented]
    listing = run("rules").stdout
    for entry in pending:
        assert f"{entry.id}" in listing
    assert listing.count("(not yet checked)") == len(pending)


def test_each_family_module_holds_exactly_the_rules_of_its_id_digit():
    """One module per family, the family read from the id: CCV306 lives in peering.py."""
    for entry in all_rules():
        module = entry.check.__module__.rsplit(".", 1)[-1]
        assert module == entry.family == FAMILIES[entry.id[3]][0], entry.id


def test_sarif_tags_name_the_family_of_the_id():
    log = json.loads(render(Report(inputs=["plan.yaml"]), "sarif"))
    tags = {r["id"]: r["properties"]["tags"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert tags["CCV306"] == ["ccv", "peering"] and tags["CCV207"] == ["ccv", "addressing"]
    assert tags["CCV404"] == ["ccv", "asns"] and tags["CCV604"] == ["ccv", "capacity"]
    assert tags["CCV704"] == ["ccv", "sla_fit"] and tags["CCV100"] == ["ccv", "input"]
