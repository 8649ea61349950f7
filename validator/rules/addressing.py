"""Address range rules (CCV201–CCV206): VPC/VNet ranges must not conflict (agreement §5.1.1).

Every rule reads the shared range index (``validator.addressing.index``): ranges are
parsed once and overlaps found by one sweep. A range with host bits set is checked as
the network it names (SPEC §8); a value that does not parse is CCV100 and skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.addressing.index import RANGE, Entry, RangeIndex, range_index
from validator.addressing.special import PRIVATE, UNUSABLE, classify
from validator.clouds import pack
from validator.context import Context
from validator.fixes.patch import remove, replace
from validator.fixes.suggest import free_range
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
    return {
        "hint": f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{found.network_text()} (same size; no range or peering subnet of the plan uses it"
        f"{_cloud_words(site)})",
        "fix": [replace(index.range_origin(entry), found.network_text())],
        "fallback": default,
    }


def _cloud_words(site) -> str:
    return "" if pack(site.cloud) is None else f"; the VPC rules of {site.cloud} allow it"


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
    index = range_index(ctx)
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
    index = range_index(ctx)
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
        for site_pos, parsed in enumerate(range_index(ctx).nets):
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
    index = range_index(ctx)
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
    index = range_index(ctx)
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
