"""Where to look for a free range: private blocks ordered by what a site's segments use.

Pure functions of the plan and its range index; the rules cache their results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from validator.addressing.index import RangeIndex
from validator.addressing.parse import Net, parse_net
from validator.addressing.special import private_blocks
from validator.model import Plan

V6_ULA = "fd00::/8"
"""The locally assigned half of fc00::/7 (RFC 4193 §3.2): searched first for IPv6."""

_RFC6598 = parse_net("100.64.0.0/10")

Usage = dict[tuple[str, int], Counter[int]]
"""(segment, IP version) -> ranges per private block (by position in :func:`search_blocks`)."""


def search_blocks(version: int) -> list[Net]:
    """The private blocks a free range is searched in, in order (IPv6: the ULA half first)."""
    blocks = [b.net for b in private_blocks(version)]
    if version == 6:
        blocks = [parse_net(V6_ULA)] + blocks  # type: ignore[list-item]
    return blocks  # type: ignore[return-value]


def segment_usage(plan: Plan, index: RangeIndex) -> Usage:
    """How many ranges of each segment lie in each private block.

    O(R · B) for R ranges and B private blocks (a handful).
    """
    usage: Usage = {}
    blocks = {4: search_blocks(4), 6: search_blocks(6)}
    segments = plan.segments_by_site
    for site, parsed in zip(index.sites, index.nets, strict=True):
        for net in parsed:
            if net is None:
                continue
            for i, block in enumerate(blocks[net.version]):
                if block.first <= net.first and net.last <= block.last:
                    for segment in segments.get(site.id, ()):
                        usage.setdefault((segment, net.version), Counter())[i] += 1
                    break
    return usage


def preferred_blocks(
    net: Net, segments: Iterable[str], usage: Callable[[], Usage]
) -> Iterator[Net]:
    """Private blocks to search for a free range for ``net``, lazily: RFC 1918 space before
    the shared address space of RFC 6598 (100.64.0.0/10, searched last, whatever holds
    ``net``): the RFC 1918 block holding ``net``, then those the site's ``segments`` use
    (most used first), then the rest (docs/addressing.md).

    ``usage()`` is called only when the fallbacks are needed (rarely).
    """
    blocks = search_blocks(net.version)
    shared = [i for i, b in enumerate(blocks) if b == _RFC6598]
    own = [
        i
        for i, b in enumerate(blocks)
        if b.first <= net.first and net.last <= b.last and i not in shared
    ]
    yield from (blocks[i] for i in own)
    rest = [i for i in range(len(blocks)) if i not in own and i not in shared]
    counts: Counter[int] = Counter()
    found = usage()
    for segment in segments:
        counts.update(found.get((segment, net.version), {}))
    yield from (blocks[i] for i in sorted(rest, key=lambda i: (-counts[i], i)))
    yield from (blocks[i] for i in shared)
