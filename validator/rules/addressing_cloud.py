"""The cloud side of the address range rules (CCV207, CCV208): a range against its cloud's
VPC rules (prefix lengths, allowed blocks, reserved space, exclusive blocks; facts in
``validator/data/clouds/``), prefixes a cloud site refuses to learn as written, the
sites' parsed ranges by id, and the oracles ``validator.fixes.suggest`` asks
(``range_refused``, ``refused_by_receivers``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter

from validator.addressing.aggregate import prefix_key, with_prefix
from validator.addressing.parse import BITS, Net, make_net
from validator.clouds import SECONDARY, Block, CloudPack, Vpc, pack
from validator.fixes.patch import add, replace
from validator.fixes.suggest import free_range, split, widened
from validator.model import Site
from validator.rules.context import Context
from validator.rules.registry import Hit


def site_nets(ctx: Context) -> dict[str, list[Net | None]]:
    """Every site's ranges parsed once (None where a value does not parse), by site id."""

    def compute() -> dict[str, list[Net | None]]:
        index = ctx.ranges  # the addressing rules' parse, shared
        return {site.id: nets for site, nets in zip(index.sites, index.nets, strict=True)}

    return ctx.memo("addressing.site_nets", compute)


def routes_by_site(ctx: Context) -> dict[str, tuple[list, Sequence]]:
    """(parsed ranges, parsed summaries) of every site by id, as the range index holds
    them (None where a value does not parse); the first site of a duplicated id."""

    def compute() -> dict[str, tuple[list, Sequence]]:
        index = ctx.ranges
        found: dict[str, tuple[list, Sequence]] = {}
        for site, nets, summaries in zip(index.sites, index.nets, index.summaries, strict=True):
            found.setdefault(site.id, (nets, summaries))
        return found

    return ctx.memo("addressing.routes_by_site", compute)


NO_ROUTES: tuple[list, Sequence] = ([], ())


def _split_text(net: Net, prefixlen: int) -> str:
    pieces = 1 << (prefixlen - net.prefixlen)
    step = 1 << (BITS[net.version] - prefixlen)
    shown = [
        make_net(net.version, net.first + i * step, prefixlen).network_text() for i in range(2)
    ]
    if pieces == 2:
        return f"{shown[0]} and {shown[1]}"
    return f"{shown[0]}, {shown[1]} … ({pieces} ranges of /{prefixlen})"


def cloud_range_fix(ctx: Context, site_pos: int, cidr_pos: int, net: Net, hit: Hit) -> Hit:
    """``hit`` (of :func:`cidr_hits`) with a hint whose value is valid where it goes, and
    its fix: a free range the cloud accepts for a range in the wrong place; the same space
    as ranges of the allowed size for one too large; the enclosing block for one too
    small (each only where the plan leaves room; otherwise the words without a value)."""
    site = ctx.plan.sites[site_pos]
    at = site.origin.child("cidrs", cidr_pos)
    hint = hit.hint or ""
    if hint.startswith("split it into /"):
        length = int(hint.removeprefix("split it into /").split()[0])
        pieces = split(ctx, site_pos, cidr_pos, length)
        if pieces is None:
            return hit  # the same space in words (the rule's own hint); no fix
        texts = [p.network_text() for p in pieces]
        listed = f"{', '.join(texts[:-1])} and {texts[-1]}"
        hit.hint = f"split it into /{length} ranges: {listed} (the same space)"
        hit.fix = [replace(at, texts[0])] + [
            add(site.origin.child("cidrs", cidr_pos + i), text) for i, text in enumerate(texts) if i
        ]
        hit.fallback = f"split it into /{length} ranges"
        return hit
    if hint.startswith("use a /") and " or larger" in hint:
        length = int(hint.removeprefix("use a /").split()[0])
        bigger = widened(ctx, site_pos, cidr_pos, length)
        if bigger is None:
            hit.hint = f"use a /{length} or larger that no other range of the plan overlaps"
            return hit
        hit.hint = f"use {bigger.network_text()}, the /{length} that holds it (free in the plan)"
        hit.fix = [replace(at, bigger.network_text())]
        hit.fallback = f"use a /{length} or larger"
        return hit
    moved = free_range(ctx, site_pos, cidr_pos)
    fallback = hint.split(", such as")[0]
    if moved is None:
        hit.hint = fallback
        return hit
    hit.hint = (
        f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{moved.network_text()} (same size; no range or peering subnet of the plan uses it; "
        f"the VPC rules of {site.cloud} allow it)"
    )
    hit.fix = [replace(at, moved.network_text())]
    hit.fallback = fallback
    return hit


def vpc_shape(found) -> tuple[int, int, bool, dict[int, list[tuple[int, int]]]]:
    """(shortest and longest plain prefix length, no allowed blocks, reserved intervals by
    IP version) of a cloud's VPC rules."""
    vpc = found.vpc
    low = (vpc.prefix.shortest if vpc.prefix else None) or 0
    high = (vpc.prefix.longest if vpc.prefix else None) or 32
    reserved = {
        version: [(r.net.first, r.net.last) for r in vpc.reserved if r.net.version == version]
        for version in (4, 6)
    }
    return low, high, not vpc.blocks, reserved


def prefix_bounds(vpc: Vpc, net: Net) -> tuple[Block | None, int | None, int | None]:
    """The block of the cloud's VPC rules an IPv4 ``net`` lies in (None: in none), and
    the shortest and longest prefix length allowed there (None: no bound)."""
    block = vpc.block_of(net) if vpc.blocks else None
    limit = vpc.prefix
    shortest = limit.shortest if limit else None
    longest = limit.longest if limit else None
    if block is not None:
        shortest = block.shortest if block.shortest is not None else shortest
        longest = block.longest if block.longest is not None else longest
    return block, shortest, longest


def touches(net: Net, intervals: list[tuple[int, int]]) -> bool:
    """True when ``net`` overlaps one of the (first, last) ``intervals``."""
    first, last = net.first, net.last
    for low, high in intervals:  # noqa: SIM110 (a plain loop: no generator per range)
        if low <= last and first <= high:
            return True
    return False


def exclusive_hits(site: Site, nets: list[Net | None], found: CloudPack) -> Iterator[Hit]:
    """Ranges of a second exclusive block on one VPC (AWS: 10/8 beside 192.168/16 …)."""
    rule_ = found.vpc.exclusive
    assert rule_ is not None
    held: dict[int, int] = {}  # exclusive block position -> first range position in it
    for index, net in enumerate(nets):
        group = None if net is None else rule_.group_of(net)
        if group is None:
            continue
        if held and group not in held:
            first_group, first_index = next(iter(held.items()))
            first = nets[first_index]
            assert net is not None and first is not None
            yield Hit(
                f"{_where(site, net)} lies in {rule_.texts[group]}, but the site already "
                f"has {first.network_text()} in {rule_.texts[first_group]}: {rule_.reason}",
                (site.id,),
                site.origin.child("cidrs", index),
                f"keep the ranges of site {site.id} in {rule_.texts[first_group]} "
                f"(or public space), or split the VPC in two",
            )
            continue
        held.setdefault(group, index)


def not_accepted_hits(ctx: Context) -> Iterator[Hit]:
    """Ranges a site advertises that a cloud site it meets refuses as written (Tencent)."""
    plan = ctx.plan
    routes = routes_by_site(ctx)
    clouds = {site.cloud for site in plan.sites}
    refusing_clouds = {c for c in clouds if (p := pack(c)) is not None and p.not_accepted}
    if not refusing_clouds:
        return
    refusing = {site.id: pack(site.cloud) for site in plan.sites if site.cloud in refusing_clouds}
    wanted = {prefix_key(n) for found in refusing.values() for n in found.not_accepted.nets}
    lengths = {key >> 1 & 255 for key in wanted}  # a cheap test before the key
    # and a cheaper one for a whole site, at C speed: no range starts where one does
    starts = {n.first for found in refusing.values() for n in found.not_accepted.nets}
    by_site = plan.segments_by_site
    in_segment: dict[str, set[str]] = {}
    for receiver in refusing:
        for segment in by_site.get(receiver, ()):
            in_segment.setdefault(segment, set()).add(receiver)
    for site in plan.sites:
        nets, summaries = routes.get(site.id, NO_ROUTES)
        if _starts_clear(nets, starts) and _starts_clear(summaries, starts):
            continue  # nothing of the site starts where a refused prefix does
        for field, parsed in (("cidrs", nets), ("summaries", summaries)):
            for index, net in enumerate(parsed):
                if net is None or net.prefixlen not in lengths or prefix_key(net) not in wanted:
                    continue
                yield from _refused_by_receivers(ctx, refusing, in_segment, site, field, index, net)


def _starts_clear(parsed: Sequence, starts: set[int]) -> bool:
    """True when no value of ``parsed`` (all parsed) starts at an address of ``starts``."""
    return not parsed or (None not in parsed and starts.isdisjoint(map(_FIRST, parsed)))


def _refused_by_receivers(ctx, refusing, in_segment, site, field, index, net) -> Iterator[Hit]:
    by_site = ctx.plan.segments_by_site
    receivers = sorted(
        {m for seg in by_site.get(site.id, ()) for m in in_segment.get(seg, ())} - {site.id}
    )
    for receiver in receivers:
        found = refusing[receiver]
        if not any(prefix_key(n) == prefix_key(net) for n in found.not_accepted.nets):
            continue
        half = with_prefix(net, net.prefixlen + 1)
        other = make_net(4, half.last + 1, net.prefixlen + 1)
        yield Hit(
            f"site {receiver} ({found.cloud}) would learn {net.network_text()} from site "
            f"{site.id}: {found.not_accepted.reason}",
            (receiver, site.id),
            site.origin.child(field, index),
            f"advertise {half.network_text()} and {other.network_text()} instead of "
            f"{net.network_text()}",
        )


_FIRST = itemgetter(3)  # Net.first


def range_refused(site: Site, net: Net) -> bool:
    """True when the range check of ``site``'s cloud (CCV207) would report ``net`` on that
    site: the oracle a suggested range must pass (a site without a pack accepts any)."""
    found = pack(site.cloud)
    if found is None:
        return False
    return next(cidr_hits(site, 0, net, found), None) is not None


def block_bounds(vpc: Vpc, first: int, last: int) -> tuple[int, int] | None:
    """(shortest, longest) IPv4 prefix length the cloud's VPC rules allow for a range
    anywhere within addresses first..last, when they are the same all over it: those of
    the one block of ``vpc`` holding the span, or the VPC's own where no block touches it
    ((33, -1): none at all, when the cloud allows ranges only within its blocks). None
    when the span straddles blocks (the answer depends on the range)."""
    near = [b for b in vpc.blocks if b.net.first <= last and first <= b.net.last]
    if len(near) > 1:
        return None
    if near and not (near[0].net.first <= first and last <= near[0].net.last):
        return None
    if not near and vpc.only_within_blocks:
        return (33, -1)
    limit = vpc.prefix
    shortest = limit.shortest if limit else None
    longest = limit.longest if limit else None
    if near:
        shortest = near[0].shortest if near[0].shortest is not None else shortest
        longest = near[0].longest if near[0].longest is not None else longest
    return (shortest or 0, longest or 32)


def length_refused(site: Site, version: int, block: Net, prefixlen: int) -> bool:
    """True when the range check of ``site``'s cloud (CCV207) refuses every range of
    ``prefixlen`` inside ``block`` for its length or place alone (Tencent: nothing smaller
    than /28), so that a search there need not try one candidate after another. False
    when it cannot tell without a candidate (``block`` straddles the cloud's blocks)."""
    found = pack(site.cloud)
    if found is None or version != 4:
        return False
    bounds = block_bounds(found.vpc, block.first, block.last)
    return bounds is not None and not bounds[0] <= prefixlen <= bounds[1]


def refused_by_receivers(ctx: Context, site: Site, net: Net) -> bool:
    """True when a cloud site that meets ``site`` refuses to learn ``net`` as written."""
    refusing = ctx.memo("addressing.refusing", lambda: _refusing_by_key(ctx))
    for other in refusing.get(prefix_key(net), ()):
        if other.id != site.id and ctx.plan.sites_meet(site.id, other.id):
            return True
    return False


def _refusing_by_key(ctx: Context) -> dict[int, list[Site]]:
    """The sites that refuse each prefix as written (by prefix key)."""
    found: dict[int, list[Site]] = {}
    for other in ctx.plan.sites:
        pack_ = pack(other.cloud)
        if pack_ is not None and pack_.not_accepted is not None:
            for refused in pack_.not_accepted.nets:
                found.setdefault(prefix_key(refused), []).append(other)
    return found


def _where(site: Site, net: Net) -> str:
    return f"range {net.network_text()} of site {site.id}"


def cidr_hits(site: Site, index: int, net: Net, found: CloudPack) -> Iterator[Hit]:
    """CCV207 findings of one range ``net`` (position ``index``) of ``site`` against its cloud's
    VPC rules ``found``: outside the allowed blocks, too large, too small, reserved space."""
    at = site.origin.child("cidrs", index)
    vpc = found.vpc
    if net.version == 4:
        block, shortest, longest = prefix_bounds(vpc, net)
        if vpc.only_within_blocks and block is None:
            allowed = ", ".join(b.text for b in vpc.blocks)
            yield Hit(
                f"{_where(site, net)} lies outside the ranges {found.name} allows for a VPC "
                f"({allowed})",
                (site.id,),
                at,
                f"use a range inside {allowed}, such as {vpc.blocks[0].text}",
            )
            return
        limit = vpc.prefix
        secondary = limit is not None and limit.tier == "secondary"
        suffix = SECONDARY if secondary else ""
        severity = "warning" if secondary else None
        inside = f" in {block.text}" if block is not None and vpc.blocks else ""
        if shortest is not None and net.prefixlen < shortest:
            yield Hit(
                f"{_where(site, net)} is a /{net.prefixlen}; {found.name} allows no range "
                f"larger than /{shortest}{inside}{suffix}",
                (site.id,),
                at,
                f"split it into /{shortest} ranges: {_split_text(net, shortest)}",
                severity=severity,
            )
        elif longest is not None and net.prefixlen > longest:
            bigger = with_prefix(net, longest).network_text()
            yield Hit(
                f"{_where(site, net)} is a /{net.prefixlen}; {found.name} allows no range "
                f"smaller than /{longest}{inside}{suffix}",
                (site.id,),
                at,
                f"use a /{longest} or larger, such as {bigger}",
                severity=severity,
            )
    for reserved in vpc.reserved:
        if net.overlaps(reserved.net):
            yield Hit(
                f"{_where(site, net)} overlaps {reserved.text}: {reserved.reason}",
                (site.id,),
                at,
                f"choose a range outside {reserved.text}",
                severity=None if reserved.severity == "error" else reserved.severity,
            )
