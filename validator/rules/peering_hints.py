"""Hints and fixes of the peering address rules (CCV301–CCV306): a valid address pair
for a line (the end that is a valid host stays, the other becomes a free host of its
subnet the site's cloud accepts), moving a line to a free peering subnet
(``validator.fixes.suggest.peering_pair``), and the pair a cloud's rule asks for where
it is free in the plan (``cloud_fix``). Used by ``validator.rules.peering`` only."""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from validator.addressing.index import PEERING_FIELDS, Endpoint, Subnet
from validator.addressing.parse import BITS, Net, make_net
from validator.clouds import PeeringRule
from validator.fixes.patch import add, replace
from validator.fixes.suggest import address_text, peering_pair
from validator.model import Line, Site
from validator.rules.context import Context
from validator.rules.peering_cloud import pair_words, peering_refused, peering_target
from validator.wording import Names, assign


def is_host(net: Net) -> bool:
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
    keep = next((e for e in (site, exchange) if e is not None and is_host(e.net)), None)
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


def pair_fix(
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
    keep = next((e for e in (site, exchange) if e is not None and is_host(e.net)), None)
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
        if is_host(make_net(net.version, a, net.prefixlen)) and free(a)
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
    # per subnet, the last line holding it; per address, the last two lines using it: a
    # line's question is then O(1), not O(lines sharing it) (10,000 copies: quadratic)
    last_of = ctx.memo(
        "peering.last_line_of_subnet",
        lambda: {key: max(lines) for key, lines in _lines_of_subnet(index).items()},
    )
    for end in index.endpoints[line_pos]:
        key = (end.net.version, end.net.first, end.net.prefixlen)
        if end.net.version == version and last_of.get(key, -1) > line_pos:
            return False
    last_two = ctx.memo(
        "peering.last_two_users",
        lambda: {key: heapq.nlargest(2, lines) for key, lines in _used_addresses(ctx).items()},
    )
    for end in index.endpoints[line_pos]:
        later = last_two.get((end.net.version, end.net.address), ())
        if end.net.version == version and len(later) > 1 and later[1] > line_pos:
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


def move_pair(ctx: Context, line_pos: int, version: int, prefixlen: int, alternative: str):
    """Hint and fix moving the line's peering pair of ``version`` to a free subnet the
    site's cloud accepts (``validator.fixes.suggest.peering_pair``)."""
    index = ctx.ranges
    line = index.lines[line_pos]
    if not _movable(ctx, line_pos, version):
        return None
    owner = next(s for s in index.sites if s.id == line.site)
    found = peering_pair(ctx, owner, line, version, prefixlen)
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


def free_subnet(ctx: Context, subnet: Subnet, alternative: str) -> dict:
    """Hint and fix moving the line of ``subnet`` to a free peering subnet (same size)."""
    moved = move_pair(
        ctx, subnet.line_pos, subnet.net.version, subnet.net.prefixlen,
        f"; or {alternative.removeprefix('or ')}",
    )  # fmt: skip
    default = f"take the peering subnet from space no site advertises, {alternative}"
    return moved | {"fallback": default} if moved else {"hint": default}


def cloud_fix(
    ctx: Context,
    site: Site,
    line: Line,
    entry: PeeringRule,
    site_net: Net | None,
    exchange_net: Net | None,
) -> dict:
    """Hint and fix of a CCV306 finding of ``line`` (of ``site``) against its cloud's
    ``entry``, as ``Hit`` keywords. The pair the rule asks for
    (``peering_target``) where it is free in the plan: inside the line's own subnet, or
    holding it on space no range, summary, peering subnet nor earlier suggestion uses
    (then handed out); else a free subnet the cloud accepts (``peering_pair``); else the
    rule in words. Every pair passes the cloud's rules (``peering_refused``) and the
    generic ones; one pair per line and address family per run."""
    subject = site_net or exchange_net
    assert subject is not None
    version = subject.version
    positions = ctx.memo(
        "peering.line_positions", lambda: {id(ln): i for i, ln in enumerate(ctx.ranges.lines)}
    )
    line_pos = positions[id(line)]
    chosen: dict = ctx.memo("peering.cloud_pairs", dict)
    key = (line_pos, version)
    if key not in chosen:
        chosen[key] = _cloud_pair(ctx, line_pos, site, entry, site_net, exchange_net)
    found = chosen[key]
    target = peering_target(entry, site_net, exchange_net)[0]
    where = " or ".join(w.network_text() for w in entry.within)
    words = (
        f"use a /{found[0].prefixlen if found else target.prefixlen}"
        f"{f' inside {where}' if where else ''} that no range and no other line of the plan "
        "uses, with the host addresses the cloud asks for"
    )
    if found is None:
        return {"hint": words}
    fields = PEERING_FIELDS[0 if version == 4 else 1]
    texts = {fields[0]: address_text(found[0]), fields[1]: address_text(found[1])}
    return {
        "hint": pair_words(found[0], found[1], line.peering.names),
        "fix": _set_fields(line, texts),
        "fallback": words,
    }


def _cloud_pair(
    ctx: Context,
    line_pos: int,
    site: Site,
    entry: PeeringRule,
    site_net: Net | None,
    exchange_net: Net | None,
) -> tuple[Net, Net] | None:
    """(site end, exchange end) for ``cloud_fix``, or None."""
    subject = site_net or exchange_net
    assert subject is not None
    version = subject.version
    site_end, exchange_end, stays = peering_target(entry, site_net, exchange_net)
    subnet = make_net(version, site_end.first, site_end.prefixlen)
    on_others = line_pos in _overlapping_lines(ctx) or line_pos in _lines_on_ranges(ctx)
    if (
        stays
        and not on_others
        and is_host(site_end)
        and is_host(exchange_end)
        and site_end.address != exchange_end.address
        and not peering_refused(site, site_end, exchange_end)
    ):
        # The subnet holds the line's own, or lies inside it: only the space around the
        # line's own subnet is new to the line (a /31 made a /30).
        space = ctx.free_space
        before = (subnet.first, subject.first - 1)
        after = (subject.last + 1, subnet.last)
        if space.is_free(version, *before) and space.is_free(version, *after):
            for first, last in (before, after):
                if first <= last:
                    space.reserve(version, first, last)
            return site_end, exchange_end
    if on_others and not _movable(ctx, line_pos, version):
        return None  # moving it would re-anchor other lines' findings
    return peering_pair(ctx, site, ctx.ranges.lines[line_pos], version, site_end.prefixlen)


def _lines_on_ranges(ctx: Context) -> set[int]:
    """Positions of lines whose peering subnet lies on a range of a site that meets
    the line's site."""

    def compute() -> set[int]:
        index = ctx.ranges
        return {index.subnets[pair.subnet.index].line_pos for pair in index.subnet_range}

    return ctx.memo("peering.lines_on_ranges", compute)
