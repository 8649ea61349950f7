"""Generate plans of one awkward *shape* each (JSON), for the shape benchmark.

    python3 bench/shapes/generate.py chain --pops 10000 -o chain.json
    python3 bench/shapes/generate.py flows --pops 2000 --flows 5000 -o flows.json
    python3 bench/shapes/generate.py ranges --ranges 1000000 -o ranges.json
    python3 bench/shapes/generate.py findings --findings 1000000 -o findings.json

* ``chain``: POPs ``P00000 … P{n-1}`` joined in one line (every link a bridge, every
  inner POP a cut POP), a site with two lines on each end POP and ``--sites`` more
  one-line sites spread evenly along the chain; no flows, one segment; ``--sla``
  sets a top-level ``sla_target`` the two end sites cannot meet (CCV701 hints).
* ``tree``: ``--pops`` POPs in a binary tree (every link a bridge) and ``--sites``
  dual-homed sites, each with a line on a POP and one on its parent; one segment.
* ``flows``: the same chain with one site per POP (one line each) and ``--flows``
  declared flows between random sites, each with a bandwidth and a latency budget;
  ``--sla`` sets a top-level ``sla_target`` (CCV701 hints for every site).
* ``ranges``: one site holding ``--ranges`` distinct /24 … /30 ranges (with
  ``--nested`` of them inside an earlier one), plus a peer site.
* ``findings``: ``--findings`` sites without lines, each a CCV501 finding (plus
  the two unused POPs, CCV506).

Same arguments, same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys


def _line(site: str, n: int, pop: str, vlan: int, index: int) -> dict:
    hi, lo = divmod(index, 128)
    return {
        "id": f"{site}-{n}",
        "pop": pop,
        "bandwidth_mbps": 1000,
        "vlan": vlan,
        "peering": {
            "site_ip": f"100.{64 + hi // 256}.{hi % 256}.{lo * 2}/31",
            "exchange_ip": f"100.{64 + hi // 256}.{hi % 256}.{lo * 2 + 1}/31",
        },
    }


def _plan(name: str, pops: list[str], links: list[dict], sites: list[dict]) -> dict:
    return {
        "version": 1,
        "name": name,
        "exchange": {"asn": 64600},
        "pops": [{"id": p} for p in pops],
        "backbone": links,
        "sites": sites,
    }


def _chain(n: int) -> tuple[list[str], list[dict]]:
    pops = [f"P{i:05d}" for i in range(n)]
    links = [
        {
            "id": f"k{i:05d}",
            "a": pops[i],
            "b": pops[i + 1],
            "latency_ms": 1.0,
            "capacity_mbps": 100000,
        }
        for i in range(n - 1)
    ]
    return pops, links


def _site(i: int, pops: list[str], vlans: dict[str, int], counter: list[int]) -> dict:
    lines = []
    for n, pop in enumerate(pops):
        vlans[pop] = vlans.get(pop, 0) + 1
        lines.append(_line(f"s{i}", n, pop, vlans[pop], counter[0]))
        counter[0] += 1
    return {
        "id": f"s{i}",
        "cloud": "onprem",
        "asn": 4200000000 + i,
        "cidrs": [f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}/32"],
        "lines": lines,
    }


def chain(pops: int, sites: int, sla: float | None = None) -> dict:
    """A long chain with sites at both ends and ``sites`` more along it."""
    pop_ids, links = _chain(pops)
    vlans: dict[str, int] = {}
    counter = [0]
    site_list = [
        _site(0, [pop_ids[0], pop_ids[0]], vlans, counter),
        _site(1, [pop_ids[-1], pop_ids[-1]], vlans, counter),
    ]
    for k in range(sites):
        site_list.append(_site(k + 2, [pop_ids[(k * pops) // max(sites, 1)]], vlans, counter))
    plan = _plan(f"chain-{pops}-{sites}", pop_ids, links, site_list)
    if sla is not None:  # CCV701 then looks for the smallest change, re-analysing what-ifs
        plan["sla_target"] = sla
    return plan


def tree(pops: int, sites: int) -> dict:
    """A binary tree of POPs (every link a bridge) with ``sites`` dual-homed sites, each
    with one line on a POP and one on its parent; no flows, one segment."""
    pop_ids = [f"P{i:05d}" for i in range(pops)]
    links = [
        {
            "id": f"k{i:05d}",
            "a": pop_ids[(i - 1) // 2],
            "b": pop_ids[i],
            "latency_ms": 1.0,
            "capacity_mbps": 100000,
        }
        for i in range(1, pops)
    ]
    vlans: dict[str, int] = {}
    counter = [0]
    site_list = []
    for k in range(sites):
        j = 1 + k % (pops - 1)
        site_list.append(_site(k, [pop_ids[j], pop_ids[(j - 1) // 2]], vlans, counter))
    return _plan(f"tree-{pops}-{sites}", pop_ids, links, site_list)


def flows(pops: int, count: int, seed: int, sla: float | None = None) -> dict:
    """A chain with one site per POP and ``count`` declared flows between random sites."""
    rng = random.Random(seed)
    pop_ids, links = _chain(pops)
    vlans: dict[str, int] = {}
    counter = [0]
    site_list = [_site(i, [p], vlans, counter) for i, p in enumerate(pop_ids)]
    declared = []
    for _ in range(count):
        a, b = rng.sample(range(pops), 2)
        declared.append(
            {
                "from": f"s{a}",
                "to": f"s{b}",
                "bandwidth_mbps": rng.choice([10, 50, 100]),
                "max_latency_ms": rng.choice([500, 1000, 5000]),
            }
        )
    plan = _plan(f"flows-{pops}-{count}-{seed}", pop_ids, links, site_list)
    plan["flows"] = declared
    if sla is not None:  # each flow's ends then need a ring between them
        plan["sla_target"] = sla
    return plan


def ranges(count: int, nested: int, seed: int) -> dict:
    """One site with ``count`` ranges (``nested`` of them inside an earlier one)."""
    rng = random.Random(seed)
    cidrs = []
    for i in range(count - nested):  # distinct /28 blocks of 10/8 and 172.16/12
        block = i * 16
        if block < 1 << 24:
            base = (10 << 24) + block
        else:
            base = (172 << 24) + (16 << 16) + block - (1 << 24)
        cidrs.append(base)
    out = [f"{b >> 24}.{(b >> 16) & 255}.{(b >> 8) & 255}.{b & 255}/28" for b in cidrs]
    for _ in range(nested):
        b = rng.choice(cidrs) + 4 * rng.randrange(4)
        out.append(f"{b >> 24}.{(b >> 16) & 255}.{(b >> 8) & 255}.{b & 255}/30")
    rng.shuffle(out)
    pop_ids = ["HKG1", "HKG2"]
    links = [{"id": "hkg1-hkg2", "a": "HKG1", "b": "HKG2", "latency_ms": 1.0}]
    big = {
        "id": "big",
        "cloud": "onprem",
        "asn": 65001,
        "cidrs": out,
        "lines": [_line("big", 0, "HKG1", 10, 0), _line("big", 1, "HKG2", 10, 1)],
    }
    peer = {
        "id": "peer",
        "cloud": "onprem",
        "asn": 65002,
        "cidrs": ["192.168.0.0/24"],
        "lines": [_line("peer", 0, "HKG1", 11, 2), _line("peer", 1, "HKG2", 11, 3)],
    }
    return _plan(f"ranges-{count}-{nested}-{seed}", pop_ids, links, [big, peer])


def findings(count: int) -> dict:
    """``count`` findings of one cheap rule: sites without lines (CCV501), each its own range."""
    pop_ids = ["HKG1", "HKG2"]
    links = [{"id": "hkg1-hkg2", "a": "HKG1", "b": "HKG2", "latency_ms": 1.0}]
    sites = []
    for i in range(count):
        b = (10 << 24) + i * 16
        sites.append(
            {
                "id": f"s{i}",
                "cloud": "onprem",
                "asn": 65001,
                "cidrs": [f"{b >> 24}.{(b >> 16) & 255}.{(b >> 8) & 255}.{b & 255}/28"],
            }
        )
    return _plan(f"findings-{count}", pop_ids, links, sites)


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", choices=["chain", "tree", "flows", "ranges", "findings"])
    parser.add_argument("--pops", type=int, default=10000)
    parser.add_argument("--sites", type=int, default=0, help="chain, tree: sites")
    parser.add_argument("--flows", type=int, default=5000)
    parser.add_argument("--ranges", type=int, default=1000000)
    parser.add_argument("--nested", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=1000000)
    parser.add_argument(
        "--sla", type=float, default=None, help="chain, flows: top-level sla_target"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    if args.shape == "chain":
        plan = chain(args.pops, args.sites, args.sla)
    elif args.shape == "tree":
        plan = tree(args.pops, args.sites)
    elif args.shape == "flows":
        plan = flows(args.pops, args.flows, args.seed, args.sla)
    elif args.shape == "ranges":
        plan = ranges(args.ranges, args.nested, args.seed)
    else:
        plan = findings(args.findings)
    text = json.dumps(plan, separators=(",", ":"))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(text)


if __name__ == "__main__":
    main()
