"""The cloud-pack rules on a large plan: 50,000 ranges over 5,000 sites."""

from __future__ import annotations

from validator import validate
from validator.clouds import CLOUDS


def _big_plan(sites: int, ranges: int, per_segment: int) -> dict:
    clouds = (*CLOUDS, "onprem")
    asn = {
        "aws": 64512,
        "azure": 12076,
        "gcp": 16550,
        "alibaba": 45104,
        "huawei": 64512,
        "tencent": 45090,
        "oracle": 31898,
    }
    site_list = []
    for i in range(sites):
        cloud = clouds[i % len(clouds)]
        base = i * ranges
        cidrs = [
            f"{10 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}.0/24" for n in range(base, base + ranges)
        ]
        site_list.append(
            {
                "id": f"s{i}",
                "cloud": cloud,
                "asn": asn.get(cloud, 65000),
                "cidrs": cidrs,
                "lines": [
                    {
                        "id": f"s{i}-a",
                        "pop": "P1",
                        "bandwidth_mbps": 1000,
                        "peering": {
                            "site_ip": f"169.254.{i >> 6}.{(i & 63) * 4 + 1}/30",
                            "exchange_ip": f"169.254.{i >> 6}.{(i & 63) * 4 + 2}/30",
                        },
                    },
                    {"id": f"s{i}-b", "pop": "P2", "bandwidth_mbps": 750},
                ],
            }
        )
    segments = [
        {"id": f"g{k}", "sites": [f"s{i}" for i in range(k, min(k + per_segment, sites))]}
        for k in range(0, sites, per_segment)
    ]
    return {
        "version": 1,
        "name": "big",
        "exchange": {"asn": 64600},
        "pops": [{"id": "P1"}, {"id": "P2"}],
        "segments": segments,
        "sites": site_list,
    }


def test_every_route_limited_site_of_a_large_plan_is_counted():
    """Counting is per segment (linear); figures at 1M ranges are in bench/, not asserted here."""
    data = _big_plan(5_000, 10, 100)
    report = validate(data)
    limited = {s["id"] for s in data["sites"] if s["cloud"] in ("aws", "alibaba", "huawei")}
    route_limit = [f for f in report.findings if f.rule == "CCV208"]
    # every segment holds 100 sites × 10 ranges: each limited site learns 990 prefixes
    assert {f.objects[0] for f in route_limit} == limited
    assert all("990" in f.message for f in route_limit)
    assert any(f.rule == "CCV604" for f in report.findings)
