"""Through the command line, across merged inputs, and at a scale where pairs matter."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.addressing.addr_helpers import FIXTURES
from validator import validate
from validator.cli import cli


def test_json_report_carries_range_findings_with_positions_and_hints():
    result = CliRunner().invoke(
        cli, ["validate", "--format", "json", str(FIXTURES / "cidr-overlap.yaml")]
    )
    assert result.exit_code == 1
    report = json.loads(result.output)
    overlap = [f for f in report["findings"] if f["rule"] == "CCV201"]
    assert overlap[0]["objects"] == ["aws-hk", "azure-sg"]
    assert overlap[0]["path"] == "/sites/1/cidrs/0"
    assert overlap[0]["location"]["line"] == 16
    assert overlap[0]["hint"].startswith("move 10.0.128.0/17 of site azure-sg")


def test_ignore_silences_a_range_rule():
    path = str(FIXTURES / "cidr-overlap.yaml")
    assert "CCV201" in CliRunner().invoke(cli, ["validate", path]).output
    result = CliRunner().invoke(cli, ["validate", "--ignore", "CCV201", path])
    assert result.exit_code in (0, 1)
    assert "CCV201" not in result.output


def test_merged_inputs_locate_the_overlap_in_the_later_document():
    report = validate(
        str(FIXTURES / "merge-b.yaml"),
        str(FIXTURES / "merge-a.yaml"),
        merge=True,
    )
    found = [f for f in report.findings if f.rule == "CCV201"]
    assert len(found) == 1
    assert found[0].location.file.endswith("merge-a.yaml")  # merge-a is the later input
    assert found[0].message == "10.0.0.0/16 of site aws-hk overlaps 10.0.0.0/8 of site azure-sg"


def _nested_plan(count: int) -> dict:
    sites = [{"id": "big", "cloud": "onprem", "asn": 64512, "cidrs": ["10.0.0.0/8"]}]
    for i in range(count):
        third = i % 256
        second = i // 256
        sites.append(
            {
                "id": f"s{i}",
                "cloud": "aws",
                "asn": 4200000000 + i,
                "cidrs": [f"10.{second}.{third}.0/24"],
            }
        )
    return {"version": 1, "name": "nested", "exchange": {"asn": 64600}, "sites": sites}


def test_a_slash8_holding_a_thousand_slash24s_gives_a_thousand_findings():
    report = validate(_nested_plan(1000))
    found = [f for f in report.findings if f.rule == "CCV201"]
    assert len(found) == 1000
    assert {f.objects[0] for f in found} == {"big"}
    # every hint suggests a different free /24, none inside 10/8 (all of it is used)
    hints = {f.hint.split("such as ")[1].split(" ")[0] for f in found}
    assert len(hints) == 1000
    assert not any(h.startswith("10.") for h in hints)


def test_reuse_in_disjoint_segments_stays_quiet_at_scale():
    count = 2000
    sites = [
        {"id": f"t{i}", "cloud": "aws", "asn": 4200000000 + i, "cidrs": ["10.0.0.0/16"]}
        for i in range(count)
    ]
    segments = [{"id": f"tenant-{i}", "sites": [f"t{i}"]} for i in range(count)]
    plan = {
        "version": 1,
        "name": "tenants",
        "exchange": {"asn": 64600},
        "segments": segments,
        "sites": sites,
    }
    report = validate(plan)
    assert [f for f in report.findings if f.rule in ("CCV201", "CCV202", "CCV203")] == []
