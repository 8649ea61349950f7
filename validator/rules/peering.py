"""Interconnect rules (CCV301–CCV307): peering addresses and VLANs of access lines.

Peering addresses, peering subnets and VLANs per POP conflict across the whole plan,
whatever the segments: one exchange router, one set of physical ports (SPEC §8).
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.addressing.index import (
    PEERING_FIELDS,
    Endpoint,
    Subnet,
)
from validator.addressing.parse import BITS, Net, make_net, parse_net
from validator.clouds import SECONDARY, CloudPack, PeeringRule, pack
from validator.fixes.patch import add, replace
from validator.fixes.suggest import address_text, free_vlan, peering_pair
from validator.model import Line, Site
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.wording import Names, assign, assign_number, rename
from validator.wording import name as field_name


def _is_host(net: Net) -> bool:
    """True when ``net.address`` may be used by an end of a point-to-point link."""
    bits = BITS[net.version]
    if net.prefixlen >= bits - 1:  # /31, /127: both addresses (RFC 3021, RFC 6164)
        return net.prefixlen < bits
    if net.address == net.first:
        return False  # network (IPv6: subnet-router anycast, RFC 4291 §2.6.1)
    return not (net.version == 4 and net.address == net.last)  # IPv4 broadcast


def _hosts(version: int, first: int, prefixlen: int) -> Iterator[int]:
    """The first usable host addresses of a subnet (at most three)."""
    bits = BITS[version]
    last = first | ((1 << (bits - prefixlen)) - 1)
    if prefixlen >= bits - 1:
        candidates = [first, last]
    else:
        candidates = [first + 1, first + 2, first + 3]
        candidates = [a for a in candidates if a < last or (version == 6 and a == last)]
    yield from candidates


def _text(version: int, address: int, prefixlen: int) -> str:
    return make_net(version, address, prefixlen).address_text() + f"/{prefixlen}"


def _pair_hint(
    site: Endpoint | None, exchange: Endpoint | None, site_f: str, ex_f: str, names: Names = None
) -> str:
    """A valid pair in words: keep an end that is a valid host, choose the other in its
    subnet; written as the line's input writes it (``names``, validator.wording). Used
    when no verified pair can be offered."""
    keep = next((e for e in (site, exchange) if e is not None and _is_host(e.net)), None)
    base = keep or site or exchange
    assert base is not None
    net = base.net
    prefixlen = net.prefixlen
    if prefixlen >= BITS[net.version]:  # /32 or /128: room for two ends needed
        prefixlen = 30 if net.version == 4 else 127
    first = make_net(net.version, net.address, prefixlen).first
    used = {keep.net.address} if keep is not None else set()
    hosts = [a for a in _hosts(net.version, first, prefixlen) if a not in used]
    if keep is not None and prefixlen == net.prefixlen:
        other = hosts[0]
        pair = {keep.field: keep.net.address, "other": other}
        site_addr = pair.get(site_f, other)
        ex_addr = pair.get(ex_f, other)
    else:
        site_addr, ex_addr = hosts[0], hosts[1]
    pair = [
        (site_f, _text(net.version, site_addr, prefixlen)),
        (ex_f, _text(net.version, ex_addr, prefixlen)),
    ]
    return f"use {assign(names, pair)}"


def _used_addresses(ctx: Context) -> dict[tuple[int, int], set[int]]:
    """Line positions using each (version, address), whole plan."""

    def compute() -> dict[tuple[int, int], set[int]]:
        found: dict[tuple[int, int], set[int]] = {}
        for ends in ctx.ranges.endpoints:
            for end in ends:
                found.setdefault((end.net.version, end.net.address), set()).add(end.line_pos)
        return found

    return ctx.memo("peering.used_addresses", compute)


def _pair_fix(
    ctx: Context,
    line_pos: int,
    site: Endpoint | None,
    exchange: Endpoint | None,
    site_f: str,
    ex_f: str,
    names: Names = None,
) -> dict:
    """Hint and fix for a pair the generic rules refuse: the end that is a valid host
    stays, the other becomes a host of its subnet that no other line uses, in the
    positions the site's cloud asks for (CCV306 is the judge). Without such a pair, the
    pair in words only (``_pair_hint``)."""

    default = _pair_hint(site, exchange, site_f, ex_f, names)
    keep = next((e for e in (site, exchange) if e is not None and _is_host(e.net)), None)
    base = keep or site or exchange
    assert base is not None
    net = base.net
    if net.prefixlen >= BITS[net.version] or line_pos in _overlapping_lines(ctx):
        # Another line's subnet overlaps: changing an address could turn its CCV303 into
        # a CCV304; the subnet itself has to move (their own findings say where).
        return {"hint": default}
    index = ctx.ranges
    line = index.lines[line_pos]
    owner = next(s for s in index.sites if s.id == line.site)
    used = _used_addresses(ctx)

    def free(address: int) -> bool:
        return not (used.get((net.version, address), set()) - {line_pos})

    hosts = [
        a
        for a in range(net.first, min(net.last, net.first + 255) + 1)
        if _is_host(make_net(net.version, a, net.prefixlen)) and free(a)
    ]
    options = []
    if keep is not None:  # already written: its reuse elsewhere is CCV303's, not new
        for other in hosts:
            if other != keep.net.address:
                ends = {keep.field: keep.net.address}
                ends[site_f if keep.field == ex_f else ex_f] = other
                options.append(ends)
    options += [{site_f: a, ex_f: b} for a in hosts[:4] for b in hosts[:4] if a != b]
    for ends in options:
        site_net = make_net(net.version, ends[site_f], net.prefixlen)
        ex_net = make_net(net.version, ends[ex_f], net.prefixlen)
        if peering_refused(owner, site_net, ex_net):
            continue
        texts = {site_f: _text(net.version, ends[site_f], net.prefixlen)}
        texts[ex_f] = _text(net.version, ends[ex_f], net.prefixlen)
        return {
            "hint": f"use {assign(names, [(site_f, texts[site_f]), (ex_f, texts[ex_f])])}",
            "fix": _set_fields(line, texts),
            "fallback": "use two distinct host addresses of one subnet",
        }
    return {"hint": default}


def _lines_of_subnet(index) -> dict[tuple[int, int, int], set[int]]:
    found: dict[tuple[int, int, int], set[int]] = {}
    for subnet in index.subnets:
        key = (subnet.net.version, subnet.net.first, subnet.net.prefixlen)
        found.setdefault(key, set()).add(subnet.line_pos)
    return found


def _movable(ctx: Context, line_pos: int, version: int) -> bool:
    """False when moving the line's subnet away would re-anchor other lines' findings:
    a later line holds an identical subnet (copies are reported against the first), or
    two later lines reuse one of its addresses (reuses count against the first use)."""
    index = ctx.ranges
    lines_of = ctx.memo("peering.lines_of_subnet", lambda: _lines_of_subnet(index))
    for end in index.endpoints[line_pos]:
        key = (end.net.version, end.net.first, end.net.prefixlen)
        if end.net.version == version and any(p > line_pos for p in lines_of.get(key, ())):
            return False
    used = _used_addresses(ctx)
    for end in index.endpoints[line_pos]:
        later = {p for p in used.get((end.net.version, end.net.address), ()) if p > line_pos}
        if end.net.version == version and len(later) > 1:
            return False
    return True


def _overlapping_lines(ctx: Context) -> set[int]:
    """Positions of lines whose peering subnet overlaps another line's."""

    def compute() -> set[int]:
        return {s.line_pos for pair in ctx.peering_overlaps for s in pair}

    return ctx.memo("peering.overlapping_lines", compute)


def _set_fields(line, values: dict[str, str]) -> list[dict]:
    """JSON Patch setting peering fields of ``line`` (replace when written, else add),
    only those that change."""
    peering = line.peering
    ops = []
    for name, text in values.items():
        if getattr(peering, name) == text:
            continue
        at = peering.origin.child(name)
        ops.append(replace(at, text) if getattr(peering, name) is not None else add(at, text))
    return ops


def _move_pair(ctx: Context, line_pos: int, version: int, prefixlen: int, near, alternative: str):
    """Hint and fix moving the line's peering pair of ``version`` to a free subnet the
    site's cloud accepts (``validator.fixes.suggest.peering_pair``)."""
    index = ctx.ranges
    line = index.lines[line_pos]
    if not _movable(ctx, line_pos, version):
        return None
    owner = next(s for s in index.sites if s.id == line.site)
    found = peering_pair(ctx, owner, line, version, prefixlen, near)
    fields = PEERING_FIELDS[0 if version == 4 else 1]
    if found is None:
        return None
    texts = {fields[0]: address_text(found[0]), fields[1]: address_text(found[1])}
    subnet = make_net(version, found[0].first, found[0].prefixlen).network_text()
    return {
        "hint": f"move line {line.id} to the free peering subnet {subnet}: "
        f"{fields[0]}: {texts[fields[0]]} and {fields[1]}: {texts[fields[1]]} (no site "
        f"advertises it and no other line uses it){alternative}",
        "fix": _set_fields(line, texts),
    }


def _pairs(ctx: Context) -> list[tuple[int, str, str, Endpoint | None, Endpoint | None]]:
    """(line position, site field, exchange field, site end, exchange end) per address
    pair; worked out once for CCV301 and CCV302."""

    def compute() -> list[tuple[int, str, str, Endpoint | None, Endpoint | None]]:
        found = []
        for line_pos, ends in enumerate(ctx.ranges.endpoints):
            if not ends:
                continue
            by_field = {e.field: e for e in ends}
            for site_f, ex_f in PEERING_FIELDS:
                site, exchange = by_field.get(site_f), by_field.get(ex_f)
                if site is not None or exchange is not None:
                    found.append((line_pos, site_f, ex_f, site, exchange))
        return found

    return ctx.memo("peering.pairs", compute)


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
    for line_pos, site_f, ex_f, site, exchange in _pairs(ctx):
        if site is None or exchange is None:
            continue
        problem = _mismatch(site, exchange)
        if problem is None:
            continue
        line = index.lines[line_pos]
        names = line.peering.names  # type: ignore[union-attr]
        yield Hit(
            f"peering addresses of line {line.id}, {field_name(names, site_f)} {site.text} and "
            f"{field_name(names, ex_f)} {exchange.text}, {problem}",
            (line.id,),
            line.peering.origin.child(ex_f),  # type: ignore[union-attr]
            **(
                _pair_fix(ctx, line_pos, site, None, site_f, ex_f, names)
                if site.net.version == exchange.net.version or _is_host(site.net)
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
    for line_pos, site_f, ex_f, site, exchange in _pairs(ctx):
        if site is not None and exchange is not None and _mismatch(site, exchange):
            continue  # CCV301 says it
        line = index.lines[line_pos]
        origin = line.peering.origin  # type: ignore[union-attr]
        origin_names = line.peering.names  # type: ignore[union-attr]
        fix: dict | None = None
        for end in (site, exchange):
            if end is None or _is_host(end.net):
                continue
            net = end.net
            if net.prefixlen >= BITS[net.version]:
                continue  # a lone /32 end: nothing to pair, no subnet to speak of
            what = "network" if net.address == net.first else "broadcast"
            fix = fix or _pair_fix(ctx, line_pos, site, exchange, site_f, ex_f, origin_names)
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
            and _is_host(site.net)
        ):
            yield Hit(
                f"both ends of line {line.id} use {site.net.address_text()}",
                (line.id,),
                origin.child(ex_f),
                **_pair_fix(ctx, line_pos, site, exchange, site_f, ex_f, origin_names),
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
                _move_pair(ctx, b, later.net.version, later.net.prefixlen, later.net, "")
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
        moved = _move_pair(ctx, b.line_pos, b.net.version, b.net.prefixlen, b.net, "")
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
            **_free_subnet(ctx, subnet, f"or stop advertising {text} from site {site.id}"),
        )


def _free_subnet(ctx: Context, subnet: Subnet, alternative: str) -> dict:
    """Hint and fix moving the line of ``subnet`` to a free peering subnet (same size)."""
    moved = _move_pair(
        ctx, subnet.line_pos, subnet.net.version, subnet.net.prefixlen, subnet.net,
        f"; or {alternative.removeprefix('or ')}",
    )  # fmt: skip
    default = f"take the peering subnet from space no site advertises, {alternative}"
    return moved | {"fallback": default} if moved else {"hint": default}


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
    sites = {site.id: site for site in ctx.plan.sites}
    for line in ctx.plan.lines():
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


def _vlans_movable(ctx: Context, links: list[Line]) -> bool:
    """False when moving ``links`` to another VLAN would re-anchor other lines' findings:
    a link is the first user of its VLAN on its POP and two or more other lines reuse it
    (each reuse is reported naming the first line, which would then change)."""
    by_pop = _vlans_by_pop(ctx)
    ours = {id(link) for link in links}
    for link in links:
        if link.pop is None or link.vlan is None or not 1 <= link.vlan <= 4094:
            continue
        users = by_pop.get(link.pop, {}).get(link.vlan, [])
        others = [user for user in users if id(user) not in ours]
        if users and id(users[0]) in ours and len(others) > 1:
            return False
    return True


def _one_vlan_circuit(site: Site | None, a: Line, b: Line) -> bool:
    """True when ``a`` and ``b`` are links of one circuit that carries one VLAN."""
    if site is None or a.site != b.site or a.circuit != b.circuit:
        return False
    found = pack(site.cloud)
    return bool(found and found.circuit and found.circuit.one_vlan)


# --------------------------------------------------------------------------- CCV306
def _generic_ok(site_net: Net | None, exchange_net: Net | None) -> bool:
    """True unless the generic peering rules (CCV301/302) report this pair."""
    if site_net is None or exchange_net is None:
        return site_net is not None or exchange_net is not None
    if site_net.version != exchange_net.version or site_net.prefixlen != exchange_net.prefixlen:
        return False
    bits = BITS[site_net.version]
    if site_net.prefixlen >= bits or site_net.first != exchange_net.first:
        return False
    if site_net.address == exchange_net.address:
        return False
    if site_net.prefixlen <= bits - 2:
        for net in (site_net, exchange_net):
            if net.address == net.first or (net.version == 4 and net.address == net.last):
                return False
    return True


def _peering_problems(
    rule_: PeeringRule, site_net: Net | None, exchange_net: Net | None
) -> list[str]:
    problems = []
    subject = site_net or exchange_net
    assert subject is not None
    if rule_.within and not any(
        w.first <= subject.first and subject.last <= w.last for w in rule_.within
    ):
        inside = " or ".join(w.network_text() for w in rule_.within)
        problems.append(f"the peering subnet {subject.network_text()} is not inside {inside}")
    if not rule_.prefix_ok(subject.prefixlen):
        problems.append(f"the peering subnet is a /{subject.prefixlen}, not {rule_.prefix_text()}")
    elif site_net is not None and exchange_net is not None:
        for end, net, host in (
            ("exchange", exchange_net, rule_.exchange_host),
            ("site", site_net, rule_.site_host),
        ):
            if host is not None and net.address - net.first != host:
                wanted = make_net(net.version, net.first + host, net.prefixlen)
                problems.append(
                    f"the {end} end uses {net.address_text()}, but must use "
                    f"{wanted.address_text()} (address {host} of the subnet)"
                )
    return problems


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
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        if found is None:
            continue
        if found.circuit is not None:
            yield from _circuit_hits(ctx, site, found)
        if not (found.peering_v4 or found.peering_v6):
            continue
        for line in site.lines:
            if line.peering is None:
                continue
            yield from _line_peering_hits(site, line, found)


def _vlans_by_pop(ctx: Context) -> dict[str, dict[int, list[Line]]]:
    """The lines using each VLAN on each POP, whole plan."""

    def compute() -> dict[str, dict[int, list[Line]]]:
        found: dict[str, dict[int, list[Line]]] = {}
        for line in ctx.plan.lines():
            if line.pop is not None and line.vlan is not None:
                found.setdefault(line.pop, {}).setdefault(line.vlan, []).append(line)
        return found

    return ctx.memo("peering.vlans_by_pop", compute)


def _vlan_masks(ctx: Context) -> dict[str, int]:
    """The VLANs in use on each POP as a bit mask (bit v set: VLAN v is used)."""

    def compute() -> dict[str, int]:
        return {
            pop: sum(1 << vlan for vlan in vlans if 0 <= vlan <= 4095)
            for pop, vlans in _vlans_by_pop(ctx).items()
        }

    return ctx.memo("peering.vlan_masks", compute)


_USABLE_VLANS = ((1 << 4095) - 1) & ~0b11  # VLANs 2..4094 (1 is usually the native VLAN)


def _circuit_vlan(ctx: Context, links: list[Line], members: list[Line]) -> int | None:
    """A VLAN the circuit's ``links`` can all carry: free on each link's POP but for lines
    of this very circuit (``members``); the first link's VLAN when it is, else the next
    free one above it. Bit masks: O(links) big-integer operations per call."""
    by_pop, masks = _vlans_by_pop(ctx), _vlan_masks(ctx)
    ours = {id(line) for line in members}
    taken = 0
    for link in links:
        if link.pop is None:
            continue
        mask = masks.get(link.pop, 0)
        for line in members:  # a VLAN only this circuit uses on the POP is not taken
            vlan = line.vlan
            if (
                line.pop == link.pop
                and vlan is not None
                and 0 <= vlan <= 4095
                and all(id(other) in ours for other in by_pop[link.pop][vlan])
            ):
                mask &= ~(1 << vlan)
        taken |= mask
    first = links[0].vlan
    if first is not None and 1 <= first <= 4094 and not (taken >> first) & 1:
        return first
    free = _USABLE_VLANS & ~taken
    start = first + 1 if first is not None and 1 <= first < 4094 else 2
    above = free >> start << start
    chosen = above or free
    return (chosen & -chosen).bit_length() - 1 if chosen else None


def _circuit_hits(ctx: Context, site: Site, found: CloudPack) -> Iterator[Hit]:
    """Links of one circuit beyond the cloud's count, or with a second VLAN."""
    circuit = found.circuit
    assert circuit is not None
    links: dict[str, list[Line]] = {}
    for line in site.lines:
        links.setdefault(line.circuit or site.id, []).append(line)
    for name, members in links.items():
        for position, line in enumerate(members):
            label = f"line {line.id} of site {site.id} ({site.cloud}, circuit {name})"
            if position >= circuit.links:
                spare = next(
                    f"{name}-{n}" for n in range(2, len(links) + 3) if f"{name}-{n}" not in links
                )
                yield Hit(
                    f"{label} is link {position + 1} of its circuit: {circuit.reason}",
                    (line.id,),
                    line.origin,
                    f"give line {line.id} a circuit of its own (circuit: {spare}) or "
                    f"remove it; a circuit has {circuit.links} links",
                    key=True,
                )
                continue
            first = members[0]
            if (
                circuit.one_vlan
                and position > 0
                and line.vlan is not None
                and first.vlan is not None
                and line.vlan != first.vlan
            ):
                vlan = _circuit_vlan(ctx, members[: circuit.links], members)
                if vlan == first.vlan:
                    hint = (
                        f"set {assign_number(line.names, 'vlan', vlan)} on line {line.id}, "
                        f"as on line {first.id}"
                    )
                elif vlan is not None:
                    hint = (
                        f"set {assign_number(line.names, 'vlan', vlan)} on lines {first.id} and "
                        f"{line.id} (VLAN "
                        f"{first.vlan} is taken on a POP of the circuit; {vlan} is free on both)"
                    )
                else:
                    hint = f"give lines {first.id} and {line.id} one VLAN"
                yield Hit(
                    f"{label} uses VLAN {line.vlan}, but line {first.id} of the same circuit "
                    f"uses VLAN {first.vlan}: {circuit.reason}",
                    (first.id, line.id),
                    line.origin.child("vlan"),
                    hint,
                )


def _line_peering_hits(site: Site, line: Line, found: CloudPack) -> Iterator[Hit]:
    peering = line.peering
    assert peering is not None
    for rules, site_text, exchange_text, field in (
        (found.peering_v4, peering.site_ip, peering.exchange_ip, "site_ip"),
        (found.peering_v6, peering.site_ipv6, peering.exchange_ipv6, "site_ipv6"),
    ):
        if not rules or (site_text is None and exchange_text is None):
            continue
        at_field = field if site_text is not None else field.replace("site", "exchange")
        at = peering.origin.child(at_field)
        label = f"line {line.id} of site {site.id} ({site.cloud})"
        for entry in rules:
            if not entry.allowed:
                yield Hit(
                    f"{label} sets its IPv6 peering addresses: {entry.reason}",
                    (line.id,),
                    at,
                    rename(peering.names, entry.hint) if entry.hint else None,
                    key=True,
                )
                continue
            site_net = parse_net(site_text) if site_text else None
            exchange_net = parse_net(exchange_text) if exchange_text else None
            if (site_text and site_net is None) or (exchange_text and exchange_net is None):
                continue
            if not _generic_ok(site_net, exchange_net):
                continue
            problems = _peering_problems(entry, site_net, exchange_net)
            if problems:
                suffix = SECONDARY if entry.tier == "secondary" else ""
                yield Hit(
                    f"{label}: {'; '.join(problems)} ({entry.reason}){suffix}",
                    (line.id,),
                    at,
                    rename(peering.names, entry.hint)
                    or _peering_hint(entry, site_net, exchange_net, peering.names),
                    severity="warning" if entry.tier == "secondary" else None,
                )


def _peering_hint(
    entry: PeeringRule, site_net: Net | None, exchange_net: Net | None, names: Names = None
) -> str:
    subject = site_net or exchange_net
    assert subject is not None
    prefixlen = subject.prefixlen
    if not entry.prefix_ok(prefixlen):
        if entry.prefixes:
            prefixlen = min(sorted(entry.prefixes), key=lambda p: abs(p - subject.prefixlen))
        else:
            low = entry.shortest if entry.shortest is not None else 0
            high = entry.longest if entry.longest is not None else BITS[subject.version]
            prefixlen = max(low, min(high, prefixlen))
    base = subject.first
    if entry.within and not any(w.first <= base <= w.last for w in entry.within):
        base = entry.within[0].first
    net = make_net(subject.version, base, prefixlen)
    site_host = entry.site_host or 1
    exchange_host = entry.exchange_host or (2 if site_host == 1 else 1)
    if prefixlen == BITS[subject.version] - 1:
        site_host, exchange_host = 0, 1
    site_addr = make_net(net.version, net.first + site_host, prefixlen)
    exchange_addr = make_net(net.version, net.first + exchange_host, prefixlen)
    site_text = f"{site_addr.address_text()}/{prefixlen}"
    exchange_text = f"{exchange_addr.address_text()}/{prefixlen}"
    if names:
        suffix = "" if net.version == 4 else "v6"
        pair = [(f"site_ip{suffix}", site_text), (f"exchange_ip{suffix}", exchange_text)]
        return f"use a /{prefixlen}: {assign(names, [p for p in pair if p[0] in names])}"
    return f"use a /{prefixlen} such as site {site_text}, exchange {exchange_text}"


def peering_refused(site: Site, site_net: Net, exchange_net: Net) -> bool:
    """True when the peering rules of ``site``'s cloud (CCV306) refuse this address pair:
    the oracle a suggested pair must pass."""
    for entry in peering_rules(site.cloud, site_net.version):
        if not entry.allowed or _peering_problems(entry, site_net, exchange_net):
            return True
    return False


def peering_rules(cloud: str | None, version: int) -> tuple[PeeringRule, ...]:
    """The peering address rules of ``cloud`` for IP ``version`` (empty without a pack)."""
    found = pack(cloud)
    if found is None:
        return ()
    return found.peering_v4 if version == 4 else found.peering_v6
