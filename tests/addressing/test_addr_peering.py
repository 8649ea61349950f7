"""CCV301–CCV305 and CCV307 on small plans, through the public API."""

from __future__ import annotations

from tests.addressing.addr_helpers import findings, line_of


def _by_line(name: str, *rules: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings(name, *rules):
        for obj in f.objects:
            out.setdefault(obj, []).append(f.rule)
    return out


def test_pairs_give_the_expected_rules_and_valid_lines_stay_quiet():
    assert _by_line("peering-pairs.yaml", "CCV301", "CCV302") == {
        "mismatch": ["CCV301"],
        "lengths": ["CCV301"],
        "hosts": ["CCV301"],
        "network": ["CCV302"],
        "broadcast": ["CCV302"],
        "same": ["CCV302"],
        "v6-anycast": ["CCV302"],
    }  # slash31, slash30, v6-127 and v6-last (IPv6 has no broadcast) are valid


def test_mismatch_is_located_at_the_exchange_end_with_a_valid_pair():
    found = findings("peering-pairs.yaml", "CCV301")[0]
    assert found.objects == ("mismatch",)
    assert found.path == "/sites/0/lines/0/peering/exchange_ip"
    assert found.location.line == line_of("peering-pairs.yaml", "169.254.20.6/30")
    assert found.hint == "use site_ip: 169.254.20.1/30 and exchange_ip: 169.254.20.2/30"


def test_network_address_hint_keeps_the_valid_end():
    found = next(f for f in findings("peering-pairs.yaml", "CCV302") if f.objects == ("network",))
    assert found.path == "/sites/0/lines/3/peering/exchange_ip"
    assert "network address of 192.168.20.0/30" in found.message
    assert found.hint == "use site_ip: 192.168.20.2/30 and exchange_ip: 192.168.20.1/30"
    broadcast = next(
        f for f in findings("peering-pairs.yaml", "CCV302") if f.objects == ("broadcast",)
    )
    assert "broadcast" in broadcast.message
    assert broadcast.hint == "use site_ip: 169.254.30.1/30 and exchange_ip: 169.254.30.2/30"
    same = next(f for f in findings("peering-pairs.yaml", "CCV302") if f.objects == ("same",))
    assert same.hint == "use site_ip: 169.254.31.1/30 and exchange_ip: 169.254.31.2/30"


def test_host_routes_hint_a_slash30():
    found = next(f for f in findings("peering-pairs.yaml", "CCV301") if f.objects == ("hosts",))
    assert found.hint == "use site_ip: 169.254.22.1/30 and exchange_ip: 169.254.22.2/30"


def test_conflicts_across_the_whole_plan():
    name = "peering-conflicts.yaml"
    dup = findings(name, "CCV303")
    assert [(f.objects, f.path) for f in dup] == [
        (("aws-hk-1", "dev-a-1"), "/sites/1/lines/0/peering/site_ip")
    ]  # different segments do not matter; two shared addresses give one finding
    assert dup[0].location.line == line_of(name, "id: dev-a-1")
    overlap = findings(name, "CCV304")
    assert [(f.objects, f.path) for f in overlap] == [
        (("aws-hk-2", "dev-a-2"), "/sites/1/lines/1/peering/site_ip")
    ]  # never CCV304 for the pair that is CCV303; the adjacent /30s of dev-a-3/4 are fine
    assert "169.254.40.0/29" in overlap[0].message


def test_peering_subnet_inside_an_advertised_range_of_a_site_that_meets():
    found = findings("peering-conflicts.yaml", "CCV305")
    # aws-hk-3 peers inside its own site's range; dev-b-1 peers inside aws-hk's range,
    # but dev-b never meets aws-hk
    assert [(f.objects, f.path) for f in found] == [
        (("aws-hk", "aws-hk-3"), "/sites/0/lines/2/peering/site_ip")
    ]
    assert "169.254." in found[0].hint


def test_vlans():
    found = findings("peering-conflicts.yaml", "CCV307")
    assert [(f.objects, f.path) for f in found] == [
        (("aws-hk-1", "dev-a-1"), "/sites/1/lines/0/vlan"),  # VLAN 100 twice on HKG1
        (("dev-a-3",), "/sites/1/lines/2/vlan"),  # 4095
        (("dev-b-1",), "/sites/2/lines/0/vlan"),  # 0
    ]  # VLAN 100 on SIN1 (dev-a-2) is fine: another POP
    assert "e.g. 101" not in found[0].hint  # 101 is taken on HKG1 by aws-hk-2
    assert "e.g. 103" in found[0].hint


def test_a_peering_subnet_copied_to_many_lines_is_one_finding_per_copy():
    """500 lines pasted with one peering subnet: 499 CCV303, each against the first line."""
    from validator import validate

    peering = {"site_ip": "169.254.0.1/30", "exchange_ip": "169.254.0.2/30"}
    sites = [
        {"id": f"dc-{i}", "cloud": "onprem", "asn": 4200000000 + i,
         "cidrs": [f"10.{i >> 8}.{i & 255}.0/24"],
         "lines": [{"id": f"dc-{i}-1", "pop": "P1", "bandwidth_mbps": 100, "vlan": i + 1,
                    "peering": peering}]}
        for i in range(500)
    ]  # fmt: skip
    plan = {"version": 1, "name": "pasted", "exchange": {"asn": 64600},
            "pops": [{"id": "P1"}], "sites": sites}  # fmt: skip
    found = [f for f in validate(plan).findings if f.rule[:4] == "CCV3"]
    assert len(found) == 499 and {f.rule for f in found} == {"CCV303"}
    assert all("dc-0-1" in f.objects for f in found)
