"""A flow (a backbone link) must join two different sites (POPs): CCV101, located."""

from __future__ import annotations

from ccv_test_helpers import fixture

from validator import validate


def test_a_flow_to_itself_and_a_link_to_itself_are_located_errors():
    report = validate(fixture("same-ends.yaml"))
    found = [
        (f.rule, f.severity, f.objects, f.path, f.location.line)
        for f in report.findings
        if f.severity == "error"
    ]
    assert found == [
        ("CCV101", "error", ("loop",), "/backbone/1/b", 9),
        ("CCV101", "error", ("a->a",), "/flows/0/to", 24),
    ]
    assert "two different sites" in report.findings[-1].message
    assert not [f for f in report.findings if f.rule == "CCV507"]


def test_a_flow_to_itself_alone_is_not_reported_as_a_site_without_peer():
    plan = {
        "version": 1,
        "name": "x",
        "exchange": {"asn": 64600},
        "pops": [{"id": "P1"}],
        "sites": [
            {"id": "a", "cloud": "onprem", "asn": 65010, "cidrs": ["10.1.0.0/16"],
             "lines": [{"id": "a-1", "pop": "P1", "bandwidth_mbps": 100}]},
        ],
        "flows": [{"from": "a", "to": "a"}],
    }  # fmt: skip
    rules = [f.rule for f in validate(plan).findings]
    assert rules == ["CCV101"]
