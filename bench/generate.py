"""Generate a large, realistic ccv plan for benchmarks.

    python3 bench/generate.py --sites 100000 --ranges-per-site 10 --conflict-rate 0.01 \
        --seed 1 --out bench/out/plan-1m.json

Sites are spread over a mix of clouds (on-premises included), four segments (a few
sites sit in two), one or two lines each on a set of POPs with peering addresses and
VLANs. Ranges are distinct blocks of 10/8, 172.16/12 and fd00::/8; with probability
``--conflict-rate`` a range instead repeats, or lies inside, a range of an earlier
site of the same segment, so the plan has about ``rate × ranges`` CCV201/CCV202
findings. The same arguments always give the same file.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import sys
from pathlib import Path

CLOUDS = ("aws", "azure", "gcp", "alibaba", "huawei", "tencent", "oracle", "onprem", "other")
SEGMENTS = ("prod", "dev", "shared", "partners")
POPS = 60


class _Blocks:
    """Distinct ranges: /28 of 10/8, then /28 of 172.16/12, then /64 of fd00::/8."""

    def __init__(self) -> None:
        self.v4 = 0
        self.v6 = 0

    def next_v4(self) -> str:
        index = self.v4
        self.v4 += 1
        if index < 1 << 20:
            return f"{ipaddress.IPv4Address((10 << 24) + (index << 4))}/28"
        index -= 1 << 20
        if index >= 1 << 16:
            raise SystemExit("too many IPv4 ranges for this generator")
        return f"{ipaddress.IPv4Address((172 << 24) + (16 << 16) + (index << 4))}/28"

    def next_v6(self) -> str:
        index = self.v6
        self.v6 += 1
        return f"{ipaddress.IPv6Address((0xFD << 120) + (index << 64))}/64"


def _inside(cidr: str, rng: random.Random) -> str:
    """The range itself (a duplicate) or a random subnet of it (an overlap)."""
    net = ipaddress.ip_network(cidr)
    if rng.random() < 0.5 or net.prefixlen >= net.max_prefixlen - 2:
        return cidr
    extra = rng.randint(1, 2)
    subnets = list(net.subnets(prefixlen_diff=extra))
    return str(rng.choice(subnets))


def generate(
    sites: int, per_site: int, rate: float, seed: int, clouds: tuple[str, ...] = CLOUDS
) -> dict:
    """The plan as data."""
    rng = random.Random(seed)
    blocks = _Blocks()
    pops = [{"id": f"P{i:03d}", "metro": f"metro-{i // 2}"} for i in range(POPS)]
    backbone = [
        {
            "id": f"p{i:03d}-p{(i + 1) % POPS:03d}",
            "a": f"P{i:03d}",
            "b": f"P{(i + 1) % POPS:03d}",
            "latency_ms": round(rng.uniform(1, 40), 1),
            "capacity_mbps": 100000,
        }
        for i in range(POPS)
    ]
    vlans = [100] * POPS
    members: dict[str, list[str]] = {s: [] for s in SEGMENTS}
    by_segment: dict[str, list[str]] = {s: [] for s in SEGMENTS}  # ranges written so far
    peer_index = 0
    out_sites = []
    for number in range(sites):
        site_id = f"s{number:06d}"
        segment = SEGMENTS[number % len(SEGMENTS)]
        members[segment].append(site_id)
        if rng.random() < 0.02:
            members[SEGMENTS[(number + 1) % len(SEGMENTS)]].append(site_id)
        cidrs = []
        for _ in range(per_site):
            pool = by_segment[segment]
            if pool and rng.random() < rate:
                cidrs.append(_inside(rng.choice(pool), rng))
                continue
            cidr = blocks.next_v6() if rng.random() < 0.2 else blocks.next_v4()
            cidrs.append(cidr)
        pool = by_segment[segment]
        pool.extend(cidrs[: max(1, per_site // 4)])
        if len(pool) > 5000:
            del pool[: len(pool) - 5000]
        lines = []
        for k in range(1 if rng.random() < 0.5 else 2):
            pop = rng.randrange(POPS)
            vlans[pop] += 1
            if peer_index < 16384:
                base = (169 << 24) + (254 << 16) + (peer_index << 2)
                site_ip, exchange_ip = f"{ipaddress.IPv4Address(base + 1)}/30", None
                exchange_ip = f"{ipaddress.IPv4Address(base + 2)}/30"
            else:
                base = (100 << 24) + (64 << 16) + ((peer_index - 16384) << 1)
                site_ip = f"{ipaddress.IPv4Address(base)}/31"
                exchange_ip = f"{ipaddress.IPv4Address(base + 1)}/31"
            peer_index += 1
            lines.append(
                {
                    "id": f"{site_id}-{k + 1}",
                    "pop": f"P{pop:03d}",
                    "bandwidth_mbps": 1000,
                    "vlan": vlans[pop],
                    "peering": {"site_ip": site_ip, "exchange_ip": exchange_ip},
                }
            )
        out_sites.append(
            {
                "id": site_id,
                "cloud": clouds[number % len(clouds)],
                "asn": 4200000000 + number,
                "cidrs": cidrs,
                "bandwidth_mbps": 1000,
                "lines": lines,
            }
        )
    return {
        "version": 1,
        "name": f"bench-{sites}x{per_site}-r{rate}-s{seed}",
        "exchange": {"asn": 64600},
        "pops": pops,
        "backbone": backbone,
        "segments": [{"id": s, "sites": m} for s, m in members.items() if m],
        "sites": out_sites,
    }


def write(plan: dict, out) -> None:
    """Write ``plan`` as JSON with one site per line (as a tool would export it)."""
    compact = {"separators": (",", ":")}
    out.write("{\n")
    for key, value in plan.items():
        if key == "sites":
            continue
        out.write(f"{json.dumps(key)}: {json.dumps(value, **compact)},\n")
    out.write('"sites": [\n')
    sites = plan["sites"]
    for index, site in enumerate(sites):
        out.write(json.dumps(site, **compact))
        out.write(",\n" if index + 1 < len(sites) else "\n")
    out.write("]\n}\n")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, required=True)
    parser.add_argument("--ranges-per-site", type=int, default=10)
    parser.add_argument("--conflict-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--clouds",
        default=",".join(CLOUDS),
        help="comma-separated clouds to cycle through (default: all; onprem,other keeps "
        "the cloud-pack rules out of the measurement)",
    )
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    clouds = tuple(c for c in args.clouds.split(",") if c)
    unknown = set(clouds) - set(CLOUDS)
    if unknown or not clouds:
        parser.error(f"--clouds: unknown {', '.join(sorted(unknown)) or 'empty list'}")
    plan = generate(args.sites, args.ranges_per_site, args.conflict_rate, args.seed, clouds)
    if args.out == "-":
        write(plan, sys.stdout)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as out:
            write(plan, out)


if __name__ == "__main__":
    main()
