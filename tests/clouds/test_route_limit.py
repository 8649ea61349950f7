"""CCV208: prefixes a cloud site learns over one BGP session, against its cloud's limit.

The plans are written to files by ``_plan`` from a few parameters, because a plan that
crosses a limit of 100 needs over a hundred ranges; each is what a user would write.
"""

from __future__ import annotations

import re
from pathlib import Path

import netaddr
import pytest
import yaml
from ccv_test_helpers import property_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.addressing.aggregate import merge_blocks


def _ranges(count: int, second: int = 1, step: int = 1) -> list[str]:
    """``count`` distinct /24s: 10.<second>.0.0/24, 10.<second>.<step>.0/24, …"""
    result = []
    for i in range(count):
        third = i * step
        result.append(f"10.{second + third // 256}.{third % 256}.0/24")
    return result


def _plan(tmp_path: Path, sites: list[dict], segments: list[dict] | None = None) -> Path:
    data = {"version": 1, "name": "routes", "exchange": {"asn": 64600}, "sites": sites}
    if segments is not None:
        data["segments"] = segments
    path = tmp_path / "routes.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _site(site_id: str, cloud: str, cidrs: list[str], asn: int = 65000) -> dict:
    asn = {"aws": 64512, "azure": 12076, "alibaba": 45104, "huawei": 64512}.get(cloud, asn)
    return {"id": site_id, "cloud": cloud, "asn": asn, "cidrs": cidrs}


def test_aws_site_learning_101_prefixes_is_an_error(tmp_path, findings, line_of):
    path = _plan(
        tmp_path,
        [_site("aws-hk", "aws", ["172.16.0.0/16"]), _site("dc-hk", "onprem", _ranges(101))],
    )
    (finding,) = findings(path, "CCV208")[("aws-hk",)]
    assert finding.severity == "error"
    assert "would learn 101 IPv4 prefixes" in finding.message
    assert "accepts 100 IPv4 prefixes per session" in finding.message
    assert finding.path == "/sites/0"
    assert finding.location.line == line_of(path, "id: aws-hk")
    # a higher allocation (prefix controls, up to 1,000 per family) would hold the count
    assert finding.hint.startswith(
        "order a route allocation of up to 1,000 per family (Direct Connect prefix "
        "controls) and declare it (addons: [prefix-controls], limit 1000), or "
    )
    # 10.1.0.0/24 … 10.1.100.0/24 merge exactly into a handful of prefixes
    assert ", or aggregate the advertised ranges (" in finding.hint
    assert "within the limit of 100): 10.1.0.0/18, 10.1.64.0/19" in finding.hint


@pytest.mark.parametrize(("addons", "reported"), [([], True), (["prefix-controls"], False)])
def test_prefix_controls_raise_the_aws_limit(tmp_path, findings, addons, reported):
    # AWS: "Default of 100 each for IPv4 and IPv6. Can be increased using prefix controls
    # up to 1,000 each" (Direct Connect quotas)
    aws = _site("aws-hk", "aws", ["172.16.0.0/16"])
    aws["addons"] = addons
    path = _plan(tmp_path, [aws, _site("dc-hk", "onprem", _ranges(101, step=2))])
    assert (("aws-hk",) in findings(path, "CCV208")) is reported


def test_exactly_100_prefixes_pass_and_duplicates_and_own_ranges_count_once(tmp_path, findings):
    shared = _ranges(60)
    path = _plan(
        tmp_path,
        [
            _site("aws-hk", "aws", _ranges(50, second=50)),  # its own ranges are not learned
            _site("dc-a", "onprem", shared),
            _site("dc-b", "onprem", shared + _ranges(40, second=20)),  # 60 repeated: 100 distinct
        ],
    )
    assert findings(path, "CCV208") == {}


def test_range_the_site_shares_with_a_peer_is_learned(tmp_path, findings):
    path = _plan(
        tmp_path,
        [
            _site("aws-hk", "aws", ["10.1.0.0/24"]),
            _site("dc-a", "onprem", _ranges(101)),  # includes 10.1.0.0/24
        ],
    )
    (finding,) = findings(path, "CCV208")[("aws-hk",)]
    assert "101 IPv4 prefixes" in finding.message


def test_site_in_two_segments_learns_both_and_disjoint_segments_do_not_count(tmp_path, findings):
    sites = [
        _site("aws-both", "aws", []),
        _site("aws-c", "aws", []),
        _site("aws-lonely", "aws", []),
        _site("dc-c", "onprem", _ranges(60, second=1)),
        _site("dc-d", "onprem", _ranges(60, second=100)),
        _site("dc-e", "onprem", _ranges(99, second=1, step=2)),
    ]
    segments = [
        {"id": "c", "sites": ["aws-both", "aws-c", "dc-c"]},
        {"id": "d", "sites": ["aws-both", "dc-d"]},
        {"id": "e", "sites": ["aws-lonely", "dc-e"]},
    ]
    hits = findings(_plan(tmp_path, sites, segments), "CCV208")
    assert set(hits) == {("aws-both",)}
    assert "would learn 120 IPv4 prefixes" in hits[("aws-both",)][0].message


def test_aws_counts_each_family_on_its_own(tmp_path, findings):
    v6 = [f"fd00:{i:x}::/48" for i in range(80)]
    path = _plan(tmp_path, [_site("aws-hk", "aws", []), _site("dc", "onprem", _ranges(80) + v6)])
    assert findings(path, "CCV208") == {}


def test_azure_counts_families_apart_and_suggests_premium(tmp_path, findings):
    v6 = [f"fd00:{i:x}::/48" for i in range(100)]  # 100 IPv6: exactly Azure's IPv6 limit
    path = _plan(
        tmp_path,
        [_site("azure-sg", "azure", []), _site("dc", "onprem", _ranges(4001, step=1) + v6)],
    )
    (finding,) = findings(path, "CCV208")[("azure-sg",)]
    assert finding.severity == "error"
    assert "would learn 4001 IPv4 prefixes" in finding.message
    assert "accepts 4000 IPv4 prefixes" in finding.message
    assert finding.hint.startswith(
        "order the ExpressRoute Premium add-on and declare it (addons: [expressroute-premium], "
        "limit 10000)"
    )


def test_azure_within_both_limits_passes_though_the_sum_is_over(tmp_path, findings):
    # 3,950 IPv4 + 100 IPv6 = 4,050 prefixes: within 4,000 IPv4 and 100 IPv6 each
    v6 = [f"fd00:{i:x}::/48" for i in range(100)]
    path = _plan(
        tmp_path,
        [_site("azure-sg", "azure", []), _site("dc", "onprem", _ranges(3950, step=1) + v6)],
    )
    assert findings(path, "CCV208") == {}


@pytest.mark.parametrize(("addons", "reported"), [([], True), (["expressroute-premium"], False)])
def test_premium_addon_raises_the_azure_ipv4_limit(tmp_path, findings, addons, reported):
    azure = _site("azure-sg", "azure", [])
    if addons:
        azure["addons"] = addons
    path = _plan(tmp_path, [azure, _site("dc", "onprem", _ranges(4001, step=1))])
    assert (("azure-sg",) in findings(path, "CCV208")) is reported


def test_premium_addon_does_not_raise_the_azure_ipv6_limit(tmp_path, findings):
    azure = _site("azure-sg", "azure", [])
    azure["addons"] = ["expressroute-premium"]
    v6 = [f"fd00:{i:x}::/48" for i in range(101)]
    path = _plan(tmp_path, [azure, _site("dc", "onprem", v6)])
    (finding,) = findings(path, "CCV208")[("azure-sg",)]
    assert "would learn 101 IPv6 prefixes" in finding.message
    assert "accepts 100 IPv6 prefixes" in finding.message
    assert "expressroute-premium" not in finding.hint  # the add-on would not help


@pytest.mark.parametrize(
    ("v4", "v6", "families"), [(100, 101, [6]), (101, 100, [4]), (101, 101, [4, 6])]
)
def test_aws_counts_each_family_against_its_own_100(tmp_path, findings, v4, v6, families):
    ranges = _ranges(v4) + [f"fd00:{i:x}::/48" for i in range(v6)]
    path = _plan(tmp_path, [_site("aws-hk", "aws", []), _site("dc", "onprem", ranges)])
    hits = findings(path, "CCV208").get(("aws-hk",), [])
    assert sorted(int(h.message.split(" IPv")[1][0]) for h in hits) == families


def test_summaries_count_as_learned_prefixes(tmp_path, findings):
    dc = _site("dc", "onprem", _ranges(100))
    dc["summaries"] = ["172.16.0.0/12"]
    path = _plan(tmp_path, [_site("aws-hk", "aws", ["192.168.0.0/16"]), dc])
    (finding,) = findings(path, "CCV208")[("aws-hk",)]
    assert "would learn 101 IPv4 prefixes" in finding.message


def test_huawei_limit_is_soft_and_gives_a_warning(tmp_path, findings):
    path = _plan(tmp_path, [_site("hw", "huawei", []), _site("dc", "onprem", _ranges(101, step=2))])
    (finding,) = findings(path, "CCV208")[("hw",)]
    assert finding.severity == "warning"
    assert "ask for a higher quota" in finding.hint


@pytest.mark.parametrize(("count", "reported"), [(110, False), (111, True)])
def test_alibaba_accepts_110_routes_per_peer(tmp_path, count, reported, findings):
    path = _plan(
        tmp_path, [_site("ali", "alibaba", []), _site("dc", "onprem", _ranges(count, step=2))]
    )
    assert (("ali",) in findings(path, "CCV208")) is reported


def test_scattered_ranges_get_covering_supernets_that_fit(tmp_path, findings):
    scattered = [f"10.{i}.{j * 16}.0/24" for i in range(20) for j in range(10)]  # 200, unmergeable
    path = _plan(tmp_path, [_site("aws-hk", "aws", []), _site("dc", "onprem", scattered)])
    (finding,) = findings(path, "CCV208")[("aws-hk",)]
    assert ", or advertise covering supernets instead (" in finding.hint
    count = int(re.search(r"\((\d+) prefixes, within the limit of 100\)", finding.hint).group(1))
    assert 0 < count <= 100
    assert "10.0.0.0/17" in finding.hint  # 10.0.0.0/24 … 10.0.144.0/24 under /17 and /19


def test_gcp_tencent_oracle_and_onprem_have_no_published_limit(tmp_path, findings):
    sites = [_site(c, c, []) for c in ("gcp", "tencent", "oracle", "onprem")]
    sites.append(_site("dc", "other", _ranges(500)))
    assert findings(_plan(tmp_path, sites), "CCV208") == {}


@settings(max_examples=property_examples(200), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(8, 32)), min_size=0, max_size=40))
def test_integer_merge_matches_netaddr(blocks):
    networks = [((first >> (32 - plen)) << (32 - plen), plen) for first, plen in blocks]
    ours = merge_blocks(4, networks)
    theirs = netaddr.cidr_merge([netaddr.IPNetwork((f, p), version=4) for f, p in networks])
    assert ours == [(int(n.first), n.prefixlen) for n in theirs]
