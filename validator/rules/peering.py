"""Interconnect rules (CCV301–CCV307): peering addresses and VLANs of access lines.

Peering addresses, peering subnets and VLANs per POP conflict across the whole plan,
whatever the segments: one exchange router, one set of physical ports (SPEC §8).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from operator import add, attrgetter
from typing import NamedTuple

from validator.addressing.index import (
    PEERING_FIELDS,
    Endpoint,
)
from validator.addressing.parse import BITS, Net
from validator.clouds import pack
from validator.fixes.patch import replace
from validator.fixes.suggest import free_vlan
from validator.model import Line, Site
from validator.rules.context import Context
from validator.rules.peering_cloud import (
    circuit_hits,
    circuit_quiet,
    line_peering_hits,
    vlans_by_pop,
)
from validator.rules.peering_hints import cloud_fix, free_subnet, is_host, move_pair, pair_fix
from validator.rules.registry import Hit, rule
from validator.wording import name as field_name


class Pair(NamedTuple):
    """The two ends of one address family of a line's BGP session (either may be
    missing), and what is wrong with them (for CCV301)."""

    line_pos: int
    site_field: str
    exchange_field: str
    site: Endpoint | None
    exchange: Endpoint | None
    mismatch: str | None  # _mismatch of the two ends; None when one is missing


_SLOT = {name: slot for slot, name in enumerate(f for pair in PEERING_FIELDS for f in pair)}
"""Position of each peering field in PEERING_FIELDS read flat: site_ip 0, exchange_ip 1…"""


def _pairs(ctx: Context) -> tuple[list[Pair], list[Pair]]:
    """(the pairs CCV301 reports, the pairs CCV302 must look at), each in line order.

    One pass over the parsed peering addresses, worked out once for both rules. A pair
    whose ends are in one subnet and are two distinct usable hosts (nearly every pair
    of a plan) is in neither list."""

    def compute() -> tuple[list[Pair], list[Pair]]:
        mismatched: list[Pair] = []
        suspect: list[Pair] = []
        for line_pos, ends in enumerate(ctx.ranges.endpoints):
            if not ends:
                continue
            if len(ends) == 2:  # the common line: one pair, settled without the slots
                a, b = ends
                if a.field == "site_ip" and b.field == "exchange_ip" and _clean(a.net, b.net):
                    continue
            slots: list[Endpoint | None] = [None, None, None, None]
            for end in ends:
                slots[_SLOT[end.field]] = end
            for family, (site_f, ex_f) in enumerate(PEERING_FIELDS):
                site, exchange = slots[2 * family], slots[2 * family + 1]
                if site is None and exchange is None:
                    continue
                if site is not None and exchange is not None:
                    if _clean(site.net, exchange.net):
                        continue
                    problem = _mismatch(site, exchange)
                    if problem is not None:
                        mismatched.append(Pair(line_pos, site_f, ex_f, site, exchange, problem))
                        continue
                if not _address_ok(site, exchange):
                    suspect.append(Pair(line_pos, site_f, ex_f, site, exchange, None))
        return mismatched, suspect

    return ctx.memo("peering.pairs", compute)


def _clean(a: Net, b: Net) -> bool:
    """True for the ordinary pair, in one comparison chain: ``a`` and ``b`` are two
    distinct usable hosts of one subnet (same version, prefix length and network, not
    a host route). Neither CCV301 (``_mismatch``) nor CCV302 (``_address_ok``) has
    anything to say about such a pair; any other pair takes those two."""
    if a.first != b.first or a.prefixlen != b.prefixlen or a.version != b.version:
        return False
    if a.address == b.address:
        return False
    bits = BITS[a.version]
    if a.prefixlen >= bits - 1:  # /31, /127: both addresses usable; /32, /128: no pair
        return a.prefixlen < bits
    first, last = a.first, a.last  # b's too: one network
    if a.address == first or b.address == first:
        return False  # the network address (IPv6: subnet-router anycast)
    return a.version == 6 or (a.address != last and b.address != last)  # IPv4 broadcast


def _address_ok(site: Endpoint | None, exchange: Endpoint | None) -> bool:
    """True when CCV302 has nothing to say about this pair: every end written is a
    usable host of its subnet (or a lone /32, /128 end), and the two ends differ."""
    for end in (site, exchange):
        if end is not None and not is_host(end.net) and end.net.prefixlen < BITS[end.net.version]:
            return False
    return not (
        site is not None
        and exchange is not None
        and site.net.address == exchange.net.address
        and is_host(site.net)
    )


def _mismatch(site: Endpoint, exchange: Endpoint) -> str | None:
    a, b = site.net, exchange.net
    if a.version != b.version:
        return "are not of one IP version"
    if a.prefixlen != b.prefixlen:
        return f"have different prefix lengths (/{a.prefixlen} and /{b.prefixlen})"
    if a.prefixlen == BITS[a.version]:
        return f"are /{a.prefixlen} host routes, which leave no subnet for two ends"
    if a.first != b.first:
        return f"are in different subnets ({a.network_text()} and {b.network_text()})"
    return None


@rule(
    "CCV301",
    "peering-subnet-mismatch",
    "error",
    "the two peering addresses of a line are not in one subnet of the same length",
    "put both ends in one subnet with one prefix length, e.g. 169.254.10.1/30 and 169.254.10.2/30",
)
def check_subnet_mismatch(ctx: Context) -> Iterator[Hit]:
    """The site and exchange ends of a line's BGP session must sit in one subnet with
    one prefix length (`site_ip`/`exchange_ip`, and `site_ipv6`/`exchange_ipv6`);
    otherwise neither end has a connected route to the other and BGP never comes up.
    /32 and /128 leave no room for two ends.

    Failing: `{site_ip: 169.254.20.1/30, exchange_ip: 169.254.20.6/30}` (.0/30 and .4/30).
    Passes: `{site_ip: 169.254.20.1/30, exchange_ip: 169.254.20.2/30}`, and a /31 pair
    `{site_ip: 10.255.0.0/31, exchange_ip: 10.255.0.1/31}`.
    """
    index = ctx.ranges
    for line_pos, site_f, ex_f, site, exchange, problem in _pairs(ctx)[0]:
        assert site is not None and exchange is not None
        line = index.lines[line_pos]
        names = line.peering.names  # type: ignore[union-attr]
        yield Hit(
            f"peering addresses of line {line.id}, {field_name(names, site_f)} {site.text} and "
            f"{field_name(names, ex_f)} {exchange.text}, {problem}",
            (line.id,),
            line.peering.origin.child(ex_f),  # type: ignore[union-attr]
            **(
                pair_fix(ctx, line_pos, site, None, site_f, ex_f, names)
                if site.net.version == exchange.net.version or is_host(site.net)
                else {}
            ),
        )


@rule(
    "CCV302",
    "peering-address-invalid",
    "error",
    "a peering address is the network or broadcast address of its subnet (/30 and shorter), "
    "or both ends use one address",
    "use two distinct host addresses of the subnet",
)
def check_address_invalid(ctx: Context) -> Iterator[Hit]:
    """A peering address must be a usable host address of its subnet: in IPv4 not the
    network or the broadcast address (for /30 and shorter), in IPv6 not the network
    address (the subnet-router anycast address; IPv6 has no broadcast) for /126 and
    shorter. /31 (RFC 3021) and /127 (RFC 6164) use both addresses. Both ends of a
    line must not use the same address. The hint gives a valid pair.

    Failing: `{exchange_ip: 192.168.20.0/30, site_ip: 192.168.20.2/30}` (.0 is the
    network; hint: exchange_ip 192.168.20.1/30).
    Passes: `{site_ip: 169.254.30.0/31, exchange_ip: 169.254.30.1/31}`.
    """
    index = ctx.ranges
    for line_pos, site_f, ex_f, site, exchange, _ in _pairs(ctx)[1]:  # CCV301's left out
        line = index.lines[line_pos]
        origin = line.peering.origin  # type: ignore[union-attr]
        origin_names = line.peering.names  # type: ignore[union-attr]
        fix: dict | None = None
        for end in (site, exchange):
            if end is None or is_host(end.net):
                continue
            net = end.net
            if net.prefixlen >= BITS[net.version]:
                continue  # a lone /32 end: nothing to pair, no subnet to speak of
            what = "network" if net.address == net.first else "broadcast"
            fix = fix or pair_fix(ctx, line_pos, site, exchange, site_f, ex_f, origin_names)
            yield Hit(
                f"{field_name(origin_names, end.field)} {end.text} of line {line.id} is the "
                f"{what} address of {net.network_text()}",
                (line.id,),
                origin.child(end.field),
                **fix,
            )
        if (
            site is not None
            and exchange is not None
            and site.net.address == exchange.net.address
            and is_host(site.net)
        ):
            yield Hit(
                f"both ends of line {line.id} use {site.net.address_text()}",
                (line.id,),
                origin.child(ex_f),
                **pair_fix(ctx, line_pos, site, exchange, site_f, ex_f, origin_names),
            )


@rule(
    "CCV303",
    "peering-duplicate",
    "error",
    "two lines use the same peering address",
    "give each line its own peering subnet",
)
def check_peering_duplicate(ctx: Context) -> Iterator[Hit]:
    """No two lines may use the same peering address, whatever their sites and
    segments: all sessions end on one exchange router, which can hold an address on
    one interface only. Each line that reuses an address is reported at that line,
    naming the first line using it (k lines on one address: k - 1 findings).

    Failing: line `dc-hk-1` uses `site_ip: 169.254.20.1/30` like line `aws-hk-1`.
    Passes: `169.254.20.1/30` on one line and `169.254.20.5/30` on the other.
    """
    yield from (hit for hit, _ in _shared_addresses(ctx))


def _shared_addresses(ctx: Context) -> list[tuple[Hit, tuple[int, int]]]:
    def compute() -> list[tuple[Hit, tuple[int, int]]]:
        # Two lines that share an address have overlapping peering subnets (of one IP
        # version, both holding it); without any such pair (CCV304's list, built once
        # for both rules) there is nothing to look for address by address.
        if not ctx.peering_overlaps:
            return []
        index = ctx.ranges
        # Each reuse is reported against the first line using the address: k lines on
        # one address give k - 1 findings, not k(k - 1)/2.
        first_use: dict[int, dict[int, Endpoint]] = {4: {}, 6: {}}  # version, address
        pairs: dict[tuple[int, int], list[tuple[Endpoint, Endpoint]]] = {}
        for ends in index.endpoints:
            for end in ends:
                earlier = first_use[end.net.version].setdefault(end.net.address, end)
                if earlier.line_pos != end.line_pos:
                    pairs.setdefault((earlier.line_pos, end.line_pos), []).append((earlier, end))
        found = []
        for (a, b), shared in pairs.items():
            line_a, line_b = index.lines[a], index.lines[b]
            earlier, later = shared[0]
            addresses = list(dict.fromkeys(e.net.address_text() for _, e in shared))
            words = "address" if len(addresses) == 1 else "addresses"
            default = (
                f"give line {line_b.id} its own peering subnet; "
                "every session ends on the one exchange router"
            )
            versions = {e.net.version for _, e in shared}
            moved = (
                move_pair(ctx, b, later.net.version, later.net.prefixlen, "")
                if len(versions) == 1
                else None
            )
            found.append(
                (
                    Hit(
                        f"line {line_b.id} uses peering {words} {', '.join(addresses)}, which "
                        f"line {line_a.id} already uses",
                        (line_a.id, line_b.id),
                        line_b.peering.origin.child(later.field),  # type: ignore[union-attr]
                        **(moved | {"fallback": default} if moved else {"hint": default}),
                    ),
                    (a, b),
                )
            )
        return found

    return ctx.memo("peering.shared", compute)


@rule(
    "CCV304",
    "peering-overlap",
    "error",
    "peering subnets of two lines overlap",
    "give each line its own, non-overlapping peering subnet",
)
def check_peering_overlap(ctx: Context) -> Iterator[Hit]:
    """The peering subnets of two lines must not overlap, whatever their sites and
    segments (one exchange router). Lines that share an address are CCV303 instead,
    never both. One finding per pair of lines, at the later line; lines with identical
    subnets are reported against the first line with that subnet, and a subnet inside
    several identical ones against the first of them.

    Failing: `169.254.40.1/29` on one line, `169.254.40.5/30` on another.
    Passes: `169.254.40.1/30` and `169.254.40.5/30` (adjacent /30s).
    """
    index = ctx.ranges

    def addresses(line_pos: int) -> set[tuple[int, int]]:
        return {(e.net.version, e.net.address) for e in index.endpoints[line_pos]}

    reported: set[tuple[int, int]] = set()
    for a, b in sorted(ctx.peering_overlaps, key=lambda p: (p[1].line_pos, p[0].line_pos)):
        pair = (a.line_pos, b.line_pos)
        if pair in reported or addresses(a.line_pos) & addresses(b.line_pos):
            continue  # lines that share an address are CCV303's
        reported.add(pair)
        line_a, line_b = index.lines[a.line_pos], index.lines[b.line_pos]
        default = f"give line {line_b.id} a peering subnet outside {a.net.network_text()}"
        moved = move_pair(ctx, b.line_pos, b.net.version, b.net.prefixlen, "")
        yield Hit(
            f"peering subnet {b.net.network_text()} of line {line_b.id} overlaps "
            f"{a.net.network_text()} of line {line_a.id}",
            (line_a.id, line_b.id),
            line_b.peering.origin.child(b.endpoint.field),  # type: ignore[union-attr]
            **(moved | {"fallback": default} if moved else {"hint": default}),
        )


@rule(
    "CCV305",
    "peering-cidr-overlap",
    "error",
    "a peering subnet overlaps a range advertised by a site that meets the line's site",
    "take peering subnets from space no site advertises (e.g. 169.254.0.0/16)",
)
def check_peering_cidr(ctx: Context) -> Iterator[Hit]:
    """A line's peering subnet must not overlap a range advertised by a site that
    meets the line's site, the line's own site included: the BGP next hop would be
    routed into the VPC instead of over the line.

    Failing: site `aws-hk` advertises `10.10.0.0/16` and its line peers on
    `10.10.255.1/30`.
    Passes: the same line on `169.254.10.1/30`, or a site in a disjoint segment that
    advertises `10.10.0.0/16`.
    """
    index = ctx.ranges
    pairs = sorted(index.subnet_range, key=lambda p: (p.subnet.index, p.range.site, p.range.index))
    for subnet_entry, range_entry in pairs:
        subnet = index.subnets[subnet_entry.index]
        line = index.lines[subnet.line_pos]
        site = index.sites[range_entry.site]
        text = index.text(range_entry)
        yield Hit(
            f"peering subnet {subnet.net.network_text()} of line {line.id} overlaps {text} "
            f"advertised by site {site.id}",
            (line.id, site.id),
            line.peering.origin.child(subnet.endpoint.field),  # type: ignore[union-attr]
            **free_subnet(ctx, subnet, f"or stop advertising {text} from site {site.id}"),
        )


@rule(
    "CCV307",
    "vlan-conflict",
    "error",
    "two lines on one POP use the same VLAN, or a VLAN outside 1..4094",
    "give every line on a POP its own VLAN in 1..4094",
)
def check_vlan(ctx: Context) -> Iterator[Hit]:
    """Lines on one POP share the POP's ports and must use distinct VLAN ids, which
    IEEE 802.1Q limits to 1..4094 (0 and 4095 are reserved). The same VLAN on two POPs
    is fine. A repeated VLAN is reported at each later line, naming the first line
    that uses it.

    The links of one cloud circuit whose cloud puts one VLAN on all of them (an Azure
    ExpressRoute circuit: its primary and secondary link, on two ports) may share it:
    lines of one site with the same `circuit` (default: the site's id) never conflict
    with each other. Different VLANs on such a circuit are CCV306.

    Failing: lines `aws-hk-1` and `dc-hk-1` both on HKG1 with `vlan: 100`; `vlan: 4095`.
    Passes: `vlan: 100` on HKG1 and `vlan: 100` on SIN1; the primary and secondary
    lines of one Azure site on HKG1, both `vlan: 300`.
    """
    first: dict[tuple[str, int], str] = {}
    first_line: dict[tuple[str, int], Line] = {}
    sites = {site.id: site for site in ctx.plan.sites} if (lines := _vlan_suspects(ctx)) else {}
    for line in lines:
        vlan = line.vlan
        if vlan is None:
            continue
        if not 1 <= vlan <= 4094:
            site = sites.get(line.site)
            links = [
                other for other in (site.lines if site else ())
                if other is line or _one_vlan_circuit(site, line, other)
            ]  # fmt: skip
            pops = [other.pop for other in links if other.pop]
            free = free_vlan(ctx, pops, None) if line.pop is not None else None
            free = free if _vlans_movable(ctx, links) else None
            yield Hit(
                f"VLAN {vlan} of line {line.id} is outside 1..4094",
                (line.id,),
                line.origin.child("vlan"),
                "use a VLAN id from 1 to 4094 (IEEE 802.1Q reserves 0 and 4095)"
                + (f", e.g. {free}, free on POP {line.pop}" if free else "")
                + (" (for every link of its circuit)" if free and len(links) > 1 else ""),
                fix=[replace(other.origin.child("vlan"), free) for other in links]
                if free
                else None,
                fallback="use a VLAN id from 1 to 4094 (IEEE 802.1Q reserves 0 and 4095)",
            )
            continue
        if line.pop is None:
            continue
        key = (line.pop, vlan)
        if key in first:
            if _one_vlan_circuit(sites.get(line.site), first_line[key], line):
                continue
            # Free among every line of the POP, in the whole file (not only earlier lines);
            # a circuit that carries one VLAN (Azure) moves all its links together.
            site = sites.get(line.site)
            links = [
                other for other in (site.lines if site else ())
                if other is line or _one_vlan_circuit(site, line, other)
            ]  # fmt: skip
            free = free_vlan(ctx, [other.pop for other in links if other.pop], vlan)
            free = free if _vlans_movable(ctx, links) else None
            also = [other.id for other in links if other is not line]
            words = f" (with the other link of its circuit, {', '.join(also)})" if also else ""
            yield Hit(
                f"line {line.id} uses VLAN {vlan} on POP {line.pop}, which line "
                f"{first[key]} already uses",
                (first[key], line.id),
                line.origin.child("vlan"),
                f"use a free VLAN on {line.pop}" + (f", e.g. {free}{words}" if free else ""),
                fix=[replace(other.origin.child("vlan"), free) for other in links]
                if free
                else None,
                fallback=f"use a free VLAN on {line.pop}",
            )
            continue
        first[key] = line.id
        first_line[key] = line


_POP, _VLAN = attrgetter("pop"), attrgetter("vlan")


def _vlan_suspects(ctx: Context) -> list[Line]:
    """The lines CCV307 may report, in plan order: each line with a VLAN outside 1..4094
    and every line whose (POP, VLAN) another line uses too. Those are the only lines the
    rule's loop can flag, or that a flagged line names as the first user of its VLAN. A
    plan without such lines (the common case) costs a min, a max and one set of
    integers, all built in C (``map``) rather than in a Python loop."""
    lines = ctx.plan.lines()
    vlans = list(map(_VLAN, lines))
    if None in vlans:
        lines = [line for line in lines if line.vlan is not None]
        vlans = list(map(_VLAN, lines))
    if not lines:
        return []
    pops = list(map(_POP, lines))
    if min(vlans) >= 1 and max(vlans) <= 4094:
        # Each (POP, VLAN) as one integer, POP number × 4096 + VLAN: distinct exactly
        # when the pairs are (VLANs here are below 4096), and far cheaper to build and
        # hash than a tuple per line.
        numbers = {pop: n * 4096 for n, pop in enumerate(dict.fromkeys(pops))}
        keys = list(map(add, map(numbers.__getitem__, pops), vlans))
        if len(set(keys)) == len(keys):
            return []
    shared = {key for key, count in Counter(zip(pops, vlans, strict=True)).items() if count > 1}
    return [
        line
        for line, key in zip(lines, zip(pops, vlans, strict=True), strict=True)
        if key in shared or not 1 <= key[1] <= 4094
    ]


def _vlans_movable(ctx: Context, links: list[Line]) -> bool:
    """False when moving ``links`` to another VLAN would re-anchor other lines' findings:
    a link is the first user of its VLAN on its POP and two or more other lines reuse it
    (each reuse is reported naming the first line, which would then change)."""
    by_pop = vlans_by_pop(ctx)
    ours = {id(link) for link in links}
    for link in links:
        if link.pop is None or link.vlan is None or not 1 <= link.vlan <= 4094:
            continue
        users = by_pop.get(link.pop, {}).get(link.vlan, [])
        if not users or id(users[0]) not in ours:
            continue
        # the users that are not ours, counted from our few links, not the POP's many
        mine = sum(1 for other in links if other.pop == link.pop and other.vlan == link.vlan)
        if len(users) - mine > 1:
            return False
    return True


def _one_vlan_circuit(site: Site | None, a: Line, b: Line) -> bool:
    """True when ``a`` and ``b`` are links of one circuit that carries one VLAN."""
    if site is None or a.site != b.site or a.circuit != b.circuit:
        return False
    found = pack(site.cloud)
    return bool(found and found.circuit and found.circuit.one_vlan)


@rule(
    "CCV306",
    "peering-cloud-rule",
    "error",
    "peering addressing breaks the cloud's rules (e.g. link-local /29 or /30 where the cloud "
    "requires it)",
    "follow the cloud's peering address rules",
)
def check_peering_cloud(ctx: Context) -> Iterator[Hit]:
    """A line's BGP peering addresses must follow the rules of the site's cloud.

    Per cloud (see docs/clouds.md):

    - Azure ExpressRoute: a /30 per link for IPv4 and a /126 for IPv6; the provider
      (exchange) end uses the first address of the subnet and Microsoft (the site) the
      second, e.g. exchange 192.168.100.129/30, site 192.168.100.130/30.
    - Google Cloud: a /29 or /30 inside 169.254.0.0/16.
    - Oracle FastConnect: IPv4 /28 to /31, IPv6 /64 to /127.
    - AWS: IPv6 peer addresses cannot be chosen (Amazon allocates a /125), so a line
      of an AWS site must not set `site_ipv6`/`exchange_ipv6`.

    A pair the generic rules already reject (CCV301, CCV302) is not checked again.

    Circuits: an Azure ExpressRoute circuit is exactly a primary and a secondary link,
    and its private peering uses one VLAN ID on both. The lines of an Azure site with
    the same `circuit` (default: the site's id) are the links of one circuit: a third
    link, or a VLAN other than the first link's, is reported at the later line. Give
    each circuit's lines their own `circuit` id when a site has several circuits.

    Failing (Google Cloud wants link-local addressing):

        peering: {site_ip: 10.0.0.1/30, exchange_ip: 10.0.0.2/30}

    Passing near-miss: `{site_ip: 169.254.0.1/30, exchange_ip: 169.254.0.2/30}`.
    """
    endpoints = ctx.ranges.endpoints  # per line, in plan order: sites, then their lines
    line_pos = 0
    for site in ctx.plan.sites:
        first = line_pos
        line_pos += len(site.lines)
        found = pack(site.cloud)
        if found is None:
            continue
        if found.circuit is not None and not circuit_quiet(site, found.circuit):
            yield from circuit_hits(ctx, site, found)
        if not (found.peering_v4 or found.peering_v6):
            continue
        remedy = partial(cloud_fix, ctx, site)
        for offset, line in enumerate(site.lines):
            if line.peering is not None:
                hits = line_peering_hits(site, line, found, endpoints[first + offset], remedy)
                if hits:
                    yield from hits
