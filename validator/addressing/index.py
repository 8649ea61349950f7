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
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from validator.addressing.parse import Net, parse_net
from validator.model import Line, Origin, Plan, Site

# The schema's loose pattern for addresses (topology.schema.json): a value that does not
# match it is reported by the schema; one that matches but does not parse, by us.
LOOSE = re.compile(r"^[0-9A-Fa-f:.]+/[0-9]{1,3}$")

PEERING_FIELDS = (("site_ip", "exchange_ip"), ("site_ipv6", "exchange_ipv6"))

RANGE, SUBNET = 0, 1

# A sweep entry: (first, prefixlen, last, kind, owner, index)
#   kind RANGE:  owner = site position, index = position in the site's cidrs
#   kind SUBNET: owner = site position, index = position in RangeIndex.subnets
Entry = tuple[int, int, int, int, int, int]


@dataclass(slots=True)
class Endpoint:
    """One written peering address of a line."""

    line_pos: int
    field: str
    text: str
    net: Net


@dataclass(slots=True)
class Subnet:
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
    malformed: list[tuple[Origin, str, str]] = field(default_factory=list)  # at, text, what
    # (earlier, later) pairs of ranges of two sites that meet, file order
    cross: list[tuple[Entry, Entry]] = field(default_factory=list)
    # (earlier, later) pairs of ranges of one site
    within: list[tuple[Entry, Entry]] = field(default_factory=list)
    # (subnet entry, range entry) pairs where the range's site meets the line's site
    subnet_range: list[tuple[Entry, Entry]] = field(default_factory=list)
    sorted_entries: dict[int, list[Entry]] = field(default_factory=dict)  # by version

    def net(self, entry: Entry) -> Net:
        """The Net of a sweep entry."""
        if entry[3] == RANGE:
            return self.nets[entry[4]][entry[5]]  # type: ignore[return-value]
        return self.subnets[entry[5]].net

    def range_origin(self, entry: Entry) -> Origin:
        """Where the range of ``entry`` is written."""
        return self.sites[entry[4]].origin.child("cidrs", entry[5])


def contained_pairs(entries: Iterable[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """Every (outer, inner) pair of overlapping CIDR blocks in ``entries``.

    ``entries`` must be sorted by (first, prefixlen); blocks of one IP version. Each
    block is contained in every block still open on the stack when it is reached. The
    outer block contains the inner one (identical blocks: the one sorted first is
    outer).
    """
    stack: list[Entry] = []
    pop, push = stack.pop, stack.append
    for entry in entries:
        first = entry[0]
        while stack and stack[-1][2] < first:
            pop()
        for outer in stack:
            yield outer, entry
        push(entry)


def _sort_key(entry: Entry) -> int:
    return (entry[0] << 8) | entry[1]


def _order(entry: Entry) -> tuple[int, int]:
    return entry[4], entry[5]


def build_index(plan: Plan) -> RangeIndex:
    """Parse every range and peering address of ``plan`` once, and sweep for overlaps.

    Returns a :class:`RangeIndex`. O(n log n + k) for n ranges and peering subnets and
    k overlapping pairs reported (one global sort, then one stack sweep per segment;
    a range in s segments is visited s times). Memory O(n + k).
    """
    sites = plan.sites
    nets: list[list[Net | None]] = []
    malformed: list[tuple[Origin, str, str]] = []
    by_version: dict[int, list[Entry]] = {4: [], 6: []}
    v4, v6 = by_version[4].append, by_version[6].append
    loose = LOOSE.match
    for site_pos, site in enumerate(sites):
        parsed = [parse_net(text) if text is not None else None for text in site.cidrs]
        nets.append(parsed)
        for cidr_pos, net in enumerate(parsed):
            if net is None:
                text = site.cidrs[cidr_pos]
                if text is not None and loose(text):
                    malformed.append((site.origin.child("cidrs", cidr_pos), text, "range"))
                continue
            entry = (net[3], net[2], net[4], RANGE, site_pos, cidr_pos)
            (v4 if net[0] == 4 else v6)(entry)

    lines: list[Line] = []
    endpoints: list[list[Endpoint]] = []
    subnets: list[Subnet] = []
    for site_pos, site in enumerate(sites):
        for line in site.lines:
            line_pos = len(lines)
            lines.append(line)
            ends: list[Endpoint] = []
            peering = line.peering
            if peering is not None:
                for pair in PEERING_FIELDS:
                    for name in pair:
                        text = getattr(peering, name)
                        if text is None:
                            continue
                        net = parse_net(text)
                        if net is None:
                            if loose(text):
                                malformed.append((peering.origin.child(name), text, "address"))
                            continue
                        ends.append(Endpoint(line_pos, name, text, net))
            endpoints.append(ends)
            seen: set[tuple[int, int, int]] = set()
            for end in ends:
                key = (end.net.version, end.net.first, end.net.prefixlen)
                if key in seen:
                    continue
                seen.add(key)
                entry = (end.net.first, end.net.prefixlen, end.net.last, SUBNET, site_pos)
                by_version[end.net.version].append((*entry, len(subnets)))
                subnets.append(Subnet(line_pos, end.net, end))

    index = RangeIndex(sites, lines, nets, endpoints, subnets, malformed)
    segments_by_site = plan.segments_by_site
    site_segments = [segments_by_site.get(site.id, ()) for site in sites]
    multi = [len(s) > 1 for s in site_segments]
    for version, entries in by_version.items():
        # An integer key sorts three times faster than the tuples; the sort is stable, so
        # identical blocks stay in input order (ranges by site, then peering subnets).
        entries.sort(key=_sort_key)
        index.sorted_entries[version] = entries
        _sweep_segments(index, entries, site_segments, multi)
    index.cross.sort(key=lambda pair: (_order(pair[1]), _order(pair[0])))
    index.within.sort(key=lambda pair: (_order(pair[1]), _order(pair[0])))
    return index


def _sweep_segments(
    index: RangeIndex, entries: list[Entry], site_segments: list[tuple[str, ...]], multi: list[bool]
) -> None:
    buckets: dict[str, list[Entry]] = {}
    for entry in entries:
        for segment in site_segments[entry[4]]:
            bucket = buckets.get(segment)
            if bucket is None:
                bucket = buckets[segment] = []
            bucket.append(entry)
    cross, subnet_range, within = index.cross, index.subnet_range, index.within
    seen: set[tuple[Entry, Entry]] = set()
    for segment, bucket in buckets.items():
        for outer, inner in contained_pairs(bucket):
            kinds = outer[3] + inner[3]
            if kinds == RANGE + RANGE:
                if outer[4] == inner[4]:
                    # One site (CCV203): every segment of the site sees the pair; keep it
                    # from the site's first segment only.
                    if site_segments[outer[4]][0] == segment:
                        within.append((outer, inner) if outer[5] < inner[5] else (inner, outer))
                    continue
                pair = (outer, inner) if _order(outer) < _order(inner) else (inner, outer)
                target = cross
            elif kinds == RANGE + SUBNET:
                pair = (outer, inner) if outer[3] == SUBNET else (inner, outer)
                target = subnet_range
            else:
                continue  # two peering subnets: whole-plan check (peering_overlaps)
            if multi[outer[4]] and multi[inner[4]]:
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
        copies: dict[Entry, list[Entry]] = {}
        for entry in index.sorted_entries.get(version, []):
            if entry[3] != SUBNET:
                continue
            if firsts and firsts[-1][0] == entry[0] and firsts[-1][1] == entry[1]:
                copies[firsts[-1]].append(entry)
            else:
                firsts.append(entry)
                copies[entry] = []
        pairs = [(first, copy) for first in firsts for copy in copies[first]]
        for outer, inner in contained_pairs(firsts):
            pairs.extend((outer, member) for member in (inner, *copies[inner]))
        for outer, inner in pairs:
            a, b = index.subnets[outer[5]], index.subnets[inner[5]]
            if a.line_pos != b.line_pos:
                found.append((a, b) if a.line_pos < b.line_pos else (b, a))
    return found


class FreeSpace:
    """Finds free blocks: space no range and no peering subnet of the plan uses.

    Suggestions are remembered, so two findings never get the same suggestion.
    """

    def __init__(self, index: RangeIndex) -> None:
        self._used: dict[int, tuple[list[int], list[int]]] = {}
        for version, entries in index.sorted_entries.items():
            starts: list[int] = []
            ends: list[int] = []
            for entry in entries:  # sorted by first: merge into disjoint intervals
                first, last = entry[0], entry[2]
                if ends and first <= ends[-1] + 1:
                    if last > ends[-1]:
                        ends[-1] = last
                else:
                    starts.append(first)
                    ends.append(last)
            self._used[version] = (starts, ends)
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
        extra = ([f for f, _ in spans], [t for _, t in spans])
        if spans:  # merge, so that the interval search stays exact
            merged: list[list[int]] = []
            for first, last in spans:
                if merged and first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            extra = ([f for f, _ in merged], [t for _, t in merged])
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
