"""Address range rules (CCV201–CCV206, CCV209, CCV210): VPC/VNet ranges must not conflict
(agreement §5.1.1).

Every rule reads the shared range index (``validator.addressing.index``): ranges are
parsed once and overlaps found by one sweep. A range with host bits set is checked as
the network it names (SPEC §8); a value that does not parse is CCV100 and skipped here.
A site's ``summaries`` are routes it advertises too (SPEC §12): checked by CCV204, 205,
206 and 209, and never the covering side of CCV201/CCV203 (CCV210 instead).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from validator.addressing.index import Entry, RangeIndex, free_space, range_index
from validator.addressing.parse import Net
from validator.addressing.special import (
    PRIVATE,
    RESERVED_PURPOSE,
    UNUSABLE,
    classify,
    private_blocks,
)
from validator.context import Context
from validator.rules.registry import Hit, rule

_V6_ULA = "fd00::/8"  # the locally assigned half of fc00::/7 (RFC 4193 §3.2)


def _preferred_blocks(ctx: Context, index: RangeIndex, net: Net, site_pos: int) -> Iterator[Net]:
    """Private blocks to search for a free range, lazily: the one holding ``net``, then
    those the site's segments use (most used first), then the rest."""
    from validator.addressing.parse import parse_net

    blocks = [b.net for b in private_blocks(net.version)]
    if net.version == 6:
        blocks = [parse_net(_V6_ULA)] + blocks  # type: ignore[list-item]
    own = [i for i, b in enumerate(blocks) if b.first <= net.first and net.last <= b.last]
    yield from (blocks[i] for i in own)
    # Segment usage only orders the fallbacks, rarely needed: computed on demand.
    rest = [i for i in range(len(blocks)) if i not in own]
    yield from _by_usage(ctx, index, net, site_pos, blocks, rest)


def _by_usage(
    ctx: Context, index: RangeIndex, net: Net, site_pos: int, blocks: list[Net], which: list[int]
) -> list[Net]:
    usage = _segment_usage(ctx, index)
    counts: Counter[int] = Counter()
    for segment in ctx.plan.segments_by_site.get(index.sites[site_pos].id, ()):
        counts.update(usage.get((segment, net.version), {}))
    order = sorted(which, key=lambda i: (-counts[i], i))
    return [blocks[i] for i in order]


def _segment_usage(ctx: Context, index: RangeIndex) -> dict[tuple[str, int], Counter[int]]:
    """How many ranges of each segment lie in each private block (by block position)."""

    def compute() -> dict[tuple[str, int], Counter[int]]:
        from validator.addressing.parse import parse_net

        usage: dict[tuple[str, int], Counter[int]] = {}
        blocks = {
            4: [b.net for b in private_blocks(4)],
            6: [parse_net(_V6_ULA)] + [b.net for b in private_blocks(6)],
        }
        segments = ctx.plan.segments_by_site
        for site, parsed in zip(index.sites, index.nets, strict=True):
            for net in parsed:
                if net is None:
                    continue
                for i, block in enumerate(blocks[net.version]):
                    if block.first <= net.first and net.last <= block.last:  # type: ignore[union-attr]
                        for segment in segments.get(site.id, ()):
                            usage.setdefault((segment, net.version), Counter())[i] += 1
                        break
        return usage

    return ctx.memo("addressing.segment_usage", compute)


def _move_hint(ctx: Context, index: RangeIndex, entry: Entry, default: str) -> str:
    """Move the range of ``entry`` to a free range; one suggestion per range, and no two
    ranges get the same one."""
    chosen: dict[tuple[int, int, int], Net | None] = ctx.memo("addressing.suggested", dict)
    key = (entry[3], entry[4], entry[5])
    net = index.net(entry)
    if key not in chosen:
        space = free_space(ctx)
        chosen[key] = None
        for block in _preferred_blocks(ctx, index, net, entry[4]):
            found = space.suggest(net.version, block, net.prefixlen)
            if found is not None:
                chosen[key] = found
                break
    found = chosen[key]
    if found is None:
        return default
    site = index.sites[entry[4]]
    return (
        f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{found.network_text()} (same size; no range or peering subnet of the plan uses it)"
    )


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
    index = range_index(ctx)
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
            _move_hint(ctx, index, later, "move one site to a free range of the same size"),
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
    index = range_index(ctx)
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
            _move_hint(ctx, index, later, "give one of the sites a free range of the same size"),
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
    index = range_index(ctx)
    for earlier, later in index.within:
        a, b = index.net(earlier), index.net(later)
        site = index.sites[later[4]]
        text_a, text_b = _text(index, earlier), _text(index, later)
        if a.prefixlen == b.prefixlen:
            message = f"site {site.id} lists {text_b} twice (also as {text_a})"
            hint = f"remove the repeated {text_b}"
        else:
            outer, inner = (text_a, text_b) if a.prefixlen < b.prefixlen else (text_b, text_a)
            message = f"{text_b} of site {site.id} overlaps its own range {text_a}"
            hint = f"drop {inner}: {outer} already covers it (or split {outer})"
        yield Hit(message, (site.id,), index.range_origin(later), hint)


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
    index = range_index(ctx)
    for site_pos, site in enumerate(index.sites):
        for kind, position, net in index.routes(site_pos):
            if net.host_bits:
                network = net.network_text()
                entry = (0, 0, 0, kind, site_pos, position)
                yield Hit(
                    f"{index.text(entry)} of site {site.id} has host bits set; "
                    f"the network is {network}",
                    (site.id,),
                    index.range_origin(entry),
                    f"write {network}",
                )


def _classified(ctx: Context) -> list[tuple[Entry, str, object]]:
    """(entry, class, block) of every range and summary that is not private."""

    def compute() -> list[tuple[Entry, str, object]]:
        found = []
        index = range_index(ctx)
        for site_pos in range(len(index.sites)):
            for kind, position, net in index.routes(site_pos):
                standing, block = classify(net)
                if standing != PRIVATE:
                    found.append(((0, 0, 0, kind, site_pos, position), standing, block))
        found.sort(key=lambda item: (item[0][4], item[0][3], item[0][5]))
        return found

    return ctx.memo("addressing.classified", compute)


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
    CCV209's: some clouds accept them.

    Failing: `cidrs: [169.254.0.0/16]` (link-local, RFC 3927).
    Passes: `cidrs: [100.64.0.0/16]` (shared address space, RFC 6598, usable) and
    `cidrs: ["fd00:10::/48"]` (unique-local).
    """
    yield from _special_hits(ctx, UNUSABLE, "special-purpose space")


def _special_hits(ctx: Context, standing: str, what: str) -> Iterator[Hit]:
    index = range_index(ctx)
    for entry, found, block in _classified(ctx):
        if found != standing:
            continue
        site = index.sites[entry[4]]
        net = index.net(entry)
        inside = block.net.first <= net.first and net.last <= block.net.last  # type: ignore[union-attr]
        verb = "lies in" if inside else "covers"
        yield Hit(
            f"{index.text(entry)} of site {site.id} {verb} {what} {block.describe()}",  # type: ignore[union-attr]
            (site.id,),
            index.range_origin(entry),
            _private_hint(ctx, index, entry),
        )


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
    (Huawei: only RFC 1918). CCV209 replaces CCV206 for these blocks.

    Failing: `cidrs: [198.18.0.0/16]` (benchmarking, RFC 2544).
    Passes: `cidrs: [10.18.0.0/16]`.
    """
    yield from _special_hits(ctx, RESERVED_PURPOSE, "special-purpose space not meant for networks,")


def _private_hint(ctx: Context, index: RangeIndex, entry: Entry) -> str:
    return _move_hint(
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
    index = range_index(ctx)
    for entry, standing, _ in _classified(ctx):
        if standing != "public":
            continue
        site = index.sites[entry[4]]
        yield Hit(
            f"{index.text(entry)} of site {site.id} is public address space (outside 10/8, "
            "172.16/12, 192.168/16, 100.64/10 and fc00::/7)",
            (site.id,),
            index.range_origin(entry),
            "use private space unless you own this public range; "
            + _private_hint(ctx, index, entry).replace("move", "e.g. move", 1),
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
    summary. A summary identical to another site's range is still CCV202.

    Reported (info):

        - {id: hub, cloud: onprem, asn: 65001, cidrs: [10.71.0.0/24], summaries: [10.0.0.0/8]}
        - {id: dc, cloud: onprem, asn: 65002, cidrs: [10.200.0.0/16]}

    Quiet: the summary 10.71.0.0/16, which covers only the hub's own range.
    """
    index = range_index(ctx)
    groups: dict[tuple[Entry, int], list[Entry]] = {}
    for summary, covered in index.summary_covers:
        groups.setdefault((summary, covered[4]), []).append(covered)
    for (summary, site_pos), covered in groups.items():
        owner, other = index.sites[summary[4]], index.sites[site_pos]
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
