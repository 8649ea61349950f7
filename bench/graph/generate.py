"""Generate a large, realistic topology for the graph benchmark (JSON on stdout or a file).

Backbone: metros of two POPs joined by a metro link, metros on a ring with sparse
random chords (the core is 2-edge- and mostly 2-vertex-connected), and a few stub POPs
hanging on one link each (bridges and cut POPs, as real backbones have). Sites have one
line, or two lines on the two POPs of one metro; they are split into segments of at
most ``--segment`` sites, and no flows are declared: every pair of sites in a segment
is a required pair (the implied all-pairs case).

    python3 bench/graph/generate.py --pops 2000 --sites 10000 --segment 200 -o big.json
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import sys


def generate(
    pops: int, sites: int, segment: int, seed: int, sla: float | None, flows: int = 0
) -> dict:
    """The plan as a JSON-ready mapping (``flows`` > 0: that many declared flows)."""
    rng = random.Random(seed)
    stubs = max(1, pops // 100)
    metros = (pops - stubs) // 2
    pop_ids: list[str] = []
    links: list[dict] = []
    metro_pops: list[tuple[str, str]] = []
    for m in range(metros):
        a, b = f"M{m:04d}A", f"M{m:04d}B"
        pop_ids += [a, b]
        metro_pops.append((a, b))
        links.append({"id": f"m{m}", "a": a, "b": b, "latency_ms": 0.5, "capacity_mbps": 400000})
    for m in range(metros):  # ring of metros, A to next B
        a, b = metro_pops[m][0], metro_pops[(m + 1) % metros][1]
        links.append(
            {
                "id": f"r{m}",
                "a": a,
                "b": b,
                "latency_ms": round(rng.uniform(2, 40), 1),
                "capacity_mbps": 100000,
            }
        )
    for c in range(metros // 2):  # sparse chords
        x, y = rng.sample(range(metros), 2)
        links.append(
            {
                "id": f"c{c}",
                "a": metro_pops[x][rng.randrange(2)],
                "b": metro_pops[y][rng.randrange(2)],
                "latency_ms": round(rng.uniform(5, 120), 1),
                "capacity_mbps": 100000,
            }
        )
    for s in range(stubs):  # stub POPs on one link: bridges and cut POPs
        stub = f"S{s:04d}"
        pop_ids.append(stub)
        host = metro_pops[rng.randrange(metros)][0]
        links.append(
            {"id": f"s{s}", "a": host, "b": stub, "latency_ms": 3.0, "capacity_mbps": 10000}
        )
    stub_ids = [p for p in pop_ids if p.startswith("S")]
    vlans: dict[str, int] = {}
    peering = int(ipaddress.IPv4Address("10.128.0.0"))
    site_list = []
    for i in range(sites):
        roll = rng.random()
        if roll < 0.001:
            line_pops = [rng.choice(stub_ids)]
        elif roll < 0.6:
            line_pops = list(metro_pops[rng.randrange(metros)])
        else:
            line_pops = [rng.choice(metro_pops[rng.randrange(metros)])]
        lines = []
        for n, pop in enumerate(line_pops):
            vlans[pop] = vlans.get(pop, 0) + 1
            site_ip = str(ipaddress.IPv4Address(peering))
            exchange_ip = str(ipaddress.IPv4Address(peering + 1))
            peering += 2
            lines.append(
                {
                    "id": f"site{i}-{n}",
                    "pop": pop,
                    "bandwidth_mbps": 1000,
                    "vlan": vlans[pop],
                    "peering": {"site_ip": f"{site_ip}/31", "exchange_ip": f"{exchange_ip}/31"},
                }
            )
        site = {
            "id": f"site{i}",
            "cloud": "onprem",
            "asn": 4200000000 + i,
            "cidrs": [f"10.{i // 256}.{i % 256}.0/24"],
            "bandwidth_mbps": 1000,
            "lines": lines,
        }
        site_list.append(site)
    order = list(range(sites))
    rng.shuffle(order)
    segments = [
        {"id": f"seg{k}", "sites": [f"site{i}" for i in order[k * segment : (k + 1) * segment]]}
        for k in range((sites + segment - 1) // segment)
    ]
    plan = {
        "version": 1,
        "name": f"bench-{pops}-{sites}-{segment}-{seed}",
        "exchange": {"asn": 64600},
        "pops": [{"id": p} for p in pop_ids],
        "backbone": links,
        "segments": segments,
        "sites": site_list,
    }
    if sla is not None:
        plan["sla_target"] = sla
    if flows:
        declared = []
        for _ in range(flows):
            members = rng.choice(segments)["sites"]
            a, b = rng.sample(members, 2)
            declared.append(
                {
                    "from": a,
                    "to": b,
                    "bandwidth_mbps": rng.choice([10, 50, 100]),
                    "max_latency_ms": rng.choice([50, 100, 200]),
                }
            )
        plan["flows"] = declared
    return plan


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pops", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=10000)
    parser.add_argument("--segment", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sla", type=float, default=None, help="top-level sla_target")
    parser.add_argument("--flows", type=int, default=0, help="declared flows (default none)")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    plan = generate(args.pops, args.sites, args.segment, args.seed, args.sla, args.flows)
    text = json.dumps(plan, separators=(",", ":"))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(text)


if __name__ == "__main__":
    main()
