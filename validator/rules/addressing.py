"""Address range rules (CCV2xx): VPC/VNet ranges must not conflict (agreement §5.1.1), and
must fit the site's cloud (CCV207, CCV208: facts in ``validator/data/clouds/``).

Every rule reads the shared range index (``validator.addressing.index``): ranges are
parsed once and overlaps found by one sweep. A range with host bits set is checked as
the network it names (SPEC §8); a value that does not parse is CCV100 and skipped here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from validator.addressing.aggregate import covering_supernets, key_prefix, merge_blocks, prefix_key
from validator.addressing.index import RANGE, Entry, RangeIndex
from validator.addressing.parse import BITS, Net, cidr_text, make_net
from validator.addressing.special import PRIVATE, UNUSABLE, classify
from validator.clouds import SECONDARY, CloudPack, pack
from validator.fixes.patch import add, remove, replace
from validator.fixes.suggest import free_range, split, widened
from validator.model import Site
from validator.rules.context import Context
from validator.rules.registry import Hit, rule


def _move(ctx: Context, index: RangeIndex, entry: Entry, default: str) -> dict:
    """Hint and fix moving the range of ``entry`` to a free range of the same size that
    the site's cloud accepts (``validator.fixes.suggest.free_range``); one suggestion per
    range, and no two ranges get the same one. Without one, the ``default`` hint."""
    found = free_range(ctx, entry[4], entry[5])
    if found is None:
        return {"hint": default}
    net = index.net(entry)
    site = index.sites[entry[4]]
    rules = "" if pack(site.cloud) is None else f"; the VPC rules of {site.cloud} allow it"
    return {
        "hint": f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{found.network_text()} (same size; no range or peering subnet of the plan uses "
        f"it{rules})",
        "fix": [replace(index.range_origin(entry), found.network_text())],
        "fallback": default,
    }


def _text(index: RangeIndex, entry: Entry) -> str:
    return index.sites[entry[4]].cidrs[entry[5]] or ""


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
        site_a, site_b = index.sites[earlier[4]].id, index.sites[later[4]].id
        yield Hit(
            f"{_text(index, later)} of site {site_b} overlaps {_text(index, earlier)} "
            f"of site {site_a}",
            (site_a, site_b),
            index.range_origin(later),
            **_move(ctx, index, later, "move one site to a free range of the same size"),
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
        site_a, site_b = index.sites[earlier[4]].id, index.sites[later[4]].id
        yield Hit(
            f"{_text(index, later)} of site {site_b} is the same range as "
            f"{_text(index, earlier)} of site {site_a}",
            (site_a, site_b),
            index.range_origin(later),
            **_move(ctx, index, later, "give one of the sites a free range of the same size"),
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
        site = index.sites[later[4]]
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
            fix=[remove(index.range_origin(drop))],
        )  # fmt: skip


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
    for site, parsed in zip(index.sites, index.nets, strict=True):
        for cidr_pos, net in enumerate(parsed):
            if net is not None and net.host_bits:
                network = net.network_text()
                yield Hit(
                    f"{site.cidrs[cidr_pos]} of site {site.id} has host bits set; "
                    f"the network is {network}",
                    (site.id,),
                    site.origin.child("cidrs", cidr_pos),
                    f"write {network}",
                    fix=[replace(site.origin.child("cidrs", cidr_pos), network)],
                )


def _classified(ctx: Context) -> list[tuple[int, int, str, object]]:
    """(site position, range position, class, block) of every range not private."""

    def compute() -> list[tuple[int, int, str, object]]:
        found = []
        for site_pos, parsed in enumerate(ctx.ranges.nets):
            for cidr_pos, net in enumerate(parsed):
                if net is None:
                    continue
                kind, block = classify(net)
                if kind != PRIVATE:
                    found.append((site_pos, cidr_pos, kind, block))
        return found

    return ctx.memo("addressing.classified", compute)


@rule(
    "CCV205",
    "cidr-special-purpose",
    "error",
    "a range lies in special-purpose space not usable for a VPC (0/8, 127/8, 169.254/16, "
    "224/4, 240/4, documentation ranges …)",
    "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7",
)
def check_special_purpose(ctx: Context) -> Iterator[Hit]:
    """A range must not lie in, or cover, special-purpose space that no VPC can use:
    0.0.0.0/8, 127/8, 169.254/16 (link-local), 192.0.0.0/24, 192.0.2.0/24,
    192.88.99.0/24, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24, 224/4, 240/4,
    255.255.255.255/32; ::/128, ::1/128, ::ffff:0:0/96, 64:ff9b::/96, 100::/64,
    2001::/23, 2001:db8::/32, 2002::/16, fe80::/10, ff00::/8 (IANA special-purpose
    registries; the list with each RFC is `validator/data/special-purpose.yaml`).
    Such a range gets CCV205 only, not also CCV206.

    Failing: `cidrs: [169.254.0.0/16]` (link-local, RFC 3927).
    Passes: `cidrs: [100.64.0.0/16]` (shared address space, RFC 6598, usable) and
    `cidrs: ["fd00:10::/48"]` (unique-local).
    """
    index = ctx.ranges
    for site_pos, cidr_pos, kind, block in _classified(ctx):
        if kind != UNUSABLE:
            continue
        site = index.sites[site_pos]
        text = site.cidrs[cidr_pos]
        net = index.nets[site_pos][cidr_pos]
        inside = block.net.first <= net.first and net.last <= block.net.last  # type: ignore[union-attr]
        verb = "lies in" if inside else "covers"
        yield Hit(
            f"{text} of site {site.id} {verb} special-purpose space {block.describe()}",  # type: ignore[union-attr]
            (site.id,),
            site.origin.child("cidrs", cidr_pos),
            **_private_move(ctx, index, site_pos, cidr_pos),
        )


def _private_move(ctx: Context, index: RangeIndex, site_pos: int, cidr_pos: int) -> dict:
    entry = (0, 0, 0, RANGE, site_pos, cidr_pos)
    return _move(
        ctx, index, entry, "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7"
    )


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
    (`ignore: [CCV206]`) for public space you own.

    Failing: `cidrs: [52.95.0.0/16]`.
    Passes: `cidrs: [172.16.0.0/16]`.
    """
    index = ctx.ranges
    for site_pos, cidr_pos, kind, _ in _classified(ctx):
        if kind == UNUSABLE:
            continue
        site = index.sites[site_pos]
        text = site.cidrs[cidr_pos]
        yield Hit(
            f"{text} of site {site.id} is public address space (outside 10/8, 172.16/12, "
            "192.168/16, 100.64/10 and fc00::/7)",
            (site.id,),
            site.origin.child("cidrs", cidr_pos),
            # No fix: the range may be public space the company owns (a warning only).
            "use private space unless you own this public range; "
            + _private_move(ctx, index, site_pos, cidr_pos)["hint"].replace("move", "e.g. move", 1),
        )


# --------------------------------------------------------------------------- cloud ranges: shared
def _site_nets(ctx: Context) -> dict[str, list[Net | None]]:
    """Every site's ranges parsed once (None where a value does not parse), by site id."""

    def compute() -> dict[str, list[Net | None]]:
        index = ctx.ranges  # the addressing rules' parse, shared
        return {site.id: nets for site, nets in zip(index.sites, index.nets, strict=True)}

    return ctx.memo("addressing.site_nets", compute)


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
    for site_pos, site in enumerate(ctx.plan.sites):
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
            for hit in _cidr_hits(site, index, net, found):
                yield _cloud_range_fix(ctx, site_pos, index, net, hit)
    yield from _not_accepted_hits(ctx, nets)


def _cloud_range_fix(ctx: Context, site_pos: int, cidr_pos: int, net: Net, hit: Hit) -> Hit:
    """``hit`` (of :func:`_cidr_hits`) with a hint whose value is valid where it goes, and
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
            hit.hint = (
                f"use /{length} ranges instead (more ranges than the site's cloud allows per "
                "network, or they would overlap other ranges of the plan: choose them with "
                "`ccv validate` after the change)"
            )
            return hit
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
    wanted = {prefix_key(n) for found in refusing.values() for n in found.not_accepted.nets}
    lengths = {key >> 1 & 255 for key in wanted}  # a cheap test before the key
    by_site = plan.segments_by_site
    in_segment: dict[str, set[str]] = {}
    for receiver in refusing:
        for segment in by_site.get(receiver, ()):
            in_segment.setdefault(segment, set()).add(receiver)
    for site in plan.sites:
        for index, net in enumerate(nets.get(site.id, ())):
            if net is None or net.prefixlen not in lengths or prefix_key(net) not in wanted:
                continue
            receivers = sorted(
                {m for seg in by_site.get(site.id, ()) for m in in_segment.get(seg, ())} - {site.id}
            )
            for receiver in receivers:
                found = refusing[receiver]
                if not any(prefix_key(n) == prefix_key(net) for n in found.not_accepted.nets):
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
    refusing = ctx.memo("addressing.refusing", lambda: _refusing(ctx))
    for other in refusing.get(prefix_key(net), ()):
        if other.id != site.id and ctx.plan.sites_meet(site.id, other.id):
            return True
    return False


def _refusing(ctx: Context) -> dict[int, list[Site]]:
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
            found = {prefix_key(n) for n in nets.get(site_id, ()) if n is not None}
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
            # What this site learns: the segments' ranges but its own (a range only it
            # advertises); the aggregate is of those, and never covers its own ranges.
            own = frozenset(key for key in keys_of(site.id) if counter[key] == 1)
            hint_key = (segments, family, limits.limit, own)
            if hint_key not in hints:
                hints[hint_key] = _aggregate_hint(counter, family, limits.limit, own)
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


def prefix_key_of(key: tuple[int, int, int]) -> int:
    """The :func:`prefix_key` of a (version, first, prefixlen) tuple."""
    version, first, plen = key
    return prefix_key(make_net(version, first, plen))


def _covers(block: tuple[int, int, int], other: tuple[int, int, int]) -> bool:
    a = make_net(*block)
    b = make_net(*other)
    return a.overlaps(b)


def _aggregate_hint(counter: Counter, family: int, limit: int, own: frozenset = frozenset()) -> str:
    """An aggregate of the prefixes the site learns (not ``own``, its own ranges) within
    ``limit``: the exact merge, else covering supernets that overlap none of its own."""
    keys = [
        k for k in map(key_prefix, counter) if family in (0, k[0]) and prefix_key_of(k) not in own
    ]
    mine = [key_prefix(k) for k in own]
    merged = [
        (version, first, plen)
        for version in (4, 6)
        for first, plen in merge_blocks(version, [(f, p) for v, f, p in keys if v == version])
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
            part = covering_supernets(group, version, share)
            merged.extend(part)
            budget -= len(part)
        how = "advertise covering supernets instead"
        if any(_covers(block, m) for block in merged for m in mine):
            return (
                f"aggregate what the other sites advertise to {limit} prefixes or fewer "
                "(their ranges are too scattered around this site's own ranges for covering "
                "supernets that leave them out)"
            )
    shown = ", ".join(cidr_text(*key) for key in merged[:4])
    more = " …" if len(merged) > 4 else ""
    return f"{how} ({len(merged)} prefixes, within the limit of {limit}): {shown}{more}"
