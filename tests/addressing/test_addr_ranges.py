"""CCV201–CCV206 on small plans a user could have written, through the public API."""

from __future__ import annotations

from tests.addressing.addr_helpers import OURS, findings, line_of, run


def test_overlap_reports_each_pair_at_the_later_range_with_a_free_range_hint():
    found = findings("cidr-overlap.yaml", "CCV201", "CCV202")
    assert [(f.rule, f.objects, f.path) for f in found] == [
        ("CCV201", ("aws-hk", "azure-sg"), "/sites/1/cidrs/0"),
        ("CCV201", ("aws-hk", "azure-sg"), "/sites/1/cidrs/1"),
    ]
    v4, v6 = found
    assert v4.message == "10.0.128.0/17 of site azure-sg overlaps 10.0.0.0/16 of site aws-hk"
    assert v4.location.line == line_of("cidr-overlap.yaml", "10.0.128.0/17")
    assert v6.location.line == line_of("cidr-overlap.yaml", "fd00:10:0:1::/64")
    assert v4.severity == "error"
    # lowest free /17 of 10/8 once 10.0.0.0/16 is taken; fd00:10::/48 and its /64 taken
    assert "10.1.0.0/17" in v4.hint
    assert "fd00::/64" in v6.hint


def test_touching_ranges_and_other_ip_versions_do_not_overlap():
    report = run("cidr-touching.yaml")
    assert [f.rule for f in report.findings if f.rule in OURS and f.rule.startswith("CCV2")] == []


def test_conflicts_count_only_between_sites_that_meet():
    found = findings("segments.yaml", "CCV201", "CCV202")
    # prod-a and dev-a share 10.0.0.0/16 but never meet; loner is alone in `default`.
    # bridge (in both segments) meets all three, and each pair is reported once.
    assert sorted(f.objects for f in found) == [
        ("bridge", "dev-a"),
        ("bridge", "prod-a"),
        ("bridge", "prod-b"),
    ]
    assert {f.rule for f in found} == {"CCV201"}
    assert {f.location.line for f in found} == {line_of("segments.yaml", "10.0.0.0/8")}


def test_identical_ranges_are_ccv202_per_pair_and_not_ccv201():
    report = run("cidr-duplicate.yaml")
    assert [f.rule for f in report.findings if f.rule in ("CCV201", "CCV202")] == ["CCV202"] * 3
    pairs = [(f.objects, f.path) for f in report.findings if f.rule == "CCV202"]
    assert sorted(pairs) == [
        (("ali-sh", "aws-hk"), "/sites/1/cidrs/0"),
        (("ali-sh", "tx-gz"), "/sites/2/cidrs/1"),
        (("aws-hk", "tx-gz"), "/sites/2/cidrs/1"),
    ]
    dups = [f for f in report.findings if f.rule == "CCV202"]
    hints = {f.hint for f in dups if f.path == "/sites/2/cidrs/1"}
    assert len(hints) == 1  # one suggestion per range, whatever the number of findings
    ali = next(f for f in dups if f.path == "/sites/1/cidrs/0")
    assert "10.2.0.0/16" in ali.hint  # 10.0/16 and 10.1/16 are used
    assert "10.3.0.0/16" in hints.pop()  # 10.2.0.0/16 already suggested to ali-sh


def test_self_overlap_is_a_warning_per_pair():
    found = findings("self-overlap.yaml", "CCV203")
    assert [(f.path, f.severity, f.objects) for f in found] == [
        ("/sites/0/cidrs/1", "warning", ("aws-hk",)),
        ("/sites/0/cidrs/2", "warning", ("aws-hk",)),
        ("/sites/0/cidrs/2", "warning", ("aws-hk",)),
    ]
    assert found[0].location.line == line_of("self-overlap.yaml", "10.0.4.0/24")
    assert any("twice" in f.message for f in found)
    # azure-sg's adjacent halves are fine, and one site never conflicts with itself as CCV201
    assert findings("self-overlap.yaml", "CCV201", "CCV202") == []


def test_host_bits_hint_gives_the_network_which_is_then_checked():
    report = run("host-bits.yaml")
    bits = [f for f in report.findings if f.rule == "CCV204"]
    assert len(bits) == 1
    assert bits[0].objects == ("gcp-fra",)
    assert bits[0].path == "/sites/0/cidrs/0"
    assert bits[0].hint == "write 10.1.0.0/16"
    assert bits[0].location.line == line_of("host-bits.yaml", "10.1.0.1/16")
    dup = [f for f in report.findings if f.rule == "CCV202"]
    assert [(d.objects, d.path) for d in dup] == [(("aws-hk", "gcp-fra"), "/sites/1/cidrs/0")]


def test_special_purpose_space_is_ccv205_or_ccv209_only_and_public_space_ccv206():
    report = run("special.yaml")
    by_path = {}
    for f in report.findings:
        if f.rule in ("CCV205", "CCV206", "CCV209"):
            by_path.setdefault(f.path, []).append((f.rule, f.severity))
    assert by_path == {
        "/sites/0/cidrs/0": [("CCV205", "error")],  # 169.254.0.0/16
        "/sites/0/cidrs/1": [("CCV209", "warning")],  # 192.0.2.0/24
        "/sites/0/cidrs/2": [("CCV205", "error")],  # fe80::/64
        "/sites/0/cidrs/3": [("CCV209", "warning")],  # 192.0.0.0/16 covers 192.0.0.0/24
        "/sites/0/cidrs/4": [("CCV209", "warning")],  # 240.10.0.0/16
        "/sites/0/cidrs/5": [("CCV209", "warning")],  # 2001:db8:5::/48
        "/sites/1/cidrs/0": [("CCV206", "warning")],  # 52.95.0.0/16
        "/sites/1/cidrs/1": [("CCV206", "warning")],  # 3fff::/20 is not in SPEC's lists
    }
    # Google Cloud accepts these blocks for subnets: no CCV207 on top of CCV209
    cloud = {f.path for f in report.findings if f.rule == "CCV207"}
    assert not cloud & {"/sites/0/cidrs/1", "/sites/0/cidrs/3", "/sites/0/cidrs/4"}
    special = [f for f in report.findings if f.rule in ("CCV205", "CCV206")]
    link_local = next(f for f in special if f.path == "/sites/0/cidrs/0")
    assert "RFC 3927" in link_local.message
    assert link_local.location.line == line_of("special.yaml", "169.254.0.0/16")
    # a free /16 of RFC 1918 space before RFC 6598 (docs/addressing.md), whatever the
    # segment uses (100.64/10, 172.16/12 and 192.168/16 once each; 10/8 not at all)
    assert "such as 10.0.0.0/16" in link_local.hint
    assert link_local.fix == [{"op": "replace", "path": "/sites/0/cidrs/0", "value": "10.0.0.0/16"}]
    public = next(f for f in special if f.path == "/sites/1/cidrs/0")
    assert public.severity == "warning"
    assert public.objects == ("dc-hk",)


def test_malformed_ranges_are_ccv100_at_the_value_and_skipped_by_range_rules():
    report = run("malformed.yaml")
    schema = [f for f in report.findings if f.rule == "CCV100"]
    assert [(f.path, f.objects) for f in schema] == [
        ("/sites/0/cidrs/0", ("aws-hk",)),
        ("/sites/0/cidrs/1", ("aws-hk",)),
        ("/sites/0/cidrs/2", ("aws-hk",)),
        ("/sites/0/lines/0/peering/exchange_ip", ("aws-hk-1",)),
    ]
    assert schema[0].message.startswith("10.0.0.300/16 is not a valid IPv4 or IPv6 range")
    assert schema[3].location.line == line_of("malformed.yaml", "169.254.10.256/30")
    others = [f for f in report.findings if f.rule != "CCV100" and f.rule in OURS]
    assert [(f.rule, f.path) for f in others] == [("CCV203", "/sites/0/cidrs/4")]
