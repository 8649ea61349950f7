"""Cloud rule packs (CCV207, CCV208, CCV306, CCV404, CCV604, CCV704): facts in data/clouds/.

Each rule looks up the site's cloud pack (:func:`validator.clouds.pack`); sites of
``onprem``, ``other`` or an unknown cloud have none and are skipped, and so is any
check whose facts the pack leaves out for lack of a source. Facts of the secondary
tier give warnings that say "(per secondary source)".
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator

from validator.addressing.index import SUMMARY, range_index
from validator.addressing.parse import BITS, Net, cidr_text, make_net, parse_net
from validator.clouds import CloudPack, PeeringRule, asn_refusal, pack, peer_asn_refusal
from validator.context import Context
from validator.model import Line, Site
from validator.rules.asns import asn_class
from validator.rules.registry import Hit, rule

_G = "graph"
_SECONDARY = " (per secondary source)"


# ASNs the generic rules report (CCV401 invalid, CCV402 documentation): CCV404 stays quiet.
def _site_nets(ctx: Context) -> dict[str, list[Net | None]]:
    """Every site's ranges parsed once (None where a value does not parse), by site id."""

    def compute() -> dict[str, list[Net | None]]:
        index = range_index(ctx)  # the addressing rules' parse, shared
        return {site.id: nets for site, nets in zip(index.sites, index.nets, strict=True)}

    return ctx.memo("cloud_packs.nets", compute)


Route = tuple[str, int, Net]  # ("cidrs" or "summaries", position, network)


def _site_routes(ctx: Context) -> dict[str, list[Route]]:
    """Every route a site advertises, parsed: its ranges and its summaries (SPEC §12)."""

    def compute() -> dict[str, list[Route]]:
        index = range_index(ctx)
        return {
            site.id: [
                ("summaries" if kind == SUMMARY else "cidrs", position, net)
                for kind, position, net in index.routes(pos)
            ]
            for pos, site in enumerate(index.sites)
        }

    return ctx.memo("cloud_packs.routes", compute)


def _merge(version: int, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The fewest CIDR blocks (first, prefixlen) covering exactly ``blocks`` (integer merge)."""
    bits = BITS[version]
    spans = sorted((first, first + (1 << (bits - plen)) - 1) for first, plen in blocks)
    merged: list[list[int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    result = []
    for first, last in merged:
        while first <= last:
            size = (first & -first) if first else 1 << bits
            while size > last - first + 1:
                size >>= 1
            result.append((first, bits - size.bit_length() + 1))
            first += size
    return result


def _with_prefix(net: Net, prefixlen: int) -> Net:
    return make_net(net.version, net.first, prefixlen)


def _split_text(net: Net, prefixlen: int) -> str:
    pieces = 1 << (prefixlen - net.prefixlen)
    step = 1 << (BITS[net.version] - prefixlen)
    shown = [
        make_net(net.version, net.first + i * step, prefixlen).network_text() for i in range(2)
    ]
    if pieces == 2:
        return f"{shown[0]} and {shown[1]}"
    return f"{shown[0]}, {shown[1]} … ({pieces} ranges of /{prefixlen})"


# --------------------------------------------------------------------------- CCV207


@rule(
    "CCV207",
    "cidr-cloud-limit",
    "error",
    "a range breaks the site's cloud rules (prefix length limits, ranges that cloud reserves)",
    "pick a range of a size and place the site's cloud allows",
)
def check_cloud_cidr(ctx: Context) -> Iterator[Hit]:
    """A range of a cloud site must fit that cloud's VPC rules.

    Checked per cloud, from `validator/data/clouds/<cloud>.yaml` (see docs/clouds.md):
    the IPv4 prefix length of each range (AWS /16–/28, Azure no smaller than /29,
    Alibaba /8–/28, Huawei /8–/24 inside RFC 1918 only, Tencent /12–/28 in 10/8 and
    172.16/12 and /16–/28 in 192.168/16, Oracle /16–/30, Google Cloud /8–/29 per a
    secondary source, a warning), and ranges the cloud reserves (Azure's 168.63.129.16,
    Google's Private Google Access VIPs and Cloud DNS forwarding range, Alibaba's
    100.64.0.0/10; AWS advises against 172.17.0.0/16, a warning). A range with host bits
    is checked as the network it names. Special-purpose space every cloud refuses
    (169.254/16, 224/4, …) is CCV205's. `onprem` and `other` sites are not checked.

    Tencent Cloud's Direct Connect also refuses to learn some large prefixes exactly as
    written (9/8, 10/8, 11/8, 30/8, 100.64/10, 131.87/16, 172.16/12, 192.168/16): a site
    that advertises one of them to a Tencent site it meets is reported at that range,
    naming both sites, with the two halves to advertise instead.

    Failing (an AWS VPC cannot be larger than /16):

        - {id: aws-hk, cloud: aws, asn: 64512, cidrs: [10.0.0.0/15]}

    Passing near-miss: `cidrs: [10.0.0.0/16, 10.1.0.0/16]` (a VPC may hold several
    /16 ranges).
    """
    nets = _site_nets(ctx)
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        if found is None:
            continue
        vpc = found.vpc
        # fast path (a million ranges): a range inside the plain limits, clear of reserved
        # space, yields nothing; IPv6 ranges are checked against reserved space only.
        low = (vpc.prefix.shortest if vpc.prefix else None) or 0
        high = (vpc.prefix.longest if vpc.prefix else None) or 32
        simple = not vpc.blocks
        reserved = {
            version: [(r.net.first, r.net.last) for r in vpc.reserved if r.net.version == version]
            for version in (4, 6)
        }
        for index, net in enumerate(nets.get(site.id, ())):
            if net is None:
                continue
            near = reserved[net.version]
            if (not near or not any(f <= net.last and net.first <= t for f, t in near)) and (
                net.version == 6 or (simple and low <= net.prefixlen <= high)
            ):
                continue
            yield from _cidr_hits(site, index, net, found)
        if vpc.exclusive is not None:
            yield from _exclusive_hits(site, nets.get(site.id, ()), found)
    yield from _not_accepted_hits(ctx, _site_routes(ctx))


def _exclusive_hits(site: Site, nets: list[Net | None], found: CloudPack) -> Iterator[Hit]:
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


def _not_accepted_hits(ctx: Context, routes: dict[str, list[Route]]) -> Iterator[Hit]:
    """Ranges a site advertises that a cloud site it meets refuses as written (Tencent)."""
    plan = ctx.plan
    refusing = {}
    for site in plan.sites:
        found = pack(site.cloud)
        if found is not None and found.not_accepted is not None:
            refusing[site.id] = found
    if not refusing:
        return
    wanted = {_key(n) for found in refusing.values() for n in found.not_accepted.nets}
    lengths = {key >> 1 & 255 for key in wanted}  # a cheap test before the key
    by_site = plan.segments_by_site
    in_segment: dict[str, set[str]] = {}
    for receiver in refusing:
        for segment in by_site.get(receiver, ()):
            in_segment.setdefault(segment, set()).add(receiver)
    for site in plan.sites:
        for field, index, net in routes.get(site.id, ()):
            if net.prefixlen not in lengths or _key(net) not in wanted:
                continue
            receivers = sorted(
                {m for seg in by_site.get(site.id, ()) for m in in_segment.get(seg, ())} - {site.id}
            )
            for receiver in receivers:
                found = refusing[receiver]
                if not any(_key(n) == _key(net) for n in found.not_accepted.nets):
                    continue
                half = _with_prefix(net, net.prefixlen + 1)
                other = make_net(4, half.last + 1, net.prefixlen + 1)
                yield Hit(
                    f"site {receiver} ({found.cloud}) would learn {net.network_text()} from site "
                    f"{site.id}: {found.not_accepted.reason}",
                    (receiver, site.id),
                    site.origin.child(field, index),
                    f"advertise {half.network_text()} and {other.network_text()} instead of "
                    f"{net.network_text()}",
                )


def _where(site: Site, net: Net) -> str:
    return f"range {net.network_text()} of site {site.id}"


def _cidr_hits(site: Site, index: int, net: Net, found: CloudPack) -> Iterator[Hit]:
    at = site.origin.child("cidrs", index)
    vpc = found.vpc
    if net.version == 4:
        block = vpc.block_of(net) if vpc.blocks else None
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
        shortest = limit.shortest if limit else None
        longest = limit.longest if limit else None
        if block is not None:
            shortest = block.shortest if block.shortest is not None else shortest
            longest = block.longest if block.longest is not None else longest
        secondary = limit is not None and limit.tier == "secondary"
        suffix = _SECONDARY if secondary else ""
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
            bigger = _with_prefix(net, longest).network_text()
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


# --------------------------------------------------------------------------- CCV208


def _key(net: Net) -> int:
    """One integer per distinct network: first address, prefix length, family bit."""
    return ((net.first << 8 | net.prefixlen) << 1) | (net.version == 6)


def _unkey(key: int) -> tuple[int, int, int]:
    """(version, first, prefixlen) of a :func:`_key`."""
    return (6 if key & 1 else 4, key >> 9, (key >> 1) & 255)


@rule(
    "CCV208",
    "route-limit",
    "error",
    "a site would learn more prefixes of one IP family over one BGP session (the ranges "
    "and summaries of every site it meets) than its cloud accepts; warning where the limit "
    "is soft",
    "aggregate the advertised ranges so the count fits the cloud's limit",
)
def check_route_limit(ctx: Context) -> Iterator[Hit]:
    """A cloud site must not learn more prefixes per BGP session than its cloud accepts.

    Over the exchange a site learns the distinct ranges and `summaries` of every other
    site it meets (SPEC §3: every site sharing one of its segments); a prefix several
    sites advertise counts once, and the site's own are not learned. IPv4 and IPv6 are
    counted separately, each against the cloud's limit for that family, from
    `validator/data/clouds/<cloud>.yaml`:

    - AWS: 100 IPv4 and 100 IPv6 per session on a private or transit VIF; past either
      the session goes down, and the limit cannot be raised (error).
    - Azure: 4,000 IPv4 and 100 IPv6 prefixes on ExpressRoute private peering; past
      either the session drops (error). A site with `addons: [expressroute-premium]`
      (the Premium add-on) may learn 10,000 IPv4 prefixes; IPv6 stays 100.
    - Alibaba: 110 dynamic routes per BGP peer (per family); more are discarded (error).
    - Huawei: 100 routes per BGP session (per family), a quota raised by ticket (warning).

    Google Cloud, Tencent and Oracle publish no per-session figure and are not checked.
    The hint shows an aggregate that fits: the exactly merged prefixes when they fit,
    otherwise covering supernets (computed from every prefix of the site's segments);
    where an add-on would hold the count, it says so.

    Failing: an AWS site in a segment where other sites advertise 101 distinct IPv4
    ranges; an Azure site meeting a site with 101 IPv6 /48s. Passing near-miss: the
    same ranges merged into 100 prefixes or fewer, or split over segments so that no
    AWS site meets more than 100; 4,001 IPv4 prefixes toward an Azure site that
    declares `addons: [expressroute-premium]`.
    """
    plan = ctx.plan
    limited = [s for s in plan.sites if (p := pack(s.cloud)) is not None and p.routes]
    if not limited:
        return
    routes = _site_routes(ctx)
    by_site = plan.segments_by_site
    members = plan.segment_members
    site_keys: dict[str, set[int]] = {}

    def keys_of(site_id: str) -> set[int]:
        found = site_keys.get(site_id)
        if found is None:
            found = {_key(net) for _, _, net in routes.get(site_id, ())}
            site_keys[site_id] = found
        return found

    tallies: dict[tuple[str, ...], tuple[Counter, dict[int, int]]] = {}

    def tally(segments: tuple[str, ...]) -> tuple[Counter, dict[int, int]]:
        if segments not in tallies:
            sites = {m for seg in segments for m in members.get(seg, ())}
            counter: Counter = Counter()
            for member in sites:
                counter.update(keys_of(member))
            v6 = sum(key & 1 for key in counter)
            per_family = {4: len(counter) - v6, 6: v6}
            tallies[segments] = (counter, per_family)
        return tallies[segments]

    bounds: dict[tuple[str, ...], int] = {}

    def bound(segments: tuple[str, ...]) -> int:
        """At least the prefixes any member learns: every route of every member, counted."""
        if segments not in bounds:
            sites = {m for seg in segments for m in members.get(seg, ())}
            bounds[segments] = sum(len(routes.get(m, ())) for m in sites)
        return bounds[segments]

    hints: dict[tuple, str] = {}
    for site in limited:
        found = pack(site.cloud)
        assert found is not None and found.routes is not None
        limits = found.routes
        family_limits = {v: limits.limit(v, site.addons) for v in (4, 6)}
        segments = tuple(sorted(by_site.get(site.id, ())))
        smallest = min((n for n in family_limits.values() if n is not None), default=None)
        if smallest is None or bound(segments) <= smallest:
            continue  # cannot exceed a limit, whatever repeats
        counter, per_family = tally(segments)
        learned = dict(per_family)
        for key in keys_of(site.id):
            if counter[key] == 1:
                learned[6 if key & 1 else 4] -= 1
        for family in (4, 6):
            limit, count = family_limits[family], learned[family]
            if limit is None or count <= limit:
                continue
            hint_key = (segments, family, limit)
            if hint_key not in hints:
                hints[hint_key] = _aggregate_hint(counter, family, limit)
            message = (
                f"site {site.id} ({site.cloud}) would learn {count} IPv{family} prefixes over "
                f"one BGP session from the sites it meets; {found.name} accepts {limit} "
                f"IPv{family} prefixes per session: {limits.effect}"
            )
            hint = hints[hint_key]
            addon = limits.raising(family, count)
            if addon is not None and addon.name not in site.addons:
                raised = dict(addon.limits)[family]
                hint = (
                    f"order {addon.text} and declare it (addons: [{addon.name}], limit "
                    f"{raised}), or {hint}"
                )
            elif limits.raised_by:
                hint = f"ask for a higher quota ({limits.raised_by}), or {hint}"
            yield Hit(
                message,
                (site.id,),
                site.origin,
                hint,
                severity=None if limits.hard else "warning",
            )


def _supernets(keys: list[tuple[int, int, int]], version: int, budget: int) -> list:
    """Merged covering supernets from the longest common cut that fits ``budget``."""
    bits = BITS[version]
    low, high = 0, bits

    def cover(length: int) -> set[tuple[int, int]]:
        result = set()
        for _, first, plen in keys:
            cut = min(length, plen)
            result.add(((first >> (bits - cut)) << (bits - cut), cut))
        return result

    while low < high:  # the largest length whose cover fits
        middle = (low + high + 1) // 2
        if len(_merge(version, list(cover(middle)))) <= budget:
            low = middle
        else:
            high = middle - 1
    return [(version, first, plen) for first, plen in _merge(version, list(cover(low)))]


def _aggregate_hint(counter: Counter, family: int, limit: int) -> str:
    keys = [k for k in map(_unkey, counter) if family in (0, k[0])]
    merged = [
        (version, first, plen)
        for version in (4, 6)
        for first, plen in _merge(version, [(f, p) for v, f, p in keys if v == version])
    ]
    how = "aggregate the advertised ranges"
    if len(merged) > limit:
        merged = []
        budget = limit
        v4 = [k for k in keys if k[0] == 4]
        for version in (6, 4):
            group = [k for k in keys if k[0] == version]
            if not group:
                continue
            share = budget if version == 4 or not v4 else max(1, budget // 2)
            part = _supernets(group, version, share)
            merged.extend(part)
            budget -= len(part)
        how = "advertise covering supernets instead"
    shown = ", ".join(cidr_text(*key) for key in merged[:4])
    more = " …" if len(merged) > 4 else ""
    return f"{how} ({len(merged)} prefixes, within the limit of {limit}): {shown}{more}"


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
            yield from _circuit_hits(site, found)
        if not (found.peering_v4 or found.peering_v6):
            continue
        for line in site.lines:
            if line.peering is None:
                continue
            yield from _line_peering_hits(site, line, found)


def _circuit_hits(site: Site, found: CloudPack) -> Iterator[Hit]:
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
                yield Hit(
                    f"{label} is link {position + 1} of its circuit: {circuit.reason}",
                    (line.id,),
                    line.origin,
                    f"give line {line.id} a circuit of its own (circuit: {name}-2) or "
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
                yield Hit(
                    f"{label} uses VLAN {line.vlan}, but line {first.id} of the same circuit "
                    f"uses VLAN {first.vlan}: {circuit.reason}",
                    (first.id, line.id),
                    line.origin.child("vlan"),
                    f"set vlan: {first.vlan} on line {line.id}, as on line {first.id}",
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
                    entry.hint,
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
                suffix = _SECONDARY if entry.tier == "secondary" else ""
                yield Hit(
                    f"{label}: {'; '.join(problems)} ({entry.reason}){suffix}",
                    (line.id,),
                    at,
                    entry.hint or _peering_hint(entry, site_net, exchange_net),
                    severity="warning" if entry.tier == "secondary" else None,
                )


def _peering_hint(entry: PeeringRule, site_net: Net | None, exchange_net: Net | None) -> str:
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
    return (
        f"use a /{prefixlen} such as site {site_addr.address_text()}/{prefixlen}, "
        f"exchange {exchange_addr.address_text()}/{prefixlen}"
    )


# --------------------------------------------------------------------------- CCV404


@rule(
    "CCV404",
    "asn-cloud-rule",
    "error",
    "an ASN the site's cloud forbids or does not use",
    "use an ASN the site's cloud accepts",
)
def check_asn_cloud(ctx: Context) -> Iterator[Hit]:
    """A cloud site's `asn` is the ASN of the cloud's BGP speaker: it must be one the cloud
    uses, for the site's `interconnect` type (default `partner`).

    - AWS (Direct Connect gateway / virtual private gateway): a private ASN,
      64512–65534 or 4200000000–4294967294 (default 64512).
    - Azure ExpressRoute: always 12076.
    - Google Cloud Router: 16550 for Partner Interconnect (the default); a private ASN
      (RFC 6996) for Dedicated Interconnect (`interconnect: dedicated`), where 16550 is
      refused.
    - Alibaba Cloud: 45104 by default, or a custom ASN of the customer's choice except
      65025, which Alibaba reserves.
    - Huawei Cloud: 64512 by default, or a private ASN of the customer's choice
      (64512–65534, 4200000000–4294967294).
    - Tencent Cloud: 45090. Oracle (commercial realm): 31898.

    The other side of the session too: the exchange's ASN (the peer ASN of every cloud
    site) and the ASN of every site that meets a cloud site (its routes reach the cloud
    site with that ASN in the AS path) must not be one the cloud reserves for itself:
    Azure 65515–65520, 8074, 8075 and 12076; AWS 7224, 9059, 10124, 17493; Alibaba
    65025 and 45104. Such a finding names the ASN's owner (a site; the exchange has no
    id) and the cloud site, and is located at the ASN to change. An ASN equal to the
    cloud site's own is CCV403/CCV406's, and a site of the same cloud using that cloud's
    own ASN is not reported.

    Values the generic rules report (0, 23456, 65535, 4294967295, documentation ASNs,
    out of range) are left to CCV401/CCV402, and a public ASN where the cloud requires a
    private one to CCV405: one mistake, one finding.

    Failing: `{id: azure-sg, cloud: azure, asn: 65010, …}` (Microsoft's side is 12076);
    `exchange: {asn: 65515}` with an Azure site; a GCP site (partner) with `asn: 65001`.
    Passing near-miss: `{id: azure-sg, cloud: azure, asn: 12076, …}`; `exchange: {asn:
    64600}`; the GCP site with `asn: 16550`, or `interconnect: dedicated` and 65001.
    """
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        if found is None or found.asn is None or site.asn is None:
            continue
        asn = site.asn
        if asn_class(asn)[0] in ("CCV401", "CCV402"):
            continue  # the generic ASN rules report it
        rules = found.asn
        if rules.requires_private and asn_class(asn)[0] == "public":
            continue  # CCV405 reports a public ASN where the cloud requires a private one
        at = site.origin.child("asn")
        hint = _asn_hint(found, site.interconnect)
        problem = asn_refusal(site.cloud, asn, site.interconnect)
        if problem is not None:
            yield Hit(
                f"site {site.id} ({site.cloud}) uses ASN {asn}; {problem}", (site.id,), at, hint
            )
    yield from _peer_asn_hits(ctx)


def _peer_asn_hits(ctx: Context) -> Iterator[Hit]:
    """ASNs on the other side of a cloud site's session that its cloud reserves."""
    plan = ctx.plan
    guarded = [
        (site, found)
        for site in plan.sites
        if (found := pack(site.cloud)) is not None and found.asn is not None and found.asn.reserved
    ]
    if not guarded:
        return
    exchange = plan.exchange
    if exchange is not None and exchange.asn is not None:
        for site, found in guarded:
            reserved = peer_asn_refusal(site.cloud, exchange.asn)
            if reserved is None or exchange.asn == site.asn:
                continue  # an exchange ASN equal to the site's own is CCV406's
            yield Hit(
                f"the exchange uses ASN {exchange.asn}, the peer ASN of site {site.id} "
                f"({site.cloud}); {found.name} refuses it: {reserved.reason} "
                f"({reserved.text()})",
                (site.id,),
                exchange.origin.child("asn"),
                f"give the exchange an ASN {found.name} accepts as a peer, e.g. a private "
                f"ASN outside {reserved.text()}",
            )
    members = plan.segment_members
    segments = plan.segments_by_site
    by_id = {site.id: site for site in plan.sites}
    for site, found in guarded:
        met = sorted({m for seg in segments.get(site.id, ()) for m in members.get(seg, ())})
        for other_id in met:
            other = by_id.get(other_id)
            if other is None or other.id == site.id or other.asn is None:
                continue
            if other.asn == site.asn or other.cloud == site.cloud:
                continue  # a shared ASN is CCV403's; a site of the same cloud uses its ASN
            reserved = peer_asn_refusal(site.cloud, other.asn)
            if reserved is None:
                continue
            yield Hit(
                f"site {other.id} uses ASN {other.asn}, which reaches site {site.id} "
                f"({site.cloud}) in the AS path of its routes; {found.name} reserves it: "
                f"{reserved.reason} ({reserved.text()})",
                (other.id, site.id),
                other.origin.child("asn"),
                f"give site {other.id} an ASN outside {reserved.text()}",
            )


def _asn_hint(found: CloudPack, interconnect: str = "partner") -> str:
    rules = found.asn
    assert rules is not None
    accepted = rules.accepted_for(interconnect)
    default = rules.default_for(interconnect)
    ranges = [r for r in accepted if r.first != r.last]
    singles = [r for r in accepted if r.first == r.last]
    if not ranges:
        notes = [f"{r.first} ({r.note})" for r in singles if r.note and r.first != default]
        extra = f", or {', '.join(notes)}" if notes else ""
        return f"set asn to {default if default is not None else singles[0].first}{extra}"
    if default is not None and not any(default in r for r in ranges):
        return f"set asn to {default} (the default), or to an ASN in " + " or ".join(
            r.text() for r in ranges
        )
    text = " or ".join(r.text() for r in ranges)
    parts = [f"set asn to a private ASN in {text}"]
    if default is not None and any(default in r for r in ranges):
        parts.append(f"(default {default})")
    for single in singles:
        parts.append(f"or {single.first}" + (f" ({single.note})" if single.note else ""))
    return " ".join(parts)


# --------------------------------------------------------------------------- CCV604


@rule(
    "CCV604",
    "bandwidth-not-orderable",
    "warning",
    "a line's bandwidth is not a capacity the site's cloud sells",
    "order a bandwidth the cloud sells",
    stage=_G,
)
def check_bandwidth_orderable(ctx: Context) -> Iterator[Hit]:
    """A line's `bandwidth_mbps` should be a capacity the site's cloud sells.

    The values follow the site's `interconnect` (default `partner`):

    - AWS Direct Connect: hosted (partner) 50, 100, 200, 300, 400, 500 Mbps, 1, 2, 5,
      10, 25 Gbps; dedicated 1, 10, 100, 400 Gbps.
    - Azure ExpressRoute: through a provider 50, 100, 200, 500 Mbps, 1, 2, 5, 10 Gbps;
      ExpressRoute Direct (dedicated) 1, 2, 5, 10, 40, 100 Gbps.
    - Google Cloud VLAN attachments: Partner Interconnect 50, 100, 200, 300, 400,
      500 Mbps, 1, 2, 5, 10, 20, 50 Gbps; Dedicated Interconnect also 100 and 400 Gbps.

    Alibaba, Huawei, Tencent and Oracle publish no list the data could be sourced
    from, so their lines are not checked. The hint names the nearest capacities below
    and above.

    Failing: a line of an AWS site with `bandwidth_mbps: 750`.
    Passing near-miss: `bandwidth_mbps: 500` or `1000`.
    """
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        orderable = None if found is None else found.bandwidths_for(site.interconnect)
        if found is None or orderable is None:
            continue
        values = orderable.values
        for line in site.lines:
            bandwidth = line.bandwidth_mbps
            if bandwidth is None or any(abs(bandwidth - v) < 1e-6 for v in values):
                continue
            place = bisect.bisect_left(values, bandwidth)
            near = []
            if place > 0:
                near.append(f"{_mbps(values[place - 1])} below")
            if place < len(values):
                near.append(f"{_mbps(values[place])} above")
            yield Hit(
                f"line {line.id} of site {site.id} has {_mbps(bandwidth)}, which "
                f"{found.name} does not sell ({site.interconnect} interconnect)",
                (line.id,),
                line.origin.child("bandwidth_mbps"),
                f"order {' or '.join(near)}",
            )


def _mbps(value: float) -> str:
    number = int(value) if float(value).is_integer() else value
    return f"{number} Mbit/s"


# --------------------------------------------------------------------------- CCV704


@rule(
    "CCV704",
    "cloud-redundancy",
    "warning",
    "the site's cloud requires or recommends redundancy the plan lacks (e.g. ExpressRoute "
    "primary + secondary links)",
    "add the redundant line the cloud asks for",
    stage=_G,
)
def check_cloud_redundancy(ctx: Context) -> Iterator[Hit]:
    """A cloud site should have the redundancy its cloud requires or recommends.

    - Azure ExpressRoute requires both links of the circuit (primary and secondary):
      "you must set up both BGP sessions for our availability SLA to be valid" — at
      least 2 lines.
    - Google Cloud recommends a pair of VLAN attachments, one per edge availability
      domain — at least 2 lines.
    - AWS's resiliency models: Maximum Resiliency (target 99.99) has two connections
      at each of two locations — 2 lines on each of 2 POPs; High Resiliency (target
      99.9 or more) one connection at each of two locations — lines on 2 POPs; even
      Development and Test uses 2 connections — at least 2 lines.
    - Alibaba: from target 99.95, two access points and two circuits (lines on 2
      POPs); from 99.99, four circuits on two access points.
    - Huawei strongly recommends dual connections to different access points — lines
      on 2 POPs.

    The target is the site's `sla_target` or the plan's. A carrier POP stands for the
    cloud location it reaches. Tencent and Oracle publish no sourced requirement.
    A site without lines is CCV501's.

    Failing: an Azure site with one line. Passing near-miss: the same site with a
    primary and a secondary line.
    """
    plan = ctx.plan
    for site in plan.sites:
        found = pack(site.cloud)
        if found is None or not found.redundancy or not site.lines:
            continue
        target = site.sla_target if site.sla_target is not None else plan.sla_target
        per_pop: Counter = Counter(line.pop for line in site.lines if line.pop)
        lines = len(site.lines)
        for need in found.redundancy:
            if not need.applies(target):
                continue
            strong_pops = sum(1 for n in per_pop.values() if n >= need.min_lines_per_pop)
            if (
                lines >= need.min_lines
                and len(per_pop) >= need.min_pops
                and strong_pops >= need.min_pops
            ):
                continue
            yield Hit(
                _redundancy_message(site, found.name, need.kind, need.text, lines, per_pop),
                (site.id,),
                site.origin.child("lines"),
                _redundancy_hint(need, lines, per_pop),
                key=True,
            )
            break


def _redundancy_message(site, name, kind, text, lines, per_pop) -> str:
    pops = ", ".join(sorted(per_pop)) or "no POP"
    has = f"{lines} line{'s' if lines != 1 else ''} on {pops}"
    verb = "requires" if kind == "required" else "recommends"
    return f"site {site.id} has {has}; {name} {verb} more: {text}"


def _redundancy_hint(need, lines, per_pop) -> str:
    wanted = []
    if need.min_pops > 1:
        if need.min_lines_per_pop > 1:
            wanted.append(f"{need.min_lines_per_pop} lines on each of {need.min_pops} POPs")
        else:
            wanted.append(f"lines on at least {need.min_pops} different POPs")
    if need.min_lines > max(lines, 1) or not wanted:
        wanted.insert(0, f"at least {need.min_lines} lines")
    target = (
        f" for a target of {need.when_target_at_least}"
        if need.when_target_at_least is not None
        else ""
    )
    return f"add lines so the site has {' and '.join(wanted)} ({need.name}{target})"
