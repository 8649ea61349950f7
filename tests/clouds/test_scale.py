"""The cloud-pack rules stay near-linear: 1,000,000 ranges over 100,000 sites."""

from __future__ import annotations

import time

import pytest

from validator.clouds import CLOUDS
from validator.context import Context
from validator.load.document import Document
from validator.model import build_plan
from validator.rules import cloud_packs


class _NoPositions:
    def value(self, path):
        return None

    def key(self, path):
        return None

    def prepare(self, paths):
        return None


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
                        "peering": {"site_ip": "169.254.0.1/30", "exchange_ip": "169.254.0.2/30"},
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


@pytest.mark.slow
def test_million_ranges_over_100k_sites_are_checked_quickly():
    data = _big_plan(100_000, 10, 100)
    plan = build_plan([Document("big", data, "json", _NoPositions())])
    ctx = Context(plan)
    checks = [
        cloud_packs.check_cloud_cidr,
        cloud_packs.check_route_limit,
        cloud_packs.check_peering_cloud,
        cloud_packs.check_asn_cloud,
        cloud_packs.check_bandwidth_orderable,
        cloud_packs.check_cloud_redundancy,
    ]
    started = time.perf_counter()
    counts = {check.__name__: sum(1 for _ in check(ctx)) for check in checks}
    elapsed = time.perf_counter() - started
    print(f"cloud-pack rules on 1,000,000 ranges / 100,000 sites: {elapsed:.1f} s, {counts}")
    assert elapsed < 20, counts  # measured about 10 s; the whole tool has 30 s
    # every segment holds 100 sites × 10 ranges: each limited site learns 990 prefixes
    assert counts["check_route_limit"] == sum(
        1 for s in plan.sites if s.cloud in ("aws", "alibaba", "huawei")
    )
    assert counts["check_bandwidth_orderable"] > 0
