"""Build valid topology mappings from a compact description (for generated tests)."""

from __future__ import annotations


def plan(pops, links, sites, segments=None, flows=None, **top) -> dict:
    """``links``: (id, a, b[, latency]); ``sites``: {id: [pop, ...]} (one line per entry)."""
    data: dict = {
        "version": 1,
        "name": "generated",
        "exchange": {"asn": 64600},
        "pops": [{"id": p} for p in pops],
        "backbone": [
            {
                "id": link[0],
                "a": link[1],
                "b": link[2],
                "latency_ms": link[3] if len(link) > 3 else 1.0,
            }
            for link in links
        ],
        "sites": [],
        **top,
    }
    for index, (site_id, site_pops) in enumerate(sites.items()):
        data["sites"].append(
            {
                "id": site_id,
                "cloud": "onprem",
                "asn": 65000 + index,
                "cidrs": [f"10.{index}.0.0/16"],
                "lines": [_line(site_id, index, n, p) for n, p in enumerate(site_pops)],
            }
        )
    if segments is not None:
        data["segments"] = [{"id": k, "sites": v} for k, v in segments.items()]
    if flows is not None:
        data["flows"] = [{"from": a, "to": b} for a, b in flows]
    return data


def _line(site_id: str, index: int, n: int, pop: str) -> dict:
    return {
        "id": f"{site_id}-{n}",
        "pop": pop,
        "bandwidth_mbps": 100,
        "vlan": 100 + 4 * index + n,
        "peering": {
            "site_ip": f"10.250.{index}.{4 * n + 1}/30",
            "exchange_ip": f"10.250.{index}.{4 * n + 2}/30",
        },
    }
