"""The range index every addressing and peering rule shares: a pure function of the plan.

Ranges are parsed once; overlaps are found by a sweep, not by comparing all pairs.
CIDR blocks never cross: two blocks are disjoint or one contains the other. Sorted by
(first address, prefix length), each block is contained in exactly the blocks of the
"open" stack when it is reached, so one pass with a stack reports every overlapping
pair in O(n log n + pairs).

Conflicts between sites count only where they meet (share a segment, SPEC §3), so
the sweep runs once per segment over the ranges (and peering subnets) of its members,
from one global sort; a pair of sites that meet in several segments is reported once.
The same sweep yields the overlaps within one site (a site always meets itself).

A site's ``summaries`` (SPEC §12) take part as routes it advertises, except as the
covering side: a summary strictly larger than a range of another site is routing by
longest prefix (``summary_covers``, CCV210), not an overlap; larger than a range of its
own site or than a peering subnet, nothing at all. A summary identical to another site's
range still pairs (CCV202); identical to a range of its own site, it does not (no CCV203:
the route is advertised once either way). Summaries of two sites never pair (two hubs may
advertise one aggregate).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from validator.addressing.parse import Net, parse_net
from validator.model import Line, Origin, Plan, Site

# The schema's loose pattern for addresses (topology.schema.json): a value that does not
# match it is reported by the schema; one that matches but does not parse, by us.
LOOSE = re.compile(r"^[0-9A-Fa-f:.]+/[0-9]{1,3}$")

PEERING_FIELDS = (("site_ip", "exchange_ip"), ("site_ipv6", "exchange_ipv6"))

_PEERING_NAMES = tuple(name for pair in PEERING_FIELDS for name in pair)

RANGE, SUBNET, SUMMARY = 0, 1, 2


class Entry(NamedTuple):
    """A block in the sweep: a site's range or summary, or a line's peering subnet."""

    first: int  # first address, as an integer
    prefixlen: int
    last: int  # last address
    kind: int  # RANGE, SUBNET or SUMMARY
    site: int  # position of the owning site in the plan (of the line's site for SUBNET)
    index: int  # RANGE: position in the site's cidrs; SUBNET: in RangeIndex.subnets;
    # SUMMARY: position in the site's summaries


_entry = tuple.__new__  # _entry(Entry, (...)): an Entry without NamedTuple.__new__'s call


class Malformed(NamedTuple):
    """A range or peering address that looks like CIDR but does not parse (CCV100)."""

    at: Origin
    text: str
    what: str  # "range" or "address"


class RangePair(NamedTuple):
    """Two overlapping ranges, in file order."""

    earlier: Entry
    later: Entry


class SummaryCover(NamedTuple):
    """A summary strictly covering a range of another site that meets the summary's site."""

    summary: Entry
    range: Entry


class SubnetOnRange(NamedTuple):
    """A peering subnet and a range of a site that meets the subnet's line's site."""

    subnet: Entry
    range: Entry


class Endpoint(NamedTuple):
    """One written peering address of a line (a tuple: a plan has hundreds of thousands,
    built with ``tuple.__new__`` in :func:`build_index`)."""

    line_pos: int
    field: str
    text: str
    net: Net


class Subnet(NamedTuple):
    """A peering subnet of a line (the network of one or both of its addresses)."""

    line_pos: int
    net: Net
    endpoint: Endpoint  # the first address naming it: where findings are located


@dataclass
class RangeIndex:
    """Parsed ranges and peering addresses, and the overlapping pairs among them."""

    sites: list[Site]
    lines: list[Line]
    nets: list[list[Net | None]]  # per site, parallel to site.cidrs
    endpoints: list[list[Endpoint]]  # per line, parsed peering addresses
    subnets: list[Subnet]
    malformed: list[Malformed] = field(default_factory=list)
    # overlapping ranges of two sites that meet, file order
    cross: list[RangePair] = field(default_factory=list)
    # overlapping ranges of one site
    within: list[RangePair] = field(default_factory=list)
    # peering subnets on ranges of a site that meets the line's site
    subnet_range: list[SubnetOnRange] = field(default_factory=list)
    # by IP version: the peering subnets' entries, sorted (the ranges' entries are not
    # kept: a million of them weigh about 100 MB), and the space ranges, summaries and
    # subnets use, merged into disjoint intervals (first addresses, last addresses)
    subnet_entries: dict[int, list[Entry]] = field(default_factory=dict)
    used: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)
    summaries: list[Sequence[Net | None]] = field(default_factory=list)  # per site
    # summaries strictly covering a range of another site that meets their site (CCV210)
    summary_covers: list[SummaryCover] = field(default_factory=list)
    # (IP version, first address, prefix length) of every range written more than once
    # (on any sites): moving one of them away adds a distinct prefix
    repeated: set[tuple[int, int, int]] = field(default_factory=set)

    def net(self, entry: Entry) -> Net:
        """The Net of a sweep entry."""
        if entry.kind == RANGE:
            return self.nets[entry.site][entry.index]  # type: ignore[return-value]
        if entry.kind == SUMMARY:
            return self.summaries[entry.site][entry.index]  # type: ignore[return-value]
        return self.subnets[entry.index].net

    def range_origin(self, entry: Entry) -> Origin:
        """Where the range (or summary) of ``entry`` is written."""
        key = "summaries" if entry.kind == SUMMARY else "cidrs"
        return self.sites[entry.site].origin.child(key, entry.index)

    def text(self, entry: Entry) -> str:
        """The range (or summary) of ``entry`` as written."""
        site = self.sites[entry.site]
        values = site.summaries if entry.kind == SUMMARY else site.cidrs
        return values[entry.index] or ""


def contained_pairs(
    entries: Iterable[Entry], apart: int | None = None
) -> Iterator[tuple[Entry, Entry]]:
    """Every (outer, inner) pair of overlapping CIDR blocks in ``entries`` (with
    ``apart``, a kind: except pairs of two entries of that kind).

    ``entries`` must be sorted by (first, prefixlen); blocks of one IP version. Each
    block is contained in every block still open on the stack when it is reached. The
    outer block contains the inner one (identical blocks: the one sorted first is
    outer). O(n + k) for n blocks and k pairs yielded: each block is pushed and popped
    once.
    """
    if apart is not None:
        yield from _pairs_apart(entries, apart)
        return
    stack: list[Entry] = []
    pop, push = stack.pop, stack.append
    for entry in entries:
        first = entry.first
        while stack and stack[-1].last < first:
            pop()
        for outer in stack:
            yield outer, entry
        push(entry)


def _pairs_apart(entries: Iterable[Entry], apart: int) -> Iterator[tuple[Entry, Entry]]:
    """:func:`contained_pairs` without the pairs of two ``apart`` entries, in the same
    order: those wait on a stack of their own, so a block inside ten thousand identical
    peering subnets costs its pairs with the others, not ten thousand steps. A stack
    is a chain of nested blocks, and so is each part of it."""
    mine: list[tuple[int, Entry]] = []  # (push order, entry) of the ``apart`` kind
    rest: list[tuple[int, Entry]] = []
    for order, entry in enumerate(entries):
        first = entry.first
        while mine and mine[-1][1].last < first:
            mine.pop()
        while rest and rest[-1][1].last < first:
            rest.pop()
        if entry.kind == apart:
            for _, outer in rest:
                yield outer, entry
            mine.append((order, entry))
            continue
        i = j = 0  # both stacks, merged back into push order
        while i < len(mine) or j < len(rest):
            if j >= len(rest) or (i < len(mine) and mine[i][0] < rest[j][0]):
                yield mine[i][1], entry
                i += 1
            else:
                yield rest[j][1], entry
                j += 1
        rest.append((order, entry))


def merged_intervals(firsts: list[int], lasts: list[int]) -> tuple[list[int], list[int]]:
    """The addresses of blocks ``firsts[i]``..``lasts[i]`` (sorted by first address) as
    disjoint intervals: (first addresses, last addresses), adjacent blocks merged. O(n).
    """
    starts: list[int] = []
    ends: list[int] = []
    top = 0  # the last address of the interval being merged
    for first, last in zip(firsts, lasts, strict=True):
        if starts and first <= top + 1:
            if last > top:
                top = last
        else:
            if starts:
                ends.append(top)
            starts.append(first)
            top = last
    if starts:
        ends.append(top)
    return starts, ends


_FIRST, _PREFIXLEN = itemgetter(0), itemgetter(1)  # Entry.first, Entry.prefixlen
_NET_PREFIXLEN, _NET_FIRST, _NET_LAST = itemgetter(2), itemgetter(3), itemgetter(4)  # of a Net


def _order(entry: Entry) -> tuple[int, bool, int]:
    return entry.site, entry.kind == SUMMARY, entry.index


def _repeated(nets: list[Net]) -> set[tuple[int, int, int]]:
    """The (version, first, prefixlen) keys held more than once by ``nets``, sorted by
    (first, prefixlen) (of one IP version). O(n), no key object per net."""
    found = set()
    previous = None
    for net in nets:
        if previous is not None and net[3] == previous[3] and net[2] == previous[2]:
            found.add((net[0], net[3], net[2]))
        previous = net
    return found


def _overlapping(blocks: list[Net]) -> set[int]:
    """The ``id()`` of every block of ``blocks`` (sorted by first address, one IP version)
    that overlaps another block of the list. O(n): a block overlaps an earlier one
    exactly when it starts before the furthest last address so far (CIDR blocks nest);
    the block that reaches furthest then overlaps it too."""
    found: set[int] = set()
    reach = -1
    furthest = None  # the block whose last address is ``reach``
    for block in blocks:
        if block[3] <= reach:
            found.add(id(block))
            found.add(id(furthest))
        if block[4] > reach:
            reach, furthest = block[4], block
    return found


def build_index(plan: Plan) -> RangeIndex:
    """Parse every range and peering address of ``plan`` once, and sweep for overlaps.

    Returns a :class:`RangeIndex`. O(n log n + k) for n ranges, summaries and peering
    subnets and k overlapping pairs reported (one global sort finds the blocks that
    overlap some other block; one stack sweep per segment over its members' such blocks,
    sorted; a range in s segments is visited s times). Memory O(n + k): the sweep's
    entries exist for one segment at a time.
    """
    sites = plan.sites
    nets: list[list[Net | None]] = []
    malformed: list[Malformed] = []
    loose = LOOSE.match
    for site in sites:
        cidrs = site.cidrs
        # map() when every entry is a string (the model keeps None for any other value)
        parsed = (
            list(map(parse_net, cidrs))
            if None not in cidrs
            else [parse_net(text) if text is not None else None for text in cidrs]
        )
        nets.append(parsed)
        if None in parsed:
            for cidr_pos, net in enumerate(parsed):
                text = site.cidrs[cidr_pos]
                if net is None and text is not None and loose(text):
                    malformed.append(Malformed(site.origin.child("cidrs", cidr_pos), text, "range"))
    summaries: list[Sequence[Net | None]] = []
    for site in sites:
        if not site.summaries:
            summaries.append(())
            continue
        parsed = [parse_net(text) if text is not None else None for text in site.summaries]
        summaries.append(parsed)
        for position, net in enumerate(parsed):
            text = site.summaries[position]
            if net is None and text is not None and loose(text):
                malformed.append(Malformed(site.origin.child("summaries", position), text, "range"))

    lines: list[Line] = []
    endpoints: list[list[Endpoint]] = []
    subnets: list[Subnet] = []
    by_version: dict[int, list[Entry]] = {4: [], 6: []}  # the peering subnets' entries
    site_subnets: dict[int, dict[int, list[Entry]]] = {4: {}, 6: {}}  # version, site
    for site_pos, site in enumerate(sites):
        for line in site.lines:
            line_pos = len(lines)
            lines.append(line)
            ends: list[Endpoint] = []
            peering = line.peering
            if peering is not None:
                for name in _PEERING_NAMES:
                    text = getattr(peering, name)
                    if text is None:
                        continue
                    net = parse_net(text)
                    if net is None:
                        if loose(text):
                            malformed.append(Malformed(peering.origin.child(name), text, "address"))
                        continue
                    ends.append(_entry(Endpoint, (line_pos, name, text, net)))
            endpoints.append(ends)
            seen: list[tuple[int, int, int]] = []  # at most four ends: a list is cheaper
            for end in ends:
                net = end.net
                key = (net.version, net.first, net.prefixlen)
                if key in seen:
                    continue
                seen.append(key)
                entry = _entry(
                    Entry, (net.first, net.prefixlen, net.last, SUBNET, site_pos, len(subnets))
                )
                by_version[net.version].append(entry)
                site_subnets[net.version].setdefault(site_pos, []).append(entry)
                subnets.append(_entry(Subnet, (line_pos, net, end)))

    index = RangeIndex(sites, lines, nets, endpoints, subnets, malformed)
    index.summaries = summaries
    hot: set[int] = set()  # id() of the blocks that overlap another block
    for version, entries in by_version.items():
        # By (first, prefixlen) in two stable passes keyed on ints the entries hold (no
        # key object per entry); identical subnets stay in input order.
        entries.sort(key=_PREFIXLEN)
        entries.sort(key=_FIRST)
        index.subnet_entries[version] = entries
        blocks = [n for parsed in nets for n in parsed if n is not None and n[0] == version]
        blocks.sort(key=_NET_PREFIXLEN)
        blocks.sort(key=_NET_FIRST)
        index.repeated |= _repeated(blocks)
        blocks += [n for parsed in summaries for n in parsed if n is not None and n[0] == version]
        blocks += [s.net for s in subnets if s.net[0] == version]
        blocks.sort(key=_NET_PREFIXLEN)
        blocks.sort(key=_NET_FIRST)
        index.used[version] = merged_intervals(
            list(map(_NET_FIRST, blocks)), list(map(_NET_LAST, blocks))
        )
        hot |= _overlapping(blocks)
    del blocks
    # Only blocks that overlap some other block of the plan can pair in a segment: the
    # segments' sweeps look at those alone (a few in a hundred in an ordinary plan).
    hot_sites = {
        site_pos
        for site_pos in range(len(sites))
        if not hot.isdisjoint(map(id, nets[site_pos]))
        or not hot.isdisjoint(map(id, summaries[site_pos]))
    }
    for by_site in site_subnets.values():
        for site_pos, found in by_site.items():
            for entry in found:
                if id(subnets[entry[5]].net) in hot:
                    hot_sites.add(site_pos)
                    break
    segments_by_site = plan.segments_by_site
    site_segments = [segments_by_site.get(site.id, ()) for site in sites]
    members: dict[str, list[int]] = {}
    for site_pos, segment_ids in enumerate(site_segments):
        for segment in segment_ids:
            members.setdefault(segment, []).append(site_pos)
    multi = [len(s) > 1 for s in site_segments]
    seen_pairs: set = set()
    for segment, every in members.items():
        positions = [site_pos for site_pos in every if site_pos in hot_sites]
        for version in (4, 6):
            # The segment's overlapping ranges, summaries and peering subnets in input
            # order (as the plan lists them: ranges by site, summaries by site, subnets),
            # then sorted by (first, prefixlen) in two stable passes: identical blocks keep
            # that order. (Leaving out blocks that overlap nothing changes no pair.)
            bucket = [
                _entry(Entry, (n[3], n[2], n[4], RANGE, site_pos, i))
                for site_pos in positions
                for i, n in enumerate(nets[site_pos])
                if n is not None and n[0] == version and id(n) in hot
            ]
            bucket += [
                _entry(Entry, (n[3], n[2], n[4], SUMMARY, site_pos, i))
                for site_pos in positions
                for i, n in enumerate(summaries[site_pos])
                if n is not None and n[0] == version and id(n) in hot
            ]
            found = site_subnets[version]
            for site_pos in positions:
                bucket += (e for e in found.get(site_pos, ()) if id(subnets[e[5]].net) in hot)
            if len(bucket) > 1:
                bucket.sort(key=_PREFIXLEN)
                bucket.sort(key=_FIRST)
                _sweep_segment(index, segment, bucket, site_segments, multi, seen_pairs)
    index.cross.sort(key=lambda pair: (_order(pair.later), _order(pair.earlier)))
    index.within.sort(key=lambda pair: (_order(pair.later), _order(pair.earlier)))
    index.summary_covers.sort(key=lambda pair: (_order(pair.summary), _order(pair.range)))
    return index


def _sweep_segment(
    index: RangeIndex,
    segment: str,
    bucket: list[Entry],
    site_segments: list[tuple[str, ...]],
    multi: list[bool],
    seen: set,
) -> None:
    cross, subnet_range, within = index.cross, index.subnet_range, index.within
    covers = index.summary_covers
    # two peering subnets are the whole-plan check's (peering_overlaps): not even listed
    for outer, inner in contained_pairs(bucket, apart=SUBNET):
        k_outer, k_inner = outer.kind, inner.kind
        # A summary that strictly covers the other side takes part in nothing but
        # CCV210 (SPEC §12); identical blocks still pair.
        covering = k_outer == SUMMARY and outer.prefixlen < inner.prefixlen
        pair: RangePair | SubnetOnRange | SummaryCover
        if SUBNET in (k_outer, k_inner):
            if covering:
                continue
            pair = SubnetOnRange(outer, inner) if k_outer == SUBNET else SubnetOnRange(inner, outer)
            target: list = subnet_range
        elif outer.site == inner.site:
            # One site (CCV203): every segment of the site sees the pair; keep it
            # from the site's first segment only.
            # A summary identical to an own range adds nothing, but is no self-overlap
            # either (SPEC §12: a summary is never the covering side).
            # Two equal summaries are still a repeat.
            same_as_range = k_outer != k_inner and outer.prefixlen == inner.prefixlen
            if not (covering or same_as_range) and site_segments[outer.site][0] == segment:
                within.append(
                    RangePair(outer, inner)
                    if _order(outer) < _order(inner)
                    else RangePair(inner, outer)
                )
            continue
        elif k_outer == SUMMARY and k_inner == SUMMARY:
            continue  # summaries of two sites (two hubs' 10/8): routing, nothing to say
        elif covering:
            pair = SummaryCover(outer, inner)
            target = covers
        else:
            pair = (
                RangePair(outer, inner)
                if _order(outer) < _order(inner)
                else RangePair(inner, outer)
            )
            target = cross
        if multi[outer.site] and multi[inner.site]:
            if pair in seen:
                continue
            seen.add(pair)
        target.append(pair)


def peering_overlaps(index: RangeIndex) -> list[tuple[Subnet, Subnet]]:
    """Overlapping peering subnets of two different lines, whole plan: every nested
    pair, except that identical subnets are paired with the first of them only.

    O(n + k) over the index's sorted entries (n peering subnets, k pairs): each copy of
    a subnet pairs with its first use only, so k copies give k - 1 pairs.
    """
    found = []
    for version in (4, 6):
        # Identical subnets (copied from line to line) pair with the first of them
        # only, and only that first one takes part in the sweep: linear in the copies.
        firsts: list[Entry] = []
        copies: dict[int, tuple[Entry, list[Entry]]] = {}  # id(first) -> (first, copies)
        last = None
        for entry in index.subnet_entries.get(version, []):
            if last is not None and last[0] == entry[0] and last[1] == entry[1]:
                copies.setdefault(id(last), (last, []))[1].append(entry)
            else:
                firsts.append(entry)
                last = entry
        pairs = [(first, copy) for first, found in copies.values() for copy in found]
        for outer, inner in contained_pairs(firsts):
            pairs.append((outer, inner))
            if id(inner) in copies:
                pairs.extend((outer, copy) for copy in copies[id(inner)][1])
        for outer, inner in pairs:
            a, b = index.subnets[outer.index], index.subnets[inner.index]
            if a.line_pos != b.line_pos:
                found.append((a, b) if a.line_pos < b.line_pos else (b, a))
    return found


class FreeSpace:
    """Finds free blocks: space no range and no peering subnet of the plan uses.

    Suggestions are remembered, so two findings never get the same suggestion.
    """

    def __init__(self, index: RangeIndex) -> None:
        self._used = index.used  # read only
        self._taken: dict[int, tuple[list[int], list[int]]] = {4: ([], []), 6: ([], [])}
        self._cursor: dict[tuple[int, int, int], int] = {}

    @staticmethod
    def _collision(space: tuple[list[int], list[int]], first: int, last: int) -> int | None:
        starts, ends = space
        i = bisect.bisect_left(ends, first)
        if i < len(ends) and starts[i] <= last:
            return ends[i]
        return None

    def is_free(self, version: int, first: int, last: int) -> bool:
        """True when no range, no peering subnet and no suggestion touches first..last."""
        if last < first:
            return True
        used = self._used.get(version, ([], []))
        return (
            self._collision(used, first, last) is None
            and self._collision(self._taken[version], first, last) is None
        )

    def reserve(self, version: int, first: int, last: int) -> None:
        """Hand out first..last (a suggestion made outside :meth:`suggest`)."""
        taken = self._taken[version]
        i = bisect.bisect_left(taken[0], first)
        taken[0].insert(i, first)
        taken[1].insert(i, last)

    def suggest(
        self,
        version: int,
        block: Net,
        prefixlen: int,
        accept: Callable[[Net], bool] | None = None,
        avoid: Iterable[Net] = (),
        tries: int = 64,
    ) -> Net | None:
        """The lowest free block of ``prefixlen`` inside ``block`` (and reserve it).

        ``avoid``: further space the block must not touch (a cloud's reserved ranges).
        ``accept``: the final word on a free candidate (the rules' own checks); after
        ``tries`` refused candidates the search of this block gives up.
        """
        bits = 32 if version == 4 else 128
        if prefixlen < block.prefixlen or prefixlen > bits:
            return None
        size = 1 << (bits - prefixlen)
        spans = sorted((a.first, a.last) for a in avoid if a.version == version)
        # merged, so that the interval search stays exact
        extra = merged_intervals([f for f, _ in spans], [t for _, t in spans])
        key = (version, block.first, prefixlen)
        # Everything before the cursor collides with the plan or an earlier suggestion,
        # whatever ``accept`` and ``avoid`` say: later searches start there (no rescans).
        candidate = self._cursor.get(key, block.first)
        settled = True
        used, taken = self._used.get(version, ([], [])), self._taken[version]
        while candidate + size - 1 <= block.last:
            last = candidate + size - 1
            hit = self._collision(used, candidate, last)
            if hit is None:
                hit = self._collision(taken, candidate, last)
            if hit is not None:
                candidate = ((hit + 1 + size - 1) // size) * size  # next aligned block after
                if settled:
                    self._cursor[key] = candidate
                continue
            settled = False
            hit = self._collision(extra, candidate, last)
            if hit is not None:
                candidate = ((hit + 1 + size - 1) // size) * size
                continue
            found = Net(version, candidate, prefixlen, candidate, last)
            if accept is not None and not accept(found):
                tries -= 1
                if tries <= 0:
                    return None
                candidate += size
                continue
            if self._cursor.get(key, block.first) == candidate:
                self._cursor[key] = candidate + size
            i = bisect.bisect_left(taken[0], candidate)
            taken[0].insert(i, candidate)
            taken[1].insert(i, last)
            return found
        return None
