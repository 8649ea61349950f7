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

from validator.addressing.index import range_index
from validator.addressing.parse import BITS, Net, cidr_text, make_net, parse_net
from validator.clouds import CloudPack, PeeringRule, pack
from validator.context import Context
from validator.model import Line, Site
from validator.rules.asns import asn_class, site_asn_fix
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
    yield from _not_accepted_hits(ctx, nets)


def _not_accepted_hits(ctx: Context, nets: dict[str, list[Net | None]]) -> Iterator[Hit]:
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
        for index, net in enumerate(nets.get(site.id, ())):
            if net is None or net.prefixlen not in lengths or _key(net) not in wanted:
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
                    site.origin.child("cidrs", index),
                    f"advertise {half.network_text()} and {other.network_text()} instead of "
                    f"{net.network_text()}",
                )


def range_refused(site: Site, net: Net) -> bool:
    """True when the range check of ``site``'s cloud (CCV207) would report ``net`` on that
    site: the oracle a suggested range must pass (a site without a pack accepts any)."""
    found = pack(site.cloud)
    if found is None:
        return False
    return next(_cidr_hits(site, 0, net, found), None) is not None


def refused_by_receivers(ctx: Context, site: Site, net: Net) -> bool:
    """True when a cloud site that meets ``site`` refuses to learn ``net`` as written."""
    plan = ctx.plan
    key = _key(net)
    for other in plan.sites:
        found = pack(other.cloud)
        if (
            found is not None
            and found.not_accepted is not None
            and other.id != site.id
            and any(_key(n) == key for n in found.not_accepted.nets)
            and plan.sites_meet(site.id, other.id)
        ):
            return True
    return False


def peering_refused(site: Site, site_net: Net, exchange_net: Net) -> bool:
    """True when the peering rules of ``site``'s cloud (CCV306) refuse this address pair."""
    found = pack(site.cloud)
    if found is None:
        return False
    rules = found.peering_v4 if site_net.version == 4 else found.peering_v6
    for entry in rules:
        if not entry.allowed or _peering_problems(entry, site_net, exchange_net):
            return True
    return False


def peering_rules(cloud: str | None, version: int) -> tuple[PeeringRule, ...]:
    """The peering address rules of ``cloud`` for IP ``version`` (empty without a pack)."""
    found = pack(cloud)
    if found is None:
        return ()
    return found.peering_v4 if version == 4 else found.peering_v6


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
    "a site would learn more prefixes over one BGP session (the ranges of every site it "
    "meets) than its cloud accepts per session; warning where the limit is soft",
    "aggregate the advertised ranges so the count fits the cloud's limit",
)
def check_route_limit(ctx: Context) -> Iterator[Hit]:
    """A cloud site must not learn more prefixes per BGP session than its cloud accepts.

    Over the exchange a site learns the distinct ranges of every other site it meets
    (SPEC §3: every site sharing one of its segments); a range several sites advertise
    counts once, and the site's own ranges are not learned. The count is compared with
    the cloud's per-session limit from `validator/data/clouds/<cloud>.yaml`:

    - AWS: 100 per session on a private or transit VIF, counted per IP family; past it
      the session goes down and the limit cannot be raised (error).
    - Azure: 4,000 prefixes on ExpressRoute private peering (10,000 with Premium),
      both families together; past it the session drops (error).
    - Alibaba: 110 dynamic routes per BGP peer (per family); more are discarded (error).
    - Huawei: 100 routes per BGP session (per family), a quota raised by ticket (warning).

    Google Cloud, Tencent and Oracle publish no per-session figure and are not checked.
    The hint shows an aggregate that fits: the exactly merged ranges when they fit,
    otherwise covering supernets (computed from every range of the site's segments).

    Failing: an AWS site in a segment where other sites advertise 101 distinct IPv4
    ranges. Passing near-miss: the same ranges merged into 100 prefixes or fewer, or
    split over segments so that no AWS site meets more than 100.
    """
    plan = ctx.plan
    limited = [s for s in plan.sites if (p := pack(s.cloud)) is not None and p.routes]
    if not limited:
        return
    nets = _site_nets(ctx)
    by_site = plan.segments_by_site
    members = plan.segment_members
    site_keys: dict[str, set[int]] = {}

    def keys_of(site_id: str) -> set[int]:
        found = site_keys.get(site_id)
        if found is None:
            found = {_key(n) for n in nets.get(site_id, ()) if n is not None}
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
        """At least the prefixes any member learns: every range of every member, counted."""
        if segments not in bounds:
            sites = {m for seg in segments for m in members.get(seg, ())}
            bounds[segments] = sum(len(nets.get(m, ())) for m in sites)
        return bounds[segments]

    hints: dict[tuple, str] = {}
    for site in limited:
        limits = pack(site.cloud).routes  # type: ignore[union-attr]
        segments = tuple(sorted(by_site.get(site.id, ())))
        if bound(segments) <= limits.limit:
            continue  # cannot exceed the limit, whatever repeats
        counter, per_family = tally(segments)
        learned = dict(per_family)
        for key in keys_of(site.id):
            if counter[key] == 1:
                learned[6 if key & 1 else 4] -= 1
        groups = (
            [(4, learned[4]), (6, learned[6])]
            if limits.per_family
            else [(0, sum(learned.values()))]
        )
        for family, count in groups:
            if count <= limits.limit:
                continue
            hint_key = (segments, family, limits.limit)
            if hint_key not in hints:
                hints[hint_key] = _aggregate_hint(counter, family, limits.limit)
            fam = f" IPv{family}" if family else ""
            message = (
                f"site {site.id} ({site.cloud}) would learn {count}{fam} prefixes over one BGP "
                f"session from the sites it meets; {pack(site.cloud).name} accepts "  # type: ignore[union-attr]
                f"{limits.limit} per session: {limits.effect}"
            )
            hint = hints[hint_key]
            if limits.raised_limit and count <= limits.raised_limit and limits.raised_by:
                hint = f"order {limits.raised_by} (limit {limits.raised_limit}), or {hint}"
            elif limits.raised_by and not limits.raised_limit:
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

    Failing (Google Cloud wants link-local addressing):

        peering: {site_ip: 10.0.0.1/30, exchange_ip: 10.0.0.2/30}

    Passing near-miss: `{site_ip: 169.254.0.1/30, exchange_ip: 169.254.0.2/30}`.
    """
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        if found is None or not (found.peering_v4 or found.peering_v6):
            continue
        for line in site.lines:
            if line.peering is None:
                continue
            yield from _line_peering_hits(site, line, found)


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
    """A cloud site's `asn` is the ASN of the cloud's BGP speaker: it must be one the cloud uses.

    - AWS (Direct Connect gateway / virtual private gateway): a private ASN,
      64512–65534 or 4200000000–4294967294 (default 64512).
    - Azure ExpressRoute: always 12076; 65515–65520 and 8074–8075 are reserved by Azure.
    - Google Cloud Router: a private ASN (RFC 6996), or 16550 for Partner Interconnect.
    - Alibaba Cloud: 45104. Tencent Cloud: 45090. Oracle (commercial realm): 31898.
    - Huawei Cloud: 64512 (65533 in CN North-Beijing1).

    Values the generic rules report (0, 23456, 65535, 4294967295, documentation ASNs,
    out of range) are left to CCV401/CCV402, and a public ASN where the cloud requires a
    private one to CCV405: one mistake, one finding.

    Failing: `{id: azure-sg, cloud: azure, asn: 65010, …}` (Microsoft's side is 12076).
    Passing near-miss: `{id: azure-sg, cloud: azure, asn: 12076, …}`.
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
        hint = site_asn_fix(ctx, site, _asn_hint(found))
        forbidden = rules.forbidding(asn)
        if forbidden is not None:
            yield Hit(
                f"site {site.id} ({site.cloud}) uses ASN {asn}, which {found.name} forbids: "
                f"{forbidden.reason or 'reserved'} ({forbidden.text()})",
                (site.id,),
                at,
                **hint,
            )
        elif not rules.accepts(asn):
            uses = " or ".join(r.text() for r in rules.accepted)
            yield Hit(
                f"site {site.id} ({site.cloud}) uses ASN {asn}; the ASN of "
                f"{rules.speaker} is {uses}",
                (site.id,),
                at,
                **hint,
            )


def _asn_hint(found: CloudPack) -> str:
    rules = found.asn
    assert rules is not None
    ranges = [r for r in rules.accepted if r.first != r.last]
    singles = [r for r in rules.accepted if r.first == r.last]
    if not ranges:
        notes = [f"{r.first} ({r.note})" for r in singles if r.note and r.first != rules.default]
        extra = f", or {', '.join(notes)}" if notes else ""
        return (
            f"set asn to {rules.default if rules.default is not None else singles[0].first}{extra}"
        )
    text = " or ".join(r.text() for r in ranges)
    parts = [f"set asn to a private ASN in {text}"]
    if rules.default is not None and any(rules.default in r for r in ranges):
        parts.append(f"(default {rules.default})")
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

    - AWS Direct Connect: hosted 50, 100, 200, 300, 400, 500 Mbps, 1, 2, 5, 10, 25 Gbps;
      dedicated 1, 10, 100 Gbps.
    - Azure ExpressRoute: 50, 100, 200, 500 Mbps, 1, 2, 5, 10 Gbps.
    - Google Cloud VLAN attachments: 50, 100, 200, 300, 400, 500 Mbps, 1, 2, 5, 10,
      20, 50, 100 Gbps.

    Alibaba, Huawei, Tencent and Oracle publish no list the data could be sourced
    from, so their lines are not checked. The hint names the nearest capacities below
    and above.

    Failing: a line of an AWS site with `bandwidth_mbps: 750`.
    Passing near-miss: `bandwidth_mbps: 500` or `1000`.
    """
    for site in ctx.plan.sites:
        found = pack(site.cloud)
        if found is None or found.bandwidths is None:
            continue
        values = found.bandwidths.values
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
                f"{found.name} does not sell",
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
