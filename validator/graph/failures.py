"""Single-failure analysis of required site pairs, group by group, without enumerating pairs.

A *requirement group* is a set of sites that must all reach each other: a segment when
no flows are declared (every pair of members is required), or the two ends of a
declared flow. For each group the analysis finds, per site:

* whether it reaches every other member (some POP of each in one backbone component);
* the bridges whose failure separates it from some member (backbone protection);
* the POPs whose failure separates it from some member that has no line on that POP
  (POP diversity; the site's own POPs count, the member's do not);
* per failing transit element (a bridge, or a POP on which neither end has a line),
  the sites it cuts apart (CCV504/CCV505).

How: in the bridge tree and the block-cut tree (see :mod:`validator.graph.forest`),
only elements on the Steiner subtree of the group's POPs can separate two members.
For each such element, every member's POPs are mapped to pieces (O(log) each), and a
member fails when another eligible member occupies only pieces it does not touch —
decided with per-piece counts, not pair by pair. Members that straddle several pieces
of one element (rare: a site with lines on both sides of a cut POP) and members with
POPs in several backbone components are compared explicitly.

When every member sits on one node of the tree (one 2-edge-connected component, one
block or cut POP: the usual site), the group's failures are not listed per site: every
element on the Steiner subtree except a member's own node at a leaf cuts every member,
so the subtree is compressed to its *virtual tree* (the members' nodes and their
lowest common ancestors) and each stretch between two virtual nodes is one split with
two pieces, shared by all its elements. A site's failures (:class:`SiteFails`) are then
the splits and paths of its groups, listed only when a rule asks; the per-element
records (:class:`Cut`) keep counts and the first :data:`NAMED` sites and flows.

Cost per group: O(|T_g| + k_g log k_g) when each member sits on one node, where T_g is
the Steiner subtree and k_g the number of members; otherwise O(E_g · Σ|POPs of members|
· log d) (E_g: bridges and cut POPs on T_g). Two-site groups (declared flows) walk their
tree path once, O(path). Memory: O(|T_g| + k_g) per group, not O(members × |T_g|).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from validator.graph.backbone import Backbone
from validator.graph.forest import Forest

NAMED = 8
"""How many sites (and flows) a :class:`Cut` keeps by name, smallest first; the rest are
counted. The CCV504/CCV505 findings name these."""


class Smallest:
    """The ``limit`` smallest distinct strings added so far, sorted. O(limit) per add."""

    __slots__ = ("items", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: list[str] = []

    def add(self, item: str) -> None:
        """Keep ``item`` when it is among the ``limit`` smallest (once)."""
        items = self.items
        if len(items) >= self.limit and item >= items[-1]:
            return
        at = bisect_left(items, item)
        if at < len(items) and items[at] == item:
            return
        items.insert(at, item)
        if len(items) > self.limit:
            items.pop()

    def update(self, items: Iterable[str]) -> None:
        """:meth:`add` each of ``items``."""
        for item in items:
            self.add(item)

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Piece(NamedTuple):
    """Sites a failure leaves together: how many, and the first :data:`NAMED` of them."""

    count: int
    first: list[str]


@dataclass(slots=True)
class Group:
    """Sites that must reach each other pairwise; ``flows`` names them when declared."""

    label: str
    members: list[str]
    flows: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cut:
    """A transit element whose single failure cuts required pairs apart.

    ``sites``: the first :data:`NAMED` cut-off sites (sorted); ``flows``: the first
    :data:`NAMED` cut flows, ``flow_count`` of them in all; ``pieces``: per group
    without declared flows, the pieces its cut-off sites fall into.
    """

    kind: str  # "link" or "pop"
    element: str
    sites: Smallest = field(default_factory=lambda: Smallest(NAMED))
    flows: Smallest = field(default_factory=lambda: Smallest(NAMED))
    flow_count: int = 0
    pieces: list[tuple[str, list[Piece]]] = field(default_factory=list)  # (group, pieces)


class SiteFails:
    """Per site: the elements (link ids, or POPs) whose failure cuts it off from a peer,
    each with one such peer — kept as the splits of its groups, listed on demand.

    ``get(site)`` lists them as ``{element: peer}`` (O(number of elements)); ``has(site)``
    says whether there is any (O(1)). When several groups cut a site by one element, the
    peer named is the first group's.
    """

    def __init__(self) -> None:
        self._sources: dict[str, list] = {}

    def put(self, site: str, element: str, peer: str) -> None:
        """Record one element and peer explicitly (kept unless already recorded)."""
        sources = self._sources.setdefault(site, [])
        if not sources or not isinstance(sources[-1], dict):
            sources.append({})
        sources[-1].setdefault(element, peer)

    def add(self, site: str, source: _Source) -> None:
        """Record every element of ``source`` (a non-empty split or path) for ``site``."""
        self._sources.setdefault(site, []).append(source)

    def has(self, site: str) -> bool:
        """True when some single failure cuts ``site`` off."""
        return bool(self._sources.get(site))

    def get(self, site: str, default: dict[str, str] | None = None) -> dict[str, str] | None:
        """``{element: peer}`` for ``site``, or ``default`` when it has none."""
        sources = self._sources.get(site)
        if not sources:
            return default
        found: dict[str, str] = {}
        for source in sources:
            pairs = source.items() if isinstance(source, dict) else source.pairs(site)
            for element, peer in pairs:
                found.setdefault(element, peer)
        return found

    def __contains__(self, site: object) -> bool:
        return bool(self._sources.get(site))  # type: ignore[arg-type]


@dataclass
class Failures:
    """Result of :func:`analyse_groups`."""

    unreachable: dict[str, str] = field(default_factory=dict)  # site -> a peer it cannot reach
    disconnected: list[tuple[Group, list[list[str]]]] = field(default_factory=list)
    link_fail: SiteFails = field(default_factory=SiteFails)  # site -> link -> peer
    pop_fail: SiteFails = field(default_factory=SiteFails)  # site -> POP -> peer
    cuts: dict[tuple[str, str], Cut] = field(default_factory=dict)  # by (kind, element)

    def cut(self, kind: str, element: str) -> Cut:
        """The Cut record of ``element``, created on first use."""
        key = (kind, element)
        record = self.cuts.get(key)
        if record is None:
            record = self.cuts[key] = Cut(kind, element)
        return record


def analyse_groups(
    bb: Backbone, site_pops: dict[str, frozenset[str]], groups: Iterable[Group]
) -> Failures:
    """Single-failure analysis of every group (see the module docstring for the method).

    Returns the :class:`Failures` of all groups together. Cost: the sum over groups of
    O(|T_g| + k_g log k_g) when each member sits on one node of each tree, else
    O(E_g · Σ|POPs of members| · log d) (module docstring).
    """
    result = Failures()
    groups = list(groups)
    members = {s for group in groups for s in group.members}
    comps = {s: frozenset(bb.component[p] for p in site_pops[s]) for s in members}
    for group in groups:
        _analyse_group(bb, site_pops, comps, group, result)
    return result


def _analyse_group(bb, site_pops, comps, group: Group, out: Failures) -> None:
    members = sorted(set(group.members))
    if len(members) < 2:
        return
    by_comp: dict[int, list[str]] = {}
    for s in members:
        for k in comps[s]:
            by_comp.setdefault(k, []).append(s)
    # Reachability: a site reaches every member sharing a component with it.
    failing = []
    for s in members:
        reached = (
            len(by_comp[next(iter(comps[s]))])
            if len(comps[s]) == 1
            else len({t for k in comps[s] for t in by_comp[k]})
        )
        if reached < len(members):
            failing.append(s)
            witness = next(t for t in members if not comps[s] & comps[t])
            out.unreachable.setdefault(s, witness)
    if failing:
        out.disconnected.append((group, [sorted(v) for _, v in sorted(by_comp.items())]))
    for k, part in sorted(by_comp.items()):
        if len(part) < 2:
            continue
        local = {s: frozenset(p for p in site_pops[s] if bb.component[p] == k) for s in part}
        multi_comp = {s for s in part if len(comps[s]) > 1}
        _elements(bb, bb.bridge_forest, bb.ecc, "link", local, multi_comp, comps, group, out)
        _elements(bb, bb.bc_forest, bb.bc, "pop", local, multi_comp, comps, group, out)
        # A site with several components but one POP in this one loses it with that POP.
        for s in sorted(multi_comp):
            if len(local[s]) != 1:
                continue
            (p,) = local[s]
            for t in part:
                if t != s and len(comps[s] & comps[t]) == 1 and p not in local[t]:
                    out.pop_fail.put(s, p, t)
                    break


def _elements(
    bb: Backbone,
    forest: Forest,
    node_of: dict[str, tuple],
    kind: str,
    local: dict[str, frozenset[str]],
    multi_comp: set[str],
    comps: dict[str, frozenset[int]],
    group: Group,
    out: Failures,
) -> None:
    nodes = {s: frozenset(node_of[p] for p in pops) for s, pops in local.items()}
    ordered = sorted(nodes)
    if not multi_comp and all(len(ns) == 1 for ns in nodes.values()):
        if len(ordered) == 2:
            _two_ends(forest, kind, ordered, nodes, group, out)
        else:
            _one_node_each(forest, kind, ordered, nodes, group, out)
        return
    every = {n for ns in nodes.values() for n in ns}
    table = out.link_fail if kind == "link" else out.pop_fail
    for element in forest.steiner_elements(every):
        name = forest.elements[element]
        pieces: dict[str, frozenset] = {}
        on_element: dict[str, bool] = {}
        for s, ns in nodes.items():
            on_element[s] = element in ns
            pieces[s] = frozenset(forest.piece(n, element) for n in ns if n != element)
        distinct = {p for ps in pieces.values() for p in ps}
        if len(distinct) < 2:
            continue
        # Eligible peers: not on the element (a failing POP that is the peer's own is
        # excluded; bridges are never a site's own).
        single: Counter = Counter()
        first: dict = {}  # piece -> smallest eligible site wholly in it
        straddling: list[str] = []
        for s in ordered:
            if on_element[s]:
                continue
            if len(pieces[s]) == 1:
                (piece,) = pieces[s]
                single[piece] += 1
                first.setdefault(piece, s)
            else:
                straddling.append(s)
        total_single = sum(single.values())
        cut_sites: list[str] = []
        for s in ordered:
            mine = pieces[s]
            witness = None
            if s in multi_comp:
                witness = _explicit_witness(s, ordered, pieces, on_element, comps)
            elif total_single - sum(single[p] for p in mine) > 0:
                witness = min(t for piece, t in first.items() if piece not in mine)
            else:
                witness = next((t for t in straddling if t != s and not pieces[t] & mine), None)
            if witness is None:
                continue
            table.put(s, name, witness)
            if not on_element[s]:
                cut_sites.append(s)
        if cut_sites:
            record = out.cut(kind, name)
            record.sites.update(cut_sites)
            if group.flows:
                record.flows.update(group.flows)
                record.flow_count += len(group.flows)
            else:
                record.pieces.append((group.label, _describe_pieces(cut_sites, pieces)))


class _Path:
    """The elements strictly between two nodes of a forest, each cutting one site off
    from the other end (``peer``): a :class:`SiteFails` source."""

    __slots__ = ("forest", "a", "b", "peer")

    def __init__(self, forest: Forest, a, b, peer: str) -> None:
        self.forest, self.a, self.b, self.peer = forest, a, b, peer

    def pairs(self, site: str) -> Iterator[tuple[str, str]]:
        names, a, b = self.forest.elements, self.a, self.b
        for element in self.forest.path_elements(a, b):
            if element != a and element != b:
                yield names[element], self.peer


def _two_ends(forest: Forest, kind: str, ends: list[str], nodes, group: Group, out) -> None:
    """The common case of :func:`_elements`: two sites, each on one node of the forest.

    Every element strictly between the two nodes separates them; an element that is
    one end's own node separates nothing (the other end is whole). Same records as the
    general loop, in O(length of the tree path); each end keeps the path, not a list.
    """
    a, b = ends
    (node_a,) = nodes[a]
    (node_b,) = nodes[b]
    cuts, flows, names = out.cuts, group.flows, forest.elements
    found = False
    for element in forest.path_elements(node_a, node_b):
        if element in (node_a, node_b):
            continue
        found = True
        name = names[element]
        record = cuts.get((kind, name))
        if record is None:
            record = cuts[(kind, name)] = Cut(kind, name)
        record.sites.add(a)
        record.sites.add(b)
        if flows:
            record.flows.update(flows)
            record.flow_count += len(flows)
        else:
            record.pieces.append((group.label, [Piece(1, [a]), Piece(1, [b])]))
    if found:
        table = out.link_fail if kind == "link" else out.pop_fail
        table.add(a, _Path(forest, node_a, node_b, b))
        table.add(b, _Path(forest, node_a, node_b, a))


class _Split:
    """Elements of one group that split its members the same way: a :class:`SiteFails`
    source for every member (each element cuts every member off from someone).

    ``below``: the virtual node whose subtree is one piece (a stretch of the tree), or
    None for a split at the element node ``at`` itself. The peer named for a site is the
    smallest member outside its piece (``smallest``, or ``second`` for sites in the
    piece of ``smallest``).
    """

    __slots__ = ("forest", "names", "below", "at", "node_of", "smallest", "second", "home")

    def __init__(self, forest, names, below, at, node_of, smallest, second) -> None:
        self.forest, self.names, self.below, self.at = forest, names, below, at
        self.node_of, self.smallest, self.second = node_of, smallest, second
        self.home = self._piece(node_of[smallest])

    def _piece(self, node):
        if self.below is not None:
            forest = self.forest
            return forest.tin[self.below] <= forest.tin[node] <= forest.tout[self.below]
        return None if node == self.at else self.forest.piece(node, self.at)

    def pairs(self, site: str) -> Iterator[tuple[str, str]]:
        node = self.node_of[site]
        if self.below is None and node == self.at:
            peer = self.smallest
        else:
            peer = self.second if self._piece(node) == self.home else self.smallest
        for name in self.names:
            yield name, peer


class _Splits:
    """Every split of one group and tree: the :class:`SiteFails` source of each member."""

    __slots__ = ("splits",)

    def __init__(self, splits: list[_Split]) -> None:
        self.splits = splits

    def pairs(self, site: str) -> Iterator[tuple[str, str]]:
        for split in self.splits:
            yield from split.pairs(site)


def _one_node_each(forest: Forest, kind: str, ordered: list[str], nodes, group, out) -> None:
    """:func:`_elements` when every member sits on one node: no list per site.

    On the Steiner subtree of the members' nodes, an element leaves at least two
    non-empty pieces — so cuts every member off from someone — unless it is a member's
    node at a leaf. The subtree is compressed to its virtual tree (members' nodes and
    their lowest common ancestors, O(k log k) for k nodes, plus the lowest-common-
    ancestor climbs, O(subtree)); the elements strictly inside one of its edges share
    one :class:`_Split` with two pieces (below the edge, the rest), and each virtual node
    that is an element splits into its virtual children and the rest.
    """
    node_of = {s: next(iter(nodes[s])) for s in ordered}
    tin, tout, parent, elements = forest.tin, forest.tout, forest.parent, forest.elements
    on: dict = {}
    for s in ordered:  # sorted, so each node's list is sorted
        on.setdefault(node_of[s], []).append(s)
    marked = sorted(on, key=tin.__getitem__)
    if len(marked) < 2:
        return
    virtual = set(marked)
    for i in range(len(marked) - 1):
        virtual.add(forest.lca(marked[i], marked[i + 1]))
    vlist = sorted(virtual, key=tin.__getitem__)
    vparent: dict = {}
    children: dict = {v: [] for v in vlist}
    stack: list = []
    for v in vlist:
        while stack and not tin[stack[-1]] <= tin[v] <= tout[stack[-1]]:
            stack.pop()
        vparent[v] = stack[-1] if stack else None
        if stack:
            children[stack[-1]].append(v)
        stack.append(v)
    # Members below each virtual node: how many, and the first NAMED.
    count: dict = {}
    first: dict = {}
    for v in reversed(vlist):
        mine = on.get(v, [])
        total = len(mine) + sum(count[c] for c in children[v])
        merged = sorted([*mine[:NAMED], *(s for c in children[v] for s in first[c])])
        count[v], first[v] = total, merged[:NAMED]
    everyone = len(ordered)
    by_tin = sorted(ordered, key=lambda s: tin[node_of[s]])
    tins = [tin[node_of[s]] for s in by_tin]
    outside = _outside_firsts(by_tin, tins, [(tin[v], tout[v]) for v in vlist])
    label, flows = group.label, group.flows
    table = out.link_fail if kind == "link" else out.pop_fail
    splits: list[_Split] = []

    def record(names: list[str], pieces: list[Piece]) -> None:
        pieces.sort(key=lambda p: p.first[0])
        for name in names:
            cut = out.cut(kind, name)
            for piece in pieces:
                cut.sites.update(piece.first)
            if flows:
                cut.flows.update(flows)
                cut.flow_count += len(flows)
            else:
                cut.pieces.append((label, pieces))

    for v in vlist:
        up = vparent[v]
        rest = Piece(everyone - count[v], outside[(tin[v], tout[v])])
        if up is not None:  # the stretch strictly between v and its virtual parent
            names = []
            x = parent[v]
            while x != up:
                if x in elements:
                    names.append(elements[x])
                x = parent[x]
            if names:
                below = Piece(count[v], first[v])
                home_below = tin[v] <= tin[node_of[ordered[0]]] <= tout[v]
                second = (rest if home_below else below).first[0]
                splits.append(_Split(forest, names, v, None, node_of, ordered[0], second))
                record(names, [below, rest])
        if v not in elements:
            continue
        pieces = [Piece(count[c], first[c]) for c in children[v]]
        if rest.count:
            pieces.append(rest)
        if len(pieces) < 2:
            continue  # a member's node at a leaf: the others stay together
        mins = sorted(p.first[0] for p in pieces)
        splits.append(_Split(forest, [elements[v]], None, v, node_of, mins[0], mins[1]))
        record([elements[v]], pieces)
    if splits:
        shared = _Splits(splits)
        for s in ordered:
            table.add(s, shared)


def _outside_firsts(by_tin: list[str], tins: list[int], spans) -> dict:
    """For each (tin, tout) span: the first :data:`NAMED` sites whose node is outside it.

    ``by_tin``: the sites in the order of their nodes' entry times ``tins``. The outside
    of a subtree is a prefix and a suffix of that order; one sweep each way keeps the
    first NAMED of every prefix and suffix asked for. O(k log NAMED + spans · NAMED).
    """
    starts = {span: bisect_left(tins, span[0]) for span in spans}
    ends = {span: bisect_right(tins, span[1]) for span in spans}
    want_prefix = set(starts.values())
    want_suffix = set(ends.values())
    prefix: dict[int, list[str]] = {}
    running = Smallest(NAMED)
    for i in range(len(by_tin) + 1):
        if i in want_prefix:
            prefix[i] = list(running.items)
        if i < len(by_tin):
            running.add(by_tin[i])
    suffix: dict[int, list[str]] = {}
    running = Smallest(NAMED)
    for i in range(len(by_tin), -1, -1):
        if i < len(by_tin):
            running.add(by_tin[i])
        if i in want_suffix:
            suffix[i] = list(running.items)
    return {span: sorted([*prefix[starts[span]], *suffix[ends[span]]])[:NAMED] for span in spans}


def _explicit_witness(s, ordered, pieces, on_element, comps) -> str | None:
    mine = pieces[s]
    for t in ordered:
        if t == s or on_element[t] or pieces[t] & mine:
            continue
        if len(comps[s] & comps[t]) == 1:
            return t
    return None


def _describe_pieces(cut_sites: Sequence[str], pieces: dict[str, frozenset]) -> list[Piece]:
    """Cut-off sites grouped by the pieces they are left in, ordered by their first site."""
    grouped: dict[frozenset, list[str]] = {}
    for s in cut_sites:
        grouped.setdefault(pieces[s], []).append(s)
    return [Piece(len(v), v[:NAMED]) for v in sorted(sorted(v) for v in grouped.values())]


_Source = dict | _Path | _Splits
