"""Generate a large, realistic ccv plan for benchmarks.

    python3 bench/generate.py --sites 100000 --ranges-per-site 10 --conflict-rate 0.01 \
        --seed 1 --out bench/out/plan-1m.json

Sites are spread over a mix of clouds (on-premises included) and over segments of
``--segment-size`` sites (one customer's routing domain; 2 % of the sites also join the
next one), with the ASN, line count and peering subnets each cloud's rule pack expects:
two lines on the two POPs of a metro (on-premises sites one or two), /30 peering
subnets (Google's in 169.254/16), distinct VLANs per POP. Ranges are distinct blocks
of 10/8, 172.16/12 and fd00::/8; with probability
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
# Huawei VPCs take /8–/24 ranges of RFC 1918 only (validator/data/clouds/huawei.yaml): a
# million distinct ranges do not fit in that space, so the default mix leaves it out.
DEFAULT_CLOUDS = ("aws", "azure", "gcp", "alibaba", "tencent", "oracle", "onprem", "other")
POPS = 60
# The ASN of each cloud's BGP speaker, as its rule pack expects (None: a private ASN).
CLOUD_ASN = {"azure": 12076, "alibaba": 45104, "tencent": 45090, "oracle": 31898,
             "huawei": 64512}  # fmt: skip
GCP_PEERING_SUBNETS = 1 << 14  # /30s of 169.254.0.0/16, which Google requires


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


def _peering(cloud: str, counters: dict[str, int]) -> dict[str, str] | None:
    """A /30 per line: link-local for Google (while 169.254/16 lasts), 100.64/10 otherwise;
    the exchange takes the first address, the site the second (as Azure requires)."""
    if cloud == "gcp":
        if counters["gcp"] >= GCP_PEERING_SUBNETS:
            return None
        base = (169 << 24) + (254 << 16) + (counters["gcp"] << 2)
        counters["gcp"] += 1
    else:
        base = (100 << 24) + (64 << 16) + (counters["other"] << 2)
        counters["other"] += 1
    return {
        "exchange_ip": f"{ipaddress.IPv4Address(base + 1)}/30",
        "site_ip": f"{ipaddress.IPv4Address(base + 2)}/30",
    }


def generate(
    sites: int,
    per_site: int,
    rate: float,
    seed: int,
    clouds: tuple[str, ...] = DEFAULT_CLOUDS,
    segment_size: int = 8,
) -> dict:
    """The plan as data: a carrier-wide plan of many customers' segments."""
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
    segment_count = max(1, -(-sites // segment_size))
    members: list[list[str]] = [[] for _ in range(segment_count)]
    by_segment: list[list[str]] = [[] for _ in range(segment_count)]  # ranges written so far
    counters = {"gcp": 0, "other": 0}
    out_sites = []
    for number in range(sites):
        site_id = f"s{number:06d}"
        segment = number // segment_size
        members[segment].append(site_id)
        if rng.random() < 0.02 and segment + 1 < segment_count:
            members[segment + 1].append(site_id)
        cloud = clouds[number % len(clouds)]
        cidrs = []
        for _ in range(per_site):
            pool = by_segment[segment]
            if pool and rng.random() < rate:
                cidrs.append(_inside(rng.choice(pool), rng))
                continue
            cidr = blocks.next_v6() if rng.random() < 0.2 else blocks.next_v4()
            cidrs.append(cidr)
        by_segment[segment].extend(cidrs[: max(1, per_site // 4)])
        metro = rng.randrange(POPS // 2)
        count = 2 if cloud not in ("onprem", "other") or rng.random() < 0.5 else 1
        lines = []
        if cloud == "azure":  # the two links of one ExpressRoute circuit carry one VLAN
            shared = max(vlans[2 * metro], vlans[2 * metro + 1]) + 1
            vlans[2 * metro] = vlans[2 * metro + 1] = shared - 1
        for k in range(count):
            pop = 2 * metro + k  # the two POPs of one metro
            vlans[pop] += 1
            line = {
                "id": f"{site_id}-{k + 1}",
                "pop": f"P{pop:03d}",
                "bandwidth_mbps": 1000,
                "vlan": vlans[pop],
            }
            peering = _peering(cloud, counters)
            if peering:
                line["peering"] = peering
            lines.append(line)
        site = {
            "id": site_id,
            "cloud": cloud,
            "asn": CLOUD_ASN.get(cloud, 4200000000 + number),
            "cidrs": cidrs,
            "bandwidth_mbps": 1000,
            "lines": lines,
        }
        if cloud == "gcp":  # a private Cloud Router ASN of its own: Dedicated Interconnect
            site["interconnect"] = "dedicated"
        out_sites.append(site)
    return {
        "version": 1,
        "name": f"bench-{sites}x{per_site}-r{rate}-s{seed}",
        "exchange": {"asn": 64600},
        "pops": pops,
        "backbone": backbone,
        "segments": [{"id": f"g{i:05d}", "sites": m} for i, m in enumerate(members) if m],
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
    parser.add_argument("--segment-size", type=int, default=8, help="sites per segment")
    parser.add_argument(
        "--clouds",
        default=",".join(DEFAULT_CLOUDS),
        help=f"comma-separated clouds to cycle through, of {', '.join(CLOUDS)} "
        "(default: all but huawei)",
    )
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    clouds = tuple(c for c in args.clouds.split(",") if c)
    unknown = set(clouds) - set(CLOUDS)
    if unknown or not clouds:
        parser.error(f"--clouds: unknown {', '.join(sorted(unknown)) or 'empty list'}")
    plan = generate(
        args.sites, args.ranges_per_site, args.conflict_rate, args.seed, clouds, args.segment_size
    )
    if args.out == "-":
        write(plan, sys.stdout)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as out:
            write(plan, out)


if __name__ == "__main__":
    main()
