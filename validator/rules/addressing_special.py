"""Special-purpose space in a plan's ranges and summaries (CCV205, CCV206, CCV209): each
range's class (``validator/data/special-purpose.yaml``), computed once per run, and the
findings of CCV205 and CCV209, which differ only in the class they report."""

from __future__ import annotations

from collections.abc import Iterator

from validator.addressing.index import RANGE, SUMMARY, Entry
from validator.addressing.special import (
    DEFAULT_ROUTE,
    PRIVATE,
    UNUSABLE,
    classify,
    classify_summary,
    private_blocks,
)
from validator.rules.addressing_hints import private_move
from validator.rules.context import Context
from validator.rules.registry import Hit


def classified_ranges(ctx: Context) -> list[tuple[Entry, str, object]]:
    """(entry, class, block) of every range and summary that is not private. A summary is
    judged by what it is (``classify_summary``): a default route, or one that only
    contains special blocks, is no CCV205/CCV209."""

    def compute() -> list[tuple[Entry, str, object]]:
        found = []
        index = ctx.ranges
        private = {v: [(b.net.first, b.net.last) for b in private_blocks(v)] for v in (4, 6)}
        for kind, per_site in ((RANGE, index.nets), (SUMMARY, index.summaries)):
            judge = classify_summary if kind == SUMMARY else classify
            for site_pos, parsed in enumerate(per_site):
                for position, net in enumerate(parsed):
                    if net is None:
                        continue
                    first, last, inside = net[3], net[4], False
                    for low, high in private[net[0]]:  # the common case, without a call
                        if low <= first and last <= high:
                            inside = True  # private space: private, whatever else
                            break
                    if inside:
                        continue
                    standing, block = judge(net)
                    if standing not in (PRIVATE, DEFAULT_ROUTE):
                        found.append(
                            (
                                Entry(net.first, net.prefixlen, net.last, kind, site_pos, position),
                                standing,
                                block,
                            )
                        )
        found.sort(key=lambda item: (item[0].site, item[0].kind, item[0].index))
        return found

    return ctx.memo("addressing.classified", compute)


def special_hits(ctx: Context, standing: str, what: str) -> Iterator[Hit]:
    """CCV205 / CCV209 findings: every range or summary of class ``standing``, located at it,
    with the private-space move (CCV205) or its words (CCV209)."""
    index = ctx.ranges
    for entry, found, block in classified_ranges(ctx):
        if found != standing:
            continue
        site = index.sites[entry.site]
        net = index.net(entry)
        inside = block.net.first <= net.first and net.last <= block.net.last  # type: ignore[union-attr]
        verb = "lies in" if inside else "covers"
        yield Hit(
            f"{index.text(entry)} of site {site.id} {verb} {what} {block.describe()}",  # type: ignore[union-attr]
            (site.id,),
            index.range_origin(entry),
            # CCV205 (no network can use it): move it; CCV209 (some clouds accept it): words
            **(
                private_move(ctx, index, entry)
                if standing == UNUSABLE
                else {"hint": private_move(ctx, index, entry)["hint"]}
            ),
        )
