"""Address range rules (CCV2xx): VPC/VNet ranges must not conflict (agreement §5.1.1), and
must fit the site's cloud (CCV207, CCV208: facts in ``validator/data/clouds/``).

Every rule reads the shared range index (``validator.addressing.index``): ranges are
parsed once and overlaps found by one sweep. A range with host bits set is checked as
the network it names (SPEC §8); a value that does not parse is CCV100 and skipped here.
A site's ``summaries`` are routes it advertises too (SPEC §12): checked by CCV204, 205,
206 and 209, counted by CCV208, and never the covering side of CCV201/CCV203 (CCV210
instead).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import itemgetter

from validator.addressing.aggregate import prefix_key
from validator.addressing.index import RANGE, SUMMARY, Entry, RangeIndex
from validator.addressing.special import (
    RESERVED_PURPOSE,
    UNUSABLE,
)
from validator.clouds import pack
from validator.fixes.patch import remove, replace
from validator.model import Site, is_terraform
from validator.rules.addressing_cloud import (
    NO_ROUTES,
    block_bounds,
    cidr_hits,
    cloud_range_fix,
    exclusive_hits,
    not_accepted_hits,
    prefix_bounds,
    routes_by_site,
    site_nets,
    touches,
    vpc_shape,
)
from validator.rules.addressing_hints import aggregate_hint, move_range, private_hint, private_move
from validator.rules.addressing_special import classified_ranges, special_hits
from validator.rules.context import Context
from validator.rules.registry import Hit, rule
from validator.rules.terraform_checks import subnet_conflict_hits


def _text(index: RangeIndex, entry: Entry) -> str:
    return index.text(entry)


@rule(
    "CCV201",
    "cidr-overlap",
    "error",
    "ranges of two sites that meet overlap",
    "move one site to a free range of the same size",
)
def check_overlap(ctx: Context) -> Iterator[Hit]:
    """Ranges of two sites that meet (share a segment) must not overlap: the exchange
    could not tell which site an address belongs to, and one of them would be
    unreachable. A range inside another is an overlap; identical ranges are CCV202.

    Every overlapping pair is reported (a /8 that holds 1,000 /24s of other sites is
    1,000 findings), located at the range written later in the file. The hint names a
    free range of the same size from the private space the segment uses, that nothing
    else in the plan (no range of any site, no peering subnet) collides with.

    Failing:

        sites:
          - {id: aws-hk, cloud: aws, asn: 64512, cidrs: [10.0.0.0/16]}
          - {id: azure-sg, cloud: azure, asn: 64513, cidrs: [10.0.128.0/17]}

    Passes (the ranges touch but do not overlap; or the sites are in disjoint segments):

        cidrs: [10.0.0.0/16]     # aws-hk
        cidrs: [10.1.0.0/16]     # azure-sg
    """
    index = ctx.ranges
    for earlier, later in index.cross:
        a, b = index.net(earlier), index.net(later)
        if a.prefixlen == b.prefixlen:
            continue  # identical networks: CCV202
        site_a, site_b = index.sites[earlier.site].id, index.sites[later.site].id
        yield Hit(
            f"{_text(index, later)} of site {site_b} overlaps {_text(index, earlier)} "
            f"of site {site_a}",
            (site_a, site_b),
            index.range_origin(later),
            **move_range(ctx, index, later, "move one site to a free range of the same size"),
        )


@rule(
    "CCV202",
    "cidr-duplicate",
    "error",
    "two sites that meet advertise the identical range",
    "give one of the sites a free range of the same size",
)
def check_duplicate(ctx: Context) -> Iterator[Hit]:
    """Two sites that meet must not advertise the same range. One finding per pair of
    sites (three sites with one range: three findings), located at the later one,
    with a free range of the same size to move it to.

    Failing:

        - {id: aws-hk, cloud: aws, asn: 64512, cidrs: [10.0.0.0/16]}
        - {id: ali-sh, cloud: alibaba, asn: 64513, cidrs: [10.0.0.0/16]}

    Passes: the same range on two sites in disjoint segments (e.g. `prod` and `dev`
    that never exchange routes).
    """
    index = ctx.ranges
    for earlier, later in index.cross:
        a, b = index.net(earlier), index.net(later)
        if a.prefixlen != b.prefixlen:
            continue
        site_a, site_b = index.sites[earlier.site].id, index.sites[later.site].id
        yield Hit(
            f"{_text(index, later)} of site {site_b} is the same range as "
            f"{_text(index, earlier)} of site {site_a}",
            (site_a, site_b),
            index.range_origin(later),
            **move_range(ctx, index, later, "give one of the sites a free range of the same size"),
        )


@rule(
    "CCV203",
    "cidr-self-overlap",
    "warning",
    "one site lists overlapping or duplicate ranges",
    "list each range once; drop ranges contained in another of the same site",
)
def check_self_overlap(ctx: Context) -> Iterator[Hit]:
    """A site should list each range once: a range repeated, or contained in another of
    the same site, adds nothing but a route (and counts against cloud route limits).
    One finding per pair, at the later range.

    Failing:

        cidrs: [10.0.0.0/16, 10.0.4.0/24]

    Passes (adjacent, not overlapping):

        cidrs: [10.0.0.0/17, 10.0.128.0/17]
    """
    index = ctx.ranges
    for earlier, later in index.within:
        a, b = index.net(earlier), index.net(later)
        site = index.sites[later.site]
        text_a, text_b = _text(index, earlier), _text(index, later)
        if a.prefixlen == b.prefixlen:
            message = f"site {site.id} lists {text_b} twice (also as {text_a})"
            hint = f"remove the repeated {text_b}"
            drop = later
        else:
            outer, inner = (text_a, text_b) if a.prefixlen < b.prefixlen else (text_b, text_a)
            message = f"{text_b} of site {site.id} overlaps its own range {text_a}"
            hint = f"drop {inner}: {outer} already covers it"
            drop = later if b.prefixlen > a.prefixlen else earlier
        yield Hit(
            message, (site.id,), index.range_origin(later), hint,
            fix=None if _mixed_blocks(site, index.nets[later.site]) else [
                remove(index.range_origin(drop))
            ],
        )  # fmt: skip


def _mixed_blocks(site: Site, nets: list) -> bool:
    """True when the site's cloud has rules between a network's ranges (AWS: 10/8 with
    172.16/12) and its ranges lie in more than one top-level block: removing one of them
    would move where those rules report (no definite fix then)."""
    found = pack(site.cloud)
    if found is None or getattr(found.vpc, "exclusive", None) is None:
        return False
    return len({n.first >> 24 for n in nets if n is not None and n.version == 4}) > 1


@rule(
    "CCV204",
    "cidr-host-bits",
    "error",
    "a range has host bits set (`10.0.0.1/16`); hint gives the network",
    "write the network address of the range",
)
def check_host_bits(ctx: Context) -> Iterator[Hit]:
    """A range must be written as its network address: `10.1.0.1/16` has host bits
    set. Clouds reject it, or silently take `10.1.0.0/16`, which may not be what
    was meant. The hint gives the network; the other rules check the range as that
    network.

    Failing: `cidrs: [10.1.0.1/16]` (hint: write 10.1.0.0/16).
    Passes: `cidrs: [10.1.0.0/16]`.
    """
    index = ctx.ranges
    for site_pos, site in enumerate(index.sites):
        for kind, parsed in ((RANGE, index.nets[site_pos]), (SUMMARY, index.summaries[site_pos])):
            if not parsed or (
                None not in parsed and list(map(_ADDRESS, parsed)) == list(map(_FIRST, parsed))
            ):
                continue  # no value of the site has host bits (a whole site at C speed)
            for position, net in enumerate(parsed):
                if net is None or not net.host_bits:
                    continue
                network = net.network_text()
                entry = Entry(net.first, net.prefixlen, net.last, kind, site_pos, position)
                yield Hit(
                    f"{index.text(entry)} of site {site.id} has host bits set; "
                    f"the network is {network}",
                    (site.id,),
                    index.range_origin(entry),
                    f"write {network}",
                    fix=[replace(index.range_origin(entry), network)],
                )


@rule(
    "CCV205",
    "cidr-special-purpose",
    "error",
    "a range lies in special-purpose space no network can use (0/8, 127/8, 169.254/16, "
    "224/4, 255.255.255.255, ::1, fe80::/10, ff00::/8 …)",
    "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7",
)
def check_special_purpose(ctx: Context) -> Iterator[Hit]:
    """A range (or summary) must not lie in, or cover, special-purpose space that no
    network can use: 0.0.0.0/8, 127/8 (loopback), 169.254/16 (link-local), 224/4
    (multicast), 255.255.255.255/32; ::/128, ::1/128, ::ffff:0:0/96, fe80::/10, ff00::/8
    (IANA special-purpose registries; the list with each RFC is
    `validator/data/special-purpose.yaml`). Such a range gets CCV205 only, not also
    CCV206. Other special-purpose blocks (documentation, benchmarking, 240/4 …) are
    CCV209's: some clouds accept them. A summary is a covering route, judged by what it
    is: one inside such a block (127.0.0.0/16) is CCV205; one that merely contains them
    (a default route 0.0.0.0/0 or ::/0, a 0.0.0.0/1) is not.

    Failing: `cidrs: [169.254.0.0/16]` (link-local, RFC 3927).
    Passes: `cidrs: [100.64.0.0/16]` (shared address space, RFC 6598, usable) and
    `cidrs: ["fd00:10::/48"]` (unique-local).
    """
    yield from special_hits(ctx, UNUSABLE, "special-purpose space")


@rule(
    "CCV209",
    "cidr-reserved-purpose",
    "warning",
    "a range lies in special-purpose space not meant for networks (documentation, "
    "benchmarking, 240/4, 6to4 …) that some clouds accept but peers may filter",
    "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7",
)
def check_reserved_purpose(ctx: Context) -> Iterator[Hit]:
    """A range (or summary) in, or covering, special-purpose space that is not meant for
    networks: 192.0.0.0/24 (IETF protocol assignments), 192.0.2.0/24, 198.51.100.0/24,
    203.0.113.0/24 (documentation), 192.88.99.0/24 (6to4 relay), 198.18.0.0/15
    (benchmarking), 240.0.0.0/4 (reserved); 64:ff9b::/96, 100::/64, 2001::/23,
    2001:db8::/32, 2002::/16. Some clouds accept them for VPCs (Azure and Google Cloud
    document it), so this is a warning; but peers may filter them as bogons, and a copied
    documentation range is usually a mistake. A cloud whose rules forbid one adds CCV207
    (Huawei: 198.18.0.0/15 and 240.0.0.0/4). CCV209 replaces CCV206 for these blocks.
    A summary is CCV209 only when it lies inside one (192.0.2.0/25), not when it covers one.

    Failing: `cidrs: [198.18.0.0/16]` (benchmarking, RFC 2544).
    Passes: `cidrs: [10.18.0.0/16]`.
    """
    yield from special_hits(ctx, RESERVED_PURPOSE, "special-purpose space not meant for networks,")


@rule(
    "CCV206",
    "cidr-public",
    "warning",
    "a range outside private space (RFC 1918, RFC 6598, fc00::/7)",
    "use private space unless you own this public range",
)
def check_public(ctx: Context) -> Iterator[Hit]:
    """A range outside private space (10/8, 172.16/12, 192.168/16 of RFC 1918,
    100.64/10 of RFC 6598, fc00::/7) is public address space: fine if your company
    owns it, but a copied example or a typo otherwise, and it hides that part of the
    Internet from the sites that learn it. A warning; ignore it per site
    (`ignore: [CCV206]`) for public space you own. A summary that covers public space
    (10.0.0.0/7 covers 11.0.0.0/8) draws that traffic too; a default route (0.0.0.0/0,
    ::/0) is meant to, and is not public space.

    Failing: `cidrs: [52.95.0.0/16]`.
    Passes: `cidrs: [172.16.0.0/16]`.
    """
    index = ctx.ranges
    for entry, standing, _ in classified_ranges(ctx):
        if standing != "public":
            continue
        site = index.sites[entry.site]
        verb = "covers" if entry.kind == SUMMARY else "is"
        yield Hit(
            f"{index.text(entry)} of site {site.id} {verb} public address space (outside 10/8, "
            "172.16/12, 192.168/16, 100.64/10 and fc00::/7)",
            (site.id,),
            index.range_origin(entry),
            private_hint(ctx, index, entry)
            if entry.kind == SUMMARY
            else "use private space unless you own this public range; "
            # No fix: the range may be public space the company owns (a warning only).
            + private_move(ctx, index, entry)["hint"].replace("move", "e.g. move", 1),
        )


@rule(
    "CCV210",
    "summary-covers-site",
    "info",
    "a summary route of a site covers ranges of another site that meets it",
    "nothing to change if the site behind the summary is meant to be the fallback path",
)
def check_summary_covers(ctx: Context) -> Iterator[Hit]:
    """A site's `summaries` (e.g. a hub's 10.0.0.0/8) may cover ranges of sites it meets:
    that is routing by longest prefix, not a conflict (no CCV201). Traffic for the
    covered site follows its more specific route while its lines are up, and is drawn to
    the summary's site when they fail. One finding per summary and covered site, at the
    summary. A summary identical to another site's range is still CCV202; two sites may advertise
    one summary (two hubs, one aggregate): then each covers the other's ranges.

    Reported (info):

        - {id: hub, cloud: onprem, asn: 65001, cidrs: [10.71.0.0/24], summaries: [10.0.0.0/8]}
        - {id: dc, cloud: onprem, asn: 65002, cidrs: [10.200.0.0/16]}

    Quiet: the summary 10.71.0.0/16, which covers only the hub's own range.
    """
    index = ctx.ranges
    groups: dict[tuple[Entry, int], list[Entry]] = {}
    for summary, covered in index.summary_covers:
        groups.setdefault((summary, covered.site), []).append(covered)
    for (summary, site_pos), covered in groups.items():
        owner, other = index.sites[summary.site], index.sites[site_pos]
        more = f" and {len(covered) - 1} more of its ranges" if len(covered) > 1 else ""
        yield Hit(
            f"summary {index.text(summary)} of site {owner.id} covers "
            f"{index.text(covered[0])} of site {other.id}{more}: traffic for {other.id} "
            f"follows its more specific routes while its lines are up, and is drawn to "
            f"{owner.id} when they fail",
            (owner.id, other.id),
            index.range_origin(summary),
            f"nothing to change if {owner.id} is meant to be the fallback path for "
            f"{other.id}; otherwise narrow the summary so it leaves {other.id}'s ranges out",
        )


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
    Alibaba /8–/28, Huawei /8–/24 inside its recommended RFC 1918 blocks, Tencent
    /12–/28 in 10/8 and 172.16/12 and /16–/28 in 192.168/16, Oracle /16–/30; Google
    documents no subnet size limit), and ranges the cloud reserves (Azure's
    168.63.129.16, Google's Private Google Access VIPs and Cloud DNS forwarding range,
    Alibaba's 100.64.0.0/10, Huawei's 100.64.0.0/10, 214.0.0.0/7, 198.18.0.0/15 and
    240.0.0.0/4; AWS advises against 172.17.0.0/16, a warning), and AWS's association
    restrictions: one VPC holds ranges of at most one of 10/8, 172.16/12, 192.168/16 and
    198.19/16, whichever is primary (a second one is reported at its first range). A
    range with host bits is checked as the network it names. Blocks some clouds accept
    (documentation, benchmarking, 240/4: CCV209) are CCV207 only where the cloud refuses
    them (Huawei: 198.18.0.0/15, 240.0.0.0/4). Summaries are routes, not VPC ranges: not
    checked here.
    Special-purpose space every cloud refuses (169.254/16, 224/4, …) is CCV205's.
    `onprem` and `other` sites are not checked.

    Tencent Cloud's Direct Connect also refuses to learn some large prefixes exactly as
    written (9/8, 10/8, 11/8, 30/8, 100.64/10, 131.87/16, 172.16/12, 192.168/16): a site
    that advertises one of them to a Tencent site it meets is reported at that range,
    naming both sites, with the two halves to advertise instead.

    Failing (an AWS VPC cannot be larger than /16):

        - {id: aws-hk, cloud: aws, asn: 64512, cidrs: [10.0.0.0/15]}

    Passing near-miss: `cidrs: [10.0.0.0/16, 10.1.0.0/16]` (a VPC may hold several
    /16 ranges).
    """
    nets = site_nets(ctx)
    shapes: dict[str, tuple] = {}  # per cloud: the limits the fast path below needs
    for site_pos, site in enumerate(ctx.plan.sites):
        found = pack(site.cloud)
        if found is None:
            continue
        shape = shapes.get(site.cloud)  # type: ignore[arg-type]
        if shape is None:
            shape = shapes[site.cloud] = vpc_shape(found)  # type: ignore[index]
        low, high, simple, reserved = shape
        vpc = found.vpc
        parsed = nets.get(site.id, ())
        # The whole site at once, at C speed (the common case); else range by range: a
        # range inside the plain limits, clear of reserved space, yields nothing; IPv6
        # ranges are checked against reserved space only.
        plain_site = _all_plain(parsed, vpc, (low, high) if simple else None, reserved)
        for index, net in enumerate(() if plain_site else parsed):
            if net is None:
                continue
            near = reserved[net.version]
            if net.version == 6:
                plain = True
            elif simple:
                plain = low <= net.prefixlen <= high
            else:
                block, shortest, longest = prefix_bounds(vpc, net)
                plain = (
                    not (vpc.only_within_blocks and block is None)
                    and (shortest is None or net.prefixlen >= shortest)
                    and (longest is None or net.prefixlen <= longest)
                )
            if not plain or (near and touches(net, near)):
                for hit in cidr_hits(site, index, net, found):
                    yield cloud_range_fix(ctx, site_pos, index, net, hit)
        if vpc.exclusive is not None:
            yield from exclusive_hits(site, parsed, found)
    yield from not_accepted_hits(ctx)


_VERSION, _ADDRESS, _PREFIXLEN = itemgetter(0), itemgetter(1), itemgetter(2)
_FIRST, _LAST = itemgetter(3), itemgetter(4)


def _all_plain(parsed: list, vpc, bounds: tuple[int, int] | None, reserved: dict) -> bool:
    """True when no range of ``parsed`` can break the cloud's plain limits: no range
    touches a ``reserved`` interval of its IP version, and every IPv4 range has a prefix
    length within ``bounds`` (None: those of the one block of the cloud's ``vpc`` that
    holds all the IPv4 ranges, if there is one). One pass over a site's ranges, with no
    call per range (the common case of CCV207, a million times on a large plan)."""
    if not parsed:
        return False
    near4, near6 = reserved[4], reserved[6]
    low_first = high_last = -1  # the span of the IPv4 ranges
    shortest, longest = 33, -1
    for net in parsed:
        if net is None:
            return False
        first, last = net[3], net[4]
        if net[0] == 4:
            length = net[2]
            if length < shortest:
                shortest = length
            if length > longest:
                longest = length
            if low_first < 0 or first < low_first:
                low_first = first
            if last > high_last:
                high_last = last
            near = near4
        else:
            near = near6
        for low, high in near:
            if low <= last and first <= high:
                return False
    if longest < 0:
        return True  # IPv6 only: no prefix limits
    if bounds is None:
        bounds = block_bounds(vpc, low_first, high_last)
        if bounds is None:
            return False
    return bounds[0] <= shortest and longest <= bounds[1]


# --------------------------------------------------------------------------- CCV208
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

    - AWS: 100 IPv4 and 100 IPv6 per session on a private or transit VIF by default;
      past either the session goes down (error). A site with `addons: [prefix-controls]`
      (a higher allocation set with Direct Connect prefix controls) may learn 1,000 of
      each.
    - Azure: 4,000 IPv4 and 100 IPv6 prefixes on ExpressRoute private peering; past
      either the session drops (error). A site with `addons: [expressroute-premium]`
      (the Premium add-on) may learn 10,000 IPv4 prefixes; IPv6 stays 100.
    - Alibaba: 110 dynamic routes per BGP peer (per family); more are discarded (error).
    - Huawei: 100 routes per BGP session (per family), a quota raised by ticket (warning).

    Google Cloud, Tencent and Oracle publish no per-session figure and are not checked.
    A network of a Terraform plan with no interconnect in the plan holds no session of
    its own and is not checked (its ranges still count for the sites that learn them).
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
    limited = [
        s
        for s in plan.sites
        if (p := pack(s.cloud)) is not None
        and p.routes
        and (s.lines or not is_terraform(s.origin.doc))  # a plan's network without a session
    ]
    if not limited:
        return
    routes = routes_by_site(ctx)
    by_site = plan.segments_by_site
    members = plan.segment_members
    site_keys: dict[str, set[int]] = {}

    def keys_of(site_id: str) -> set[int]:
        found = site_keys.get(site_id)
        if found is None:
            nets, summaries = routes.get(site_id, NO_ROUTES)
            found = {prefix_key(n) for n in nets if n is not None}
            found.update(prefix_key(n) for n in summaries if n is not None)
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
            bounds[segments] = sum(
                len(nets) + len(summaries)
                for nets, summaries in (routes.get(m, NO_ROUTES) for m in sites)
            )
        return bounds[segments]

    hints: dict[tuple, str] = {}
    limits_of: dict[tuple, tuple] = {}  # (cloud, add-ons) -> limits per family, smallest
    for site in limited:
        found = pack(site.cloud)
        assert found is not None and found.routes is not None
        limits = found.routes
        cached = limits_of.get((site.cloud, site.addons))
        if cached is None:
            family_limits = {v: limits.limit(v, site.addons) for v in (4, 6)}
            smallest = min((n for n in family_limits.values() if n is not None), default=None)
            cached = limits_of[(site.cloud, site.addons)] = (family_limits, smallest)
        family_limits, smallest = cached
        segments = by_site.get(site.id, ())
        if len(segments) > 1:
            segments = tuple(sorted(segments))
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
            # What this site learns: the segments' ranges but its own (a range only it
            # advertises); the aggregate is of those, and never covers its own ranges.
            own = frozenset(key for key in keys_of(site.id) if counter[key] == 1)
            hint_key = (segments, family, limit, own)
            if hint_key not in hints:
                hints[hint_key] = aggregate_hint(counter, family, limit, own)
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


@rule(
    "CCV211",
    "subnet-conflict",
    "error",
    "a subnet lies outside every range of its network, or two subnets of one network overlap",
    "give the subnet a range inside its network that no other subnet of it uses",
)
def check_subnet_conflict(ctx: Context) -> Iterator[Hit]:
    """A subnet a Terraform plan creates must lie inside one of its network's ranges
    (the VPC's `cidr_block` and associated blocks, the VNet's `address_space`, …), and
    the subnets of one network must not overlap: the cloud refuses both at apply.
    Subnets inside their network are its structure, not conflicts with it (SPEC §7).
    A Google Cloud network's ranges are its subnetworks' own, so only overlaps apply.
    Unknown ranges are not checked (CCV104).

    Failing: `aws_vpc.main` 10.0.0.0/16 with `aws_subnet.a` 10.1.0.0/24, or with
    `aws_subnet.a` 10.0.0.0/24 and `aws_subnet.b` 10.0.0.128/25.
    """
    yield from subnet_conflict_hits(ctx.plan)
