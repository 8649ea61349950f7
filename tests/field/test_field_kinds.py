"""Other plans of the kinds the field cases show (SPEC §12): summaries on hubs and
non-hubs, reserved ASNs of every cloud on the other side of the session, ExpressRoute
circuits, interconnect types, and the exchange ASN of every example against every pack."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from validator import validate
from validator.clouds import CLOUDS, peer_asn_refusal

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def _by_rule(path: Path) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for finding in validate(str(path)).findings:
        grouped.setdefault(finding.rule, []).append(finding)
    return grouped


def _objects(findings: list) -> list[tuple[str, ...]]:
    return sorted(tuple(f.objects) for f in findings)


# --------------------------------------------------------------------------- summaries
@pytest.fixture(scope="module")
def summaries():
    return _by_rule(FIXTURES / "summaries.yaml")


def test_a_summary_covering_a_site_it_meets_is_ccv210_once_per_site(summaries):
    (finding,) = [f for f in summaries["CCV210"] if "aws-hub" in f.objects]
    assert finding.severity == "info"
    assert finding.objects == ("aws-hub", "dc")
    assert finding.path == "/sites/0/summaries/0"
    assert "covers 10.200.0.0/16 of site dc and 1 more of its ranges" in finding.message
    # never the covering side of an overlap: not with dc's ranges, not with its own range,
    # not with dc's peering subnet 10.255.0.0/31, and no CCV210 for sites that never meet
    for rule in ("CCV201", "CCV203", "CCV305"):
        assert not [f for f in summaries.get(rule, ()) if "aws-hub" in f.objects], rule
    assert not [f for f in summaries.get("CCV210", ()) if "lonely-hub" in f.objects]


def test_a_summary_identical_to_another_sites_range_is_still_ccv202(summaries):
    (finding,) = summaries["CCV202"]  # two hubs' identical summaries are not
    assert finding.objects == ("branch-a", "branch-b")


def test_two_hubs_with_one_summary_cover_each_other(summaries):
    hubs = [f.objects for f in summaries["CCV210"] if "hub-1" in f.objects]
    assert hubs == [("hub-1", "hub-2"), ("hub-1", "hub-2")]  # each hub's summary, once


def test_a_summary_inside_another_sites_range_is_an_overlap(summaries):
    (finding,) = summaries["CCV201"]
    assert finding.objects == ("big", "small-hub")
    assert finding.path == "/sites/5/summaries/0"


@pytest.mark.parametrize(
    ("rule", "position", "severity"),
    [
        ("CCV204", 0, "error"),
        ("CCV205", 1, "error"),
        ("CCV209", 2, "warning"),
        ("CCV206", 3, "warning"),
    ],
)
def test_summaries_are_checked_like_ranges(summaries, rule, position, severity):
    found = [f for f in summaries[rule] if f.objects == ("odd",)]
    assert [(f.path, f.severity) for f in found] == [(f"/sites/6/summaries/{position}", severity)]


def test_summaries_must_be_cidrs_in_the_schema(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: s\nexchange: {asn: 64600}\n"
        "sites:\n  - {id: a, cloud: onprem, asn: 65001, cidrs: [], summaries: [ten-slash-eight]}\n",
        encoding="utf-8",
    )
    report = validate(str(plan))
    assert [f.path for f in report.findings if f.rule == "CCV100"] == ["/sites/0/summaries/0"]


# --------------------------------------------------------------------------- reserved ASNs
@pytest.fixture(scope="module")
def reserved():
    return _by_rule(FIXTURES / "reserved-peer-asns.yaml")


def test_a_site_meeting_a_cloud_site_with_an_asn_that_cloud_reserves(reserved):
    hits = {tuple(f.objects): f for f in reserved["CCV404"]}
    assert sorted(hits) == [
        ("ali", "dc-45104"),  # Alibaba's own ASN: refused as well as shared (CCV403)
        ("aws", "dc-7224"),
        ("azure", "dc-65516"),
        ("azure-2", "dc-8075"),
    ]
    finding = hits[("azure", "dc-65516")]
    assert finding.severity == "error"
    assert finding.path == "/sites/1/asn"  # at the ASN to change
    assert "65515–65520" in finding.message
    # two Azure VNets on 12076 are CCV403's only; Google reserves none of Azure's ASNs
    assert _objects(reserved["CCV403"]) == [("ali", "dc-45104"), ("azure-3", "azure-4")]


def _plan(tmp_path: Path, exchange: int, sites: list[dict]) -> Path:
    data = {"version": 1, "name": "x", "exchange": {"asn": exchange}, "sites": sites}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cloud", "asn", "exchange", "reported"),
    [
        ("azure", 12076, 65515, True),
        ("azure", 12076, 65520, True),
        ("azure", 12076, 65514, False),
        ("aws", 64512, 7224, True),
        ("aws", 64512, 17493, True),
        ("alibaba", 45104, 65025, True),
        ("azure", 12076, 12076, True),  # Microsoft's own ASN: CCV406 and CCV404
        ("gcp", 16550, 65515, False),  # Azure's reservation is no concern of Google's
        ("huawei", 64512, 65515, False),
    ],
)
def test_exchange_asn_the_cloud_reserves(tmp_path, cloud, asn, exchange, reported):
    path = _plan(tmp_path, exchange, [{"id": "s", "cloud": cloud, "asn": asn, "cidrs": []}])
    hits = [f for f in validate(str(path)).findings if f.rule == "CCV404"]
    assert [(f.objects, f.path) for f in hits] == ([(("s",), "/exchange/asn")] if reported else [])


def test_every_example_exchange_asn_passes_every_packs_peer_rules():
    examples = sorted((ROOT / "examples").rglob("*.yaml")) + sorted(
        (ROOT / "examples").rglob("*.json")
    )
    checked = 0
    for example in examples:
        data = yaml.safe_load(example.read_text(encoding="utf-8"))
        asn = (data.get("exchange") or {}).get("asn") if isinstance(data, dict) else None
        if not isinstance(asn, int):
            continue
        checked += 1
        for cloud in CLOUDS:
            assert peer_asn_refusal(cloud, asn) is None, (example.name, cloud)
    assert checked >= 4


# --------------------------------------------------------------------------- circuits
@pytest.fixture(scope="module")
def circuits():
    return _by_rule(FIXTURES / "circuits.yaml")


def test_expressroute_circuit_links_and_vlans(circuits):
    assert _objects(circuits["CCV306"]) == [("er2-pri", "er2-sec"), ("er2-third",)]
    vlan, third = sorted(circuits["CCV306"], key=lambda f: len(f.objects), reverse=True)
    assert vlan.path == "/sites/0/lines/3/vlan" and "set vlan: 310" in vlan.hint
    assert third.path == "/sites/0/lines/4"


def test_one_circuit_shares_its_vlan_other_lines_do_not(circuits):
    # er1's two links on one POP with one VLAN, er2's third link: no CCV307;
    # er3 (another circuit) and two on-premises lines on a taken VLAN: CCV307
    assert _objects(circuits["CCV307"]) == [("dc-1", "dc-2"), ("er1-pri", "er3-pri")]


def test_lines_without_circuit_are_one_circuit_of_their_site(tmp_path):
    line = {"pop": "P1", "bandwidth_mbps": 1000}
    sites = [
        {
            "id": "azure",
            "cloud": "azure",
            "asn": 12076,
            "cidrs": ["10.1.0.0/16"],
            "lines": [{"id": f"l{i}", "vlan": 100 + i, **line} for i in range(2)],
        }
    ]
    data = {"version": 1, "name": "c", "exchange": {"asn": 64600}, "pops": [{"id": "P1"}]}
    data["sites"] = sites
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = [f for f in validate(str(path)).findings if f.rule == "CCV306"]
    assert [f.objects for f in found] == [("l0", "l1")]


# --------------------------------------------------------------------------- interconnect
@pytest.mark.parametrize(
    ("cloud", "asn", "interconnect", "mbps", "rules"),
    [
        ("gcp", 16550, "partner", 50000, set()),
        ("gcp", 16550, "partner", 100000, {"CCV604"}),  # a partner attachment: 50 Gbps at most
        ("gcp", 65001, "dedicated", 400000, set()),
        ("gcp", 16550, "dedicated", 400000, {"CCV404"}),  # 16550 is Partner Interconnect's
        ("aws", 64512, "dedicated", 400000, set()),
        ("aws", 64512, "partner", 400000, {"CCV604"}),
        ("aws", 64512, "dedicated", 500, {"CCV604"}),
        ("azure", 12076, "dedicated", 40000, set()),
        ("azure", 12076, "partner", 40000, {"CCV604"}),
    ],
)
def test_rules_follow_the_interconnect_type(tmp_path, cloud, asn, interconnect, mbps, rules):
    site = {"id": "s", "cloud": cloud, "interconnect": interconnect, "asn": asn}
    site["cidrs"] = ["10.1.0.0/16"]
    site["lines"] = [
        {"id": f"s{i}", "pop": f"P{i}", "bandwidth_mbps": mbps, "vlan": 10} for i in (1, 2)
    ]
    data = {"version": 1, "name": "i", "exchange": {"asn": 64600}}
    data["pops"] = [{"id": "P1"}, {"id": "P2"}]
    data["backbone"] = [{"id": "a", "a": "P1", "b": "P2"}]
    data["sites"] = [site]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = {f.rule for f in validate(str(path)).findings}
    assert found & {"CCV404", "CCV604"} == rules


# --------------------------------------------------------------------------- CCV207 per cloud
@pytest.mark.parametrize(
    ("cloud", "asn", "cidrs", "reported"),
    [
        ("aws", 64512, ["10.0.0.0/16", "192.168.0.0/16"], True),  # two RFC 1918 blocks
        ("aws", 64512, ["10.0.0.0/16", "198.19.0.0/16"], True),
        ("aws", 64512, ["198.19.0.0/16"], False),  # alone it may be the primary range
        ("aws", 64512, ["10.0.0.0/16", "10.1.0.0/16", "100.64.0.0/16"], False),
        ("azure", 12076, ["192.0.2.0/24", "240.0.0.0/16"], False),  # Azure accepts them
        ("gcp", 16550, ["198.18.0.0/15"], False),
        ("huawei", 64512, ["198.18.0.0/16"], True),  # Huawei: RFC 1918 only
        ("alibaba", 45104, ["100.64.0.0/16"], True),
    ],
)
def test_what_each_cloud_refuses(tmp_path, cloud, asn, cidrs, reported):
    path = _plan(tmp_path, 64600, [{"id": "s", "cloud": cloud, "asn": asn, "cidrs": cidrs}])
    found = [f for f in validate(str(path)).findings if f.rule == "CCV207"]
    assert bool(found) is reported, [f.message for f in found]


def test_a_circuit_with_one_link_lacks_its_secondary(circuits):
    # the site has six lines (enough as a whole); circuit er3 has only its primary
    assert [(f.objects, f.path, f.severity) for f in circuits["CCV704"]] == [
        (("azure", "er3-pri"), "/sites/0/lines/5", "warning")
    ]


def test_the_suggested_exchange_asn_is_one_every_cloud_of_the_plan_accepts(tmp_path):
    case = FIXTURES / "cases" / "exchange-asn-azure-reserved.yaml"
    (finding,) = [f for f in validate(str(case)).findings if f.rule == "CCV404"]
    suggested = int(finding.hint.split("such as ")[1].split()[0])
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["exchange"]["asn"] = suggested
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    before = {(f.rule, f.objects) for f in validate(str(case)).findings}
    after = {(f.rule, f.objects) for f in validate(str(fixed)).findings}
    assert after == before - {("CCV404", ("azure",))}  # that finding gone, nothing new


def test_suggested_site_asns_are_distinct(reserved):
    hints = [f.hint.split("such as ")[1].split()[0] for f in reserved["CCV404"]]
    assert len(set(hints)) == len(hints) == 4


def test_the_circuit_vlan_hint_is_free_on_both_links_pops(tmp_path):
    line = {"bandwidth_mbps": 1000}
    azure = {"id": "azure", "cloud": "azure", "asn": 12076, "cidrs": ["10.1.0.0/16"]}
    azure["lines"] = [
        {"id": "pri", "pop": "P1", "vlan": 300, **line},
        {"id": "sec", "pop": "P2", "vlan": 301, **line},
    ]
    dc = {"id": "dc", "cloud": "onprem", "asn": 65001, "cidrs": ["172.16.0.0/16"]}
    dc["lines"] = [{"id": "dc-1", "pop": "P2", "vlan": 300, **line}]  # 300 is taken on P2
    data = {"version": 1, "name": "v", "exchange": {"asn": 64600}}
    data["pops"] = [{"id": "P1"}, {"id": "P2"}]
    data["sites"] = [azure, dc]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (finding,) = [f for f in validate(str(path)).findings if f.rule == "CCV306"]
    assert finding.hint.startswith("set vlan: 301 on lines pri and sec")
    data["sites"][0]["lines"][0]["vlan"] = 301  # apply it: no CCV306, no CCV307
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rules = {f.rule for f in validate(str(path)).findings}
    assert not rules & {"CCV306", "CCV307"}
