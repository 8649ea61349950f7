"""The rule registry holds SPEC §4's whole catalog; docs/rules.md is generated from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ccv_test_helpers import run

from validator.formats import render
from validator.report import Report
from validator.rules.docs import rules_markdown
from validator.rules.registry import FAMILIES, all_rules

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_is_well_formed():
    """Ids, names and severities are pinned by docs/rules.md (generated, and compared below):
    a rule renamed, dropped or re-graded shows there. Here: what every entry must be."""
    rules = all_rules()
    ids = [r.id for r in rules]
    assert ids == sorted(set(ids)) and len(ids) >= 40
    for entry in rules:
        assert re.fullmatch(r"CCV[1-7]\d\d", entry.id), entry.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name), entry.name
        assert entry.severity in ("error", "warning", "info")
        assert entry.stage in ("input", "object", "graph")
    assert len({r.name for r in rules}) == len(rules)
    assert {r.id for r in rules if r.stage == "input"} == {"CCV100", "CCV101", "CCV102", "CCV103"}


def test_every_rule_has_summary_hint_and_explanation():
    for entry in all_rules():
        assert entry.summary and entry.hint, entry.id
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
