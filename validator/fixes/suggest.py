"""Values a fix may propose, each valid where it goes (SPEC §13).

Every candidate is judged by the rules' own checks rather than by a copy of their facts:
a range by the site's cloud pack (CCV207: allowed blocks, prefix limits, reserved
ranges), by the clouds that would learn it (Tencent's refused prefixes), by the
special-purpose registry and by the plan's used space; a peering pair by the generic
peering rules and the cloud's (CCV306); an ASN by the ASN registry and every cloud pack
in the plan. Each suggestion is handed out once per run, so following every hint (or
``ccv fix``) creates no new conflict.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING

from validator.addressing.index import RangeIndex
from validator.addressing.parse import BITS, Net, make_net, parse_net
from validator.addressing.special import PRIVATE, classify
from validator.addressing.suggest import preferred_blocks, search_blocks, segment_usage
from validator.clouds import pack
from validator.model import Line, Site

if TYPE_CHECKING:
    from validator.rules.context import Context


# --------------------------------------------------------------------------- ranges

_FIRST = itemgetter(3)  # Net.first


def _within_allowed(site: Site, blocks: Iterable[Net]) -> Iterator[Net]:
    """``blocks`` narrowed to the blocks the site's cloud allows, when it allows only some
    (lazily: the search stops at the first block with room)."""
    found = pack(site.cloud)
    if found is None or not found.vpc.only_within_blocks:
        yield from blocks
        return
    allowed = [b.net for b in found.vpc.blocks]
    for block in blocks:
        for ok in allowed:
            if ok.version != block.version:
                continue
            if ok.first <= block.first and block.last <= ok.last:
                yield block
            elif block.first <= ok.first and ok.last <= block.last:
                yield ok


def _route_limit_safe(ctx: Context, index: RangeIndex, site: Site, net: Net) -> bool:
    """Moving ``net`` away adds a distinct prefix only when another site also advertises
    exactly ``net``; then every cloud site with a route limit that meets ``site`` must
    have room for one more (counted as every range of its segments, an upper bound)."""
    if (net.version, net.first, net.prefixlen) not in index.repeated:
        return True  # the distinct count stays the same for everyone
    return _room_for(ctx, site, 1)


def free_range(ctx: Context, site_pos: int, cidr_pos: int) -> Net | None:
    """A free range of the same size for range ``cidr_pos`` of site ``site_pos``, that the
    site's cloud accepts; chosen once per range (None when there is none to offer)."""
    from validator.rules.addressing_cloud import (
        length_refused,
        range_refused,
        refused_by_receivers,
    )

    chosen: dict[tuple[int, int], Net | None] = ctx.memo("fixes.ranges", dict)
    key = (site_pos, cidr_pos)
    if key in chosen:
        return chosen[key]
    index = ctx.ranges
    net = index.nets[site_pos][cidr_pos]
    site = index.sites[site_pos]
    chosen[key] = None
    if net is None or not _route_limit_safe(ctx, index, site, net):
        return None

    def possible(block: Net) -> bool:
        return not length_refused(site, net.version, block, net.prefixlen)

    if not any(possible(block) for block in search_blocks(net.version)):
        return None  # the cloud takes no range of this size anywhere: no search
    found_pack = pack(site.cloud)
    avoid = [r.net for r in found_pack.vpc.reserved] if found_pack else []

    exclusive = found_pack is not None and getattr(found_pack.vpc, "exclusive", None) is not None
    others = {
        n.first >> 24
        for i, n in enumerate(index.nets[site_pos])
        if n is not None and n.version == 4 and i != cidr_pos
    }

    def same_block(candidate: Net) -> bool:
        """Where the cloud has rules between a network's ranges (AWS: no 172.16/12 beside
        10/8), the new range stays in the top-level block of the site's other ranges."""
        if not exclusive or candidate.version != 4 or not others:
            return True
        return len(others) == 1 and candidate.first >> 24 in others

    def accept(candidate: Net) -> bool:
        return (
            same_block(candidate)
            and classify(candidate)[0] == PRIVATE
            and not range_refused(site, candidate)
            and not refused_by_receivers(ctx, site, candidate)
        )

    space = ctx.free_space
    segments = ctx.plan.segments_by_site.get(site.id, ())
    usage = partial(ctx.memo, "addressing.segment_usage", partial(segment_usage, ctx.plan, index))
    for block in _within_allowed(site, preferred_blocks(net, segments, usage)):
        if not possible(block):
            continue
        found = space.suggest(net.version, block, net.prefixlen, accept, avoid)
        if found is not None:
            chosen[key] = found
            return found
    return None


def widened(ctx: Context, site_pos: int, cidr_pos: int, prefixlen: int) -> Net | None:
    """The block of ``prefixlen`` holding range ``cidr_pos`` of site ``site_pos`` when it
    touches nothing else in the plan and the site's cloud accepts it (reserved for it)."""
    from validator.rules.addressing_cloud import range_refused, refused_by_receivers

    index = ctx.ranges
    net = index.nets[site_pos][cidr_pos]
    site = index.sites[site_pos]
    if net is None or prefixlen >= net.prefixlen:
        return None
    bigger = make_net(net.version, net.first, prefixlen)
    space = ctx.free_space
    if (site_pos, cidr_pos) in _overlapping_ranges(ctx):
        return None  # its own conflicts would change shape (a CCV202 would become a CCV201)
    if not (
        space.is_free(net.version, bigger.first, net.first - 1)
        and space.is_free(net.version, net.last + 1, bigger.last)
        and classify(bigger)[0] == classify(net)[0]
        and not range_refused(site, bigger)
        and not refused_by_receivers(ctx, site, bigger)
    ):
        return None
    space.reserve(net.version, bigger.first, net.first - 1)
    space.reserve(net.version, net.last + 1, bigger.last)
    return bigger


def split(ctx: Context, site_pos: int, cidr_pos: int, prefixlen: int) -> list[Net] | None:
    """Range ``cidr_pos`` of site ``site_pos`` as ranges of ``prefixlen`` covering the same
    space, when the pieces fit the cloud's limit on ranges per network (where the cloud
    pack states one), each passes the cloud's range check, the range overlaps nothing
    (its findings would move to new places) and no route limit is pushed over."""
    from validator.rules.addressing_cloud import range_refused

    index = ctx.ranges
    net = index.nets[site_pos][cidr_pos]
    site = index.sites[site_pos]
    if net is None or prefixlen <= net.prefixlen or prefixlen - net.prefixlen > 4:
        return None
    pieces = [
        make_net(net.version, net.first + i * (1 << (BITS[net.version] - prefixlen)), prefixlen)
        for i in range(1 << (prefixlen - net.prefixlen))
    ]
    found = pack(site.cloud)
    most = getattr(found.vpc, "max_ranges", None) if found else None
    if most is not None and len(site.cidrs) - 1 + len(pieces) > most:
        return None
    if (
        found is not None
        and getattr(found.vpc, "exclusive", None) is not None
        and len(site.cidrs) > 1
    ):
        return None  # rules between a network's ranges (AWS: 10/8 with 172.16/12) would move
    if (site_pos, cidr_pos) in _overlapping_ranges(ctx) or any(
        classify(p)[0] != PRIVATE or range_refused(site, p) for p in pieces
    ):
        return None  # a piece would carry a finding of its own, at a new place
    if not _room_for(ctx, site, len(pieces) - 1):
        return None
    return pieces


def _overlapping_ranges(ctx: Context) -> set[tuple[int, int]]:
    """(site position, range position) of every range that overlaps another range or a
    peering subnet (whatever the segments: the ranges were written identically)."""

    def compute() -> set[tuple[int, int]]:
        index = ctx.ranges
        found = {(e[4], e[5]) for pair in (*index.cross, *index.within) for e in pair}
        found |= {(e[4], e[5]) for _, e in index.subnet_range}
        repeated = index.repeated
        firsts = {key[1] for key in repeated}  # a cheap test before the key
        for site_pos, nets in enumerate(index.nets):
            if None not in nets and firsts.isdisjoint(map(_FIRST, nets)):
                continue  # a whole site at C speed: none of its ranges is repeated
            for cidr_pos, net in enumerate(nets):
                if net is None or net[3] not in firsts:
                    continue
                if (net.version, net.first, net.prefixlen) in repeated:
                    found.add((site_pos, cidr_pos))
        return found

    return ctx.memo("fixes.overlapping_ranges", compute)


def _room_for(ctx: Context, site: Site, extra: int) -> bool:
    """True when every cloud site with a route limit that meets ``site`` has room for
    ``extra`` more prefixes (counted as every range of its segments, an upper bound).

    The room of each segment's two tightest members is found once per plan, so a site
    asks O(its segments), not O(members of its segments)."""
    tightest = ctx.memo("fixes.segment_room", lambda: _segment_room(ctx))
    for segment in ctx.plan.segments_by_site.get(site.id, ()):
        for room, member in tightest.get(segment, ()):
            if member != site.id:  # the site itself does not count
                if extra > room:
                    return False  # the family-wise limit, at its smallest: the safe side
                break
    return True


def _segment_room(ctx: Context) -> dict[str, list[tuple[int, str]]]:
    """Per segment, its two members with the least room for more prefixes: (room, id),
    room = the smaller of its route limits less every range of its segments."""
    plan = ctx.plan
    members = plan.segment_members
    by_site = plan.segments_by_site
    sites = {s.id: s for s in plan.sites}
    bounds: dict = {}
    found: dict[str, list[tuple[int, str]]] = {}
    for segment, ids in members.items():
        rooms = []
        for member in dict.fromkeys(ids):
            other = sites[member]
            cloud = pack(other.cloud)
            if cloud is None or cloud.routes is None:
                continue
            limits = (cloud.routes.limit(v, other.addons) for v in (4, 6))
            known = [n for n in limits if n is not None]
            if not known:
                continue
            segments = by_site.get(other.id, ())
            if segments not in bounds:
                seen = {m for seg in segments for m in members.get(seg, ())}
                bounds[segments] = sum(len(sites[m].cidrs) for m in seen)
            rooms.append((min(known) - bounds[segments], member))
        found[segment] = heapq.nsmallest(2, rooms)
    return found


# --------------------------------------------------------------------------- VLANs


def free_vlan(ctx: Context, pops: list[str], vlan: int | None) -> int | None:
    """A VLAN no line of the whole plan uses on any of ``pops`` (nor a fix handed out):
    the first above ``vlan``, else the lowest; None when none is free on all of them."""
    used = ctx.memo("fixes.vlans", lambda: _vlans_by_pop(ctx))
    taken = [used.setdefault(pop, set()) for pop in pops]
    start = vlan + 1 if vlan is not None and 0 <= vlan < 4094 else 1
    order = (*range(start, 4095), *range(1, start))
    # VLANs only ever become taken in a run, so a search that found every candidate
    # before position i taken need not look at them again (10,000 duplicates of one VLAN
    # on a POP each scanned the whole range)
    cursors: dict[tuple, int] = ctx.memo("fixes.vlan_cursors", dict)
    key = (tuple(pops), start)
    for at in range(cursors.get(key, 0), len(order)):
        candidate = order[at]
        if not any(candidate in t for t in taken):
            cursors[key] = at + 1
            hand_out_vlan(ctx, pops, candidate)
            return candidate
    cursors[key] = len(order)
    return None


def hand_out_vlan(ctx: Context, pops: Iterable[str], vlan: int) -> None:
    """Record that a suggestion of this run puts ``vlan`` on each of ``pops``: no other
    VLAN suggestion of the run (``free_vlan``, an ExpressRoute circuit's one VLAN) offers
    it there again."""
    used = ctx.memo("fixes.vlans", lambda: _vlans_by_pop(ctx))
    handed: dict[str, set[int]] = ctx.memo("fixes.vlans_handed_out", dict)
    for pop in pops:
        used.setdefault(pop, set()).add(vlan)
        handed.setdefault(pop, set()).add(vlan)


def handed_out_vlans(ctx: Context, pop: str) -> set[int]:
    """The VLANs suggestions of this run put on ``pop`` (``hand_out_vlan``)."""
    handed: dict[str, set[int]] = ctx.memo("fixes.vlans_handed_out", dict)
    return handed.get(pop, set())


def _vlans_by_pop(ctx: Context) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for line in ctx.plan.lines():
        if line.pop is not None and line.vlan is not None:
            found.setdefault(line.pop, set()).add(line.vlan)
    return found


# --------------------------------------------------------------------------- ASNs

_PRIVATE_ASNS = ((64513, 65534), (4200000000, 4294967294))  # 64512: AWS's, Huawei's default


def fixed_asn(site: Site) -> int | None:
    """The one ASN ``site``'s cloud uses on its side (for its interconnect type), when the
    customer cannot choose; None when there is a choice or no pack."""
    found = pack(site.cloud)
    if found is None or found.asn is None:
        return None
    accepted = found.asn.accepted_for(getattr(site, "interconnect", "partner") or "partner")
    if len(accepted) != 1 or accepted[0].first != accepted[0].last:
        return None  # a range to choose from, or several values (by region): not one
    return accepted[0].first


def free_asn(ctx: Context, site: Site) -> int | None:
    """A private ASN for ``site`` that its cloud accepts (``asn_refusal``), that no site and
    not the exchange uses, and that no cloud of the plan refuses on its peers' side
    (``peer_asn_refusal``); None for a cloud that fixes its ASN."""
    from validator.clouds import asn_refusal, peer_asn_refusal

    if fixed_asn(site) is not None:
        return None
    interconnect = getattr(site, "interconnect", "partner") or "partner"
    taken: set[int] = ctx.memo("fixes.asns", lambda: _used_asns(ctx))
    clouds: list[str] = ctx.memo(
        "fixes.clouds", lambda: sorted({s.cloud for s in ctx.plan.sites if s.cloud})
    )
    for first, last in _PRIVATE_ASNS:
        for asn in range(first, min(last, first + 4096) + 1):
            if asn in taken or asn_refusal(site.cloud, asn, interconnect) is not None:
                continue
            if any(peer_asn_refusal(c, asn) is not None for c in clouds):
                continue
            taken.add(asn)
            return asn
    return None


def default_asn(ctx: Context, site: Site) -> int | None:
    """The ASN ``site``'s cloud uses by default (Alibaba 45104, AWS 64512, …) when the
    cloud accepts it there, no site it meets and not the exchange uses it, and no cloud of
    the plan refuses it on its peers' side; else None."""
    from validator.clouds import asn_refusal, peer_asn_refusal

    found = pack(site.cloud)
    if found is None or found.asn is None:
        return None
    interconnect = getattr(site, "interconnect", "partner") or "partner"
    asn = found.asn.default_for(interconnect)
    if asn is None or asn == site.asn or asn_refusal(site.cloud, asn, interconnect):
        return None
    clouds = {s.cloud for s in ctx.plan.sites if s.cloud and s.cloud != site.cloud}
    if any(peer_asn_refusal(c, asn) is not None for c in clouds):
        return None
    return asn if asn_free_for(ctx, site, asn) else None


def _used_asns(ctx: Context) -> set[int]:
    used = {s.asn for s in ctx.plan.sites if s.asn is not None}
    if ctx.plan.exchange is not None and ctx.plan.exchange.asn is not None:
        used.add(ctx.plan.exchange.asn)
    return used


def asn_free_for(ctx: Context, site: Site, asn: int) -> bool:
    """True when no other site that meets ``site`` uses ``asn`` and it is not the exchange's."""
    plan = ctx.plan
    if plan.exchange is not None and plan.exchange.asn == asn:
        return False
    by_asn: dict = ctx.memo("fixes.sites_by_asn", dict)
    if not by_asn:
        for other in plan.sites:
            by_asn.setdefault(other.asn, []).append(other)
    return not any(
        other.id != site.id and plan.sites_meet(site.id, other.id) for other in by_asn.get(asn, ())
    )


# --------------------------------------------------------------------------- peering

_PEERING_SPACE = {
    4: ("169.254.0.0/16", "100.64.0.0/10", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
    6: ("fd00::/8",),
}


def _host_positions(rules, version: int, prefixlen: int) -> tuple[int, int]:
    """(site, exchange) offsets in the subnet: the cloud's, else the first two hosts."""
    for entry in rules:
        if entry.site_host is not None or entry.exchange_host is not None:
            site = entry.site_host or (2 if entry.exchange_host == 1 else 1)
            exchange = entry.exchange_host or (2 if site == 1 else 1)
            return site, exchange
    if prefixlen >= BITS[version] - 1:
        return 0, 1
    return 1, 2


def _prefix_choices(rules, version: int, prefixlen: int) -> list[int]:
    """Prefix lengths to try: the written one when every rule allows it, else the
    allowed ones nearest to it."""
    allowed = [
        p
        for p in range(BITS[version] - 8, BITS[version])
        if all(e.prefix_ok(p) for e in rules if e.allowed)
    ]
    if prefixlen in allowed:
        return [prefixlen]
    return sorted(allowed, key=lambda p: (abs(p - prefixlen), -p))[:2]


def peering_pair(
    ctx: Context, site: Site, line: Line, version: int, prefixlen: int
) -> tuple[Net, Net] | None:
    """(site end, exchange end) in a free peering subnet for ``line``: inside the space the
    site's cloud allows, with its prefix lengths and host positions, touching no range
    and no peering subnet of the plan."""
    from validator.rules.peering_cloud import peering_refused, peering_rules

    rules = peering_rules(site.cloud, version)
    if any(not e.allowed for e in rules):
        return None  # the cloud assigns these addresses itself
    chosen: dict = ctx.memo("fixes.peering", dict)
    key = (id(line), version)
    if key in chosen:
        return chosen[key]
    chosen[key] = None
    blocks = [parse_net(t) for t in _PEERING_SPACE[version]]
    for entry in rules:
        if entry.within:
            blocks = list(entry.within)
    space = ctx.free_space
    for length in _prefix_choices(rules, version, prefixlen):
        site_off, exchange_off = _host_positions(rules, version, length)

        def ends(subnet: Net, s=site_off, e=exchange_off, n=length) -> tuple[Net, Net]:
            return (
                make_net(version, subnet.first + s, n),
                make_net(version, subnet.first + e, n),
            )

        def accept(subnet: Net, ends=ends) -> bool:
            site_end, exchange_end = ends(subnet)
            return not peering_refused(site, site_end, exchange_end)

        for block in blocks:
            found = space.suggest(version, block, length, accept)  # type: ignore[arg-type]
            if found is not None:
                chosen[key] = ends(found)
                return chosen[key]
    return None


def address_text(net: Net) -> str:
    """``169.254.0.1/30``: an interface address with its prefix length."""
    return f"{net.address_text()}/{net.prefixlen}"
