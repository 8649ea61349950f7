"""Hints and fixes of the address range rules (CCV201–CCV209, CCV208): moving a range to a
free one the site's cloud accepts, private space for special-purpose ranges, and the
aggregate that brings a site's learned prefixes within its cloud's route limit.

Used by ``validator.rules.addressing`` only; suggested values come from
``validator.fixes.suggest``, which asks the rules' own checks whether they fit.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

from validator.addressing.aggregate import aggregate_within, key_prefix
from validator.addressing.index import RANGE, SUMMARY, Entry, RangeIndex
from validator.addressing.parse import Net, cidr_text, make_net, parse_net
from validator.addressing.suggest import preferred_blocks, segment_usage
from validator.clouds import pack
from validator.fixes.patch import replace
from validator.fixes.suggest import free_range
from validator.rules.context import Context
from validator.rules.terraform_checks import fixed_range_hint


def move_hint(ctx: Context, index: RangeIndex, entry: Entry, default: str) -> str:
    """Move the range of ``entry`` to a free range; one suggestion per range, and no two
    ranges get the same one."""
    net = index.net(entry)
    fixed = fixed_range_hint(index.sites[entry.site], net.network_text())
    if fixed is not None:  # a range the cloud chose: moving it is not the remedy
        return fixed
    chosen: dict[tuple[int, int, int], Net | None] = ctx.memo("addressing.suggested", dict)
    key = (entry.kind, entry.site, entry.index)
    if key not in chosen:
        space = ctx.free_space
        chosen[key] = None
        segments = ctx.plan.segments_by_site.get(index.sites[entry.site].id, ())
        usage = partial(
            ctx.memo, "addressing.segment_usage", partial(segment_usage, ctx.plan, index)
        )
        for block in preferred_blocks(net, segments, usage):
            found = space.suggest(net.version, block, net.prefixlen)
            if found is not None:
                chosen[key] = found
                break
    found = chosen[key]
    if found is None:
        return default
    site = index.sites[entry.site]
    return (
        f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{found.network_text()} (same size; no range or peering subnet of the plan uses it)"
    )


def move_range(ctx: Context, index: RangeIndex, entry: Entry, default: str) -> dict:
    """Hint and fix moving the range of ``entry`` to a free range of the same size that
    the site's cloud accepts (``validator.fixes.suggest.free_range``); one suggestion per
    range, and no two ranges get the same one. Without one, the ``default`` hint. A
    summary, or a range the cloud chose (Terraform), gets the hint only."""
    site = index.sites[entry.site]
    net = index.net(entry)
    if entry.kind != RANGE or fixed_range_hint(site, net.network_text()) is not None:
        return {"hint": move_hint(ctx, index, entry, default)}
    inside = _subnets_within(ctx, site.id, net)
    if inside:
        return {
            "hint": f"move {net.network_text()} of site {site.id} to free space of the same "
            f"size together with its subnets ({', '.join(inside)}): they move with it, so "
            "ccv names no single value"
        }
    found = free_range(ctx, entry.site, entry.index)
    if found is None:
        return {"hint": default}
    rules = "" if pack(site.cloud) is None else f"; the VPC rules of {site.cloud} allow it"
    return {
        "hint": f"move {net.network_text()} of site {site.id} to a free range such as "
        f"{found.network_text()} (same size; no range or peering subnet of the plan uses "
        f"it{rules})",
        "fix": [replace(index.range_origin(entry), found.network_text())],
        "fallback": default,
    }


def _subnets_within(ctx: Context, network: str, net: Net) -> list[str]:
    """Addresses of the plan's subnets of ``network`` (a Terraform network) that overlap
    ``net``: moving ``net`` alone would leave them outside their network (CCV211)."""
    by_network = ctx.memo("addressing.subnets_by_network", lambda: _subnets_by_network(ctx))
    found = []
    for subnet in by_network.get(network, ()):
        for text in subnet.cidrs:
            other = parse_net(text)
            if (
                other is not None
                and other.version == net.version
                and (other.first <= net.last and net.first <= other.last)
            ):
                found.append(subnet.address)
                break
    return found


def _subnets_by_network(ctx: Context) -> dict[str, list]:
    found: dict[str, list] = {}
    for subnet in ctx.plan.subnets:
        found.setdefault(subnet.network, []).append(subnet)
    return found


def private_move(ctx: Context, index: RangeIndex, entry: Entry) -> dict:
    """Hint and fix of a range in special-purpose space: a free private range of its size (a
    summary: the words of :func:`private_hint`)."""
    if entry.kind == SUMMARY:
        return {"hint": private_hint(ctx, index, entry)}
    return move_range(
        ctx, index, entry, "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7"
    )


def private_hint(ctx: Context, index: RangeIndex, entry: Entry) -> str:
    """The words only: remove or rewrite a summary; move a range to private space."""
    if entry.kind == SUMMARY:  # a covering route: moving it elsewhere covers nothing
        return (
            f"remove the summary {index.text(entry)}, or write the private aggregate of the "
            "ranges it is meant to cover (inside 10/8, 172.16/12, 192.168/16, 100.64/10 or "
            "fc00::/7; 0.0.0.0/0 or ::/0 for a default route)"
        )
    return move_hint(
        ctx, index, entry, "use private space: 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7"
    )


def aggregate_hint(counter: Counter, family: int, limit: int, own: frozenset = frozenset()) -> str:
    """An aggregate of the prefixes the site learns (not ``own``, its own ranges) within
    ``limit``: the exact merge, else covering supernets that overlap none of its own."""
    keys = [key_prefix(k) for k in counter if k not in own and family in (0, key_prefix(k)[0])]
    mine = [make_net(*key_prefix(k)) for k in own]
    merged, exact = aggregate_within(keys, limit)
    if not exact and any(make_net(*block).overlaps(m) for block in merged for m in mine):
        return (
            f"aggregate what the other sites advertise to {limit} prefixes or fewer (their "
            "ranges are too scattered around this site's own ranges for covering supernets "
            "that leave them out)"
        )
    how = "aggregate the advertised ranges" if exact else "advertise covering supernets instead"
    shown = ", ".join(cidr_text(*key) for key in merged[:4])
    more = " …" if len(merged) > 4 else ""
    return f"{how} ({len(merged)} prefixes, within the limit of {limit}): {shown}{more}"
