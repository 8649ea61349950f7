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
only elements on the Steiner subtree of the group's POPs can separate two members. The
subtree is compressed to its *virtual tree* (the members' nodes and their lowest common
ancestors); the elements strictly inside one of its edges split the members the same
way (below the edge, and the rest), so they share one split, and each virtual node
that is an element splits into its virtual children and the rest. Per split, a member
fails when another eligible member occupies only pieces it does not touch — decided
with per-piece counts, not pair by pair. Members on one node of the tree (the usual
site: one 2-edge-connected component, one block or cut POP) are only counted per
piece, never listed: a site's failures (:class:`SiteFails`) are the splits and paths
of its groups, listed only when a rule asks. A member on several nodes (a site with
lines on two POPs) is counted the same way, located at the lowest common ancestor of
its nodes, at every split its nodes lie on one side of; it is compared one by one only
at the splits its nodes straddle. Members with POPs in several backbone components are
compared one by one. The per-element records (:class:`Cut`) keep counts and the first
:data:`NAMED` sites and flows.

Cost per group: O(|T_g| + k_g log k_g + S_g · d + Σ spans), where T_g is the Steiner
subtree, k_g the members, S_g the splits (at most 2·k_g), d their pieces and a span the
virtual nodes between a several-node member's nodes and their common ancestor:
near-linear when those spans are short (a site on two nearby POPs). Wider spans (past
:data:`LOCAL_SPAN` members across one edge) fall back to comparing every several-node
member at every split. Two-site groups (declared flows) walk their tree path once,
O(path). Memory: O(|T_g| + k_g) per group, not O(members × |T_g|).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from validator.graph.backbone import Backbone
from validator.graph.forest import UP, Forest

NAMED = 8
"""How many sites (and flows) a :class:`Cut` keeps by name, smallest first; the rest are
counted. The CCV504/CCV505 findings name these."""

LISTED = 16
"""How many failing elements of one site :meth:`SiteFails.listed` hands out: a site on a
long chain fails on every link of it, and the SLA advisor and CCV703 need a few names,
not all of them (listing every one, per site, costs sites × chain length)."""


def keep_smallest(items: list[str], new: Iterable[str], limit: int = NAMED) -> None:
    """Add ``new`` to the sorted list ``items``, keeping its ``limit`` smallest distinct
    strings. O(limit) per string."""
    for item in new:
        if len(items) >= limit and item >= items[-1]:
            continue
        at = bisect_left(items, item)
        if at < len(items) and items[at] == item:
            continue
        items.insert(at, item)
        if len(items) > limit:
            items.pop()


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
    sites: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
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

    def iter(self, site: str) -> Iterator[tuple[str, str]]:
        """``(element, peer)`` of ``site``, one per element, lazily, in the analysis' order
        (the peer is the one :meth:`get` gives). O(1) per element, plus the splits that do
        not cut ``site`` off, skipped on the way."""
        seen: set[str] = set()
        for source in self._sources.get(site, ()):
            pairs = source.items() if isinstance(source, dict) else source.pairs(site)
            for element, peer in pairs:
                if element not in seen:
                    seen.add(element)
                    yield element, peer

    def listed(self, site: str, limit: int = LISTED) -> tuple[list[tuple[str, str]], bool]:
        """At most ``limit`` ``(element, peer)`` pairs of ``site``, and whether that is all.

        With ``limit`` or fewer elements, all of them sorted by element (what sorting
        :meth:`get` gives); with more, the first ``limit`` in the analysis' order, so the
        cost is O(limit), not O(elements).
        """
        found = list(islice(self.iter(site), limit + 1))
        if len(found) <= limit:
            return sorted(found), True
        return found[:limit], False

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
    visited: int = 0  # tree nodes and splits the analysis walked: its cost, for budgets

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
    O(|T_g| + k_g log k_g), plus per split the nodes of the members that straddle its
    pieces or several backbone components (module docstring); O(P) when the backbone is
    in one piece with no bridge and no cut POP (a ring, a mesh): no single link or POP
    failure separates two POPs there, so nothing fails.
    """
    result = Failures()
    if not bb.bridges and not bb.cut_pops and len(set(bb.component.values())) <= 1:
        return result
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
    if len(ordered) == 2 and not multi_comp and all(len(ns) == 1 for ns in nodes.values()):
        _two_ends(forest, kind, ordered, nodes, group, out)
    else:
        _splits(forest, kind, ordered, nodes, multi_comp, comps, group, out)


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
    split analysis, in O(length of the tree path); each end keeps the path, not a list.
    """
    a, b = ends
    (node_a,) = nodes[a]
    (node_b,) = nodes[b]
    cuts, flows, names = out.cuts, group.flows, forest.elements
    apart = (group.label, [Piece(1, [a]), Piece(1, [b])])  # shared by every element
    first_flow, flow_count = min(flows, default=""), len(flows)
    found = False
    path = forest.path_elements(node_a, node_b)
    out.visited += len(path) + 1
    for element in path:
        if element in (node_a, node_b):
            continue
        found = True
        name = names[element]
        record = cuts.get((kind, name))
        if record is None:
            record = cuts[(kind, name)] = Cut(kind, name)
        sites = record.sites
        if len(sites) < NAMED or a < sites[-1]:  # a < b: else neither is kept
            keep_smallest(sites, ends)
        if flows:
            named = record.flows
            if len(named) < NAMED or first_flow < named[-1]:
                keep_smallest(named, flows)
            record.flow_count += flow_count
        else:
            record.pieces.append(apart)
    if found:
        table = out.link_fail if kind == "link" else out.pop_fail
        table.add(a, _Path(forest, node_a, node_b, b))
        table.add(b, _Path(forest, node_a, node_b, a))


class _Split:
    """Elements of one group that split its members the same way: how each piece of
    one-node members fares (``outcome``: piece -> the peer it is cut off from, or None).

    ``below``: the virtual node whose subtree is one piece (a stretch of the tree; pieces
    True and False), or None for a split at the element node ``at`` itself (pieces: the
    element's children, :data:`~validator.graph.forest.UP`, and None for members on it).
    """

    __slots__ = ("forest", "names", "below", "at", "outcome", "full")

    def __init__(self, forest: Forest, names: list[str], below, at) -> None:
        self.forest, self.names, self.below, self.at = forest, names, below, at
        self.outcome: dict = {}  # piece -> peer; pieces whose members are not cut: absent
        self.full = False  # every piece holding simple members is cut off

    def piece(self, node):
        """The piece of ``node`` under this split's failures."""
        forest = self.forest
        if self.below is not None:
            return forest.tin[self.below] <= forest.tin[node] <= forest.tout[self.below]
        return None if node == self.at else forest.piece(node, self.at)

    def peer(self, node) -> str | None:
        """The peer a member on ``node`` is cut off from (None: it is not cut off)."""
        return self.outcome.get(self.piece(node))


class _Splits:
    """Every split of one group and tree: the :class:`SiteFails` source of its members
    counted per piece (``node_of``: where each is located), except at the splits in
    ``skip[member]``, where the member was checked on its own."""

    __slots__ = ("splits", "node_of", "skip")

    def __init__(self, splits: list[_Split], node_of: dict, skip: dict) -> None:
        self.splits, self.node_of, self.skip = splits, node_of, skip

    def pairs(self, site: str) -> Iterator[tuple[str, str]]:
        node = self.node_of[site]
        skip = self.skip.get(site, ())
        for split in self.splits:
            if split in skip:
                continue  # the member was checked on its own there
            peer = split.peer(node)
            if peer is not None:
                for name in split.names:
                    yield name, peer


def _splits(forest: Forest, kind, ordered, nodes, multi_comp, comps, group, out) -> None:
    """The failures of one group in one tree, split by split.

    Members on one node of the tree (and in one backbone component) are *simple*: they
    are counted per piece, never listed. The Steiner subtree of every member's nodes is
    compressed to its virtual tree (the members' nodes and their lowest common
    ancestors, O(k log k) for k nodes, plus the climbs to the ancestors, O(subtree)).
    The elements strictly inside one of its edges share one split with two pieces (below
    the edge, and the rest); each virtual node that is an element splits into its
    virtual children, the rest, and the members on it. Per split, a piece's simple
    members are cut off from the smallest eligible member wholly in another piece, else
    from the first member straddling pieces that avoids theirs, as in a per-member
    check. Members on several nodes are counted like simple ones, at the common ancestor
    of their nodes, except at the splits their nodes straddle (:func:`_locate_others`),
    where they are checked one by one, as are members in several components.
    O(subtree + splits · pieces + Σ spans · nodes of a member).
    """
    tin, tout, parent, elements = forest.tin, forest.tout, forest.parent, forest.elements
    simple = [s for s in ordered if s not in multi_comp and len(nodes[s]) == 1]
    others = [s for s in ordered if s in multi_comp or len(nodes[s]) != 1]
    node_of = {s: next(iter(nodes[s])) for s in simple}
    on: dict = {}
    for s in simple:  # sorted, so each node's list is sorted
        on.setdefault(node_of[s], []).append(s)
    marked = {*on, *(n for s in others for n in nodes[s])}
    if len(marked) < 2:
        return  # every member on one node: nothing between them
    vlist, vparent, children = forest.virtual_tree(marked)
    at, across, always = _locate_others(forest, others, nodes, multi_comp, vparent, len(vlist))
    located = {member: v for v, members in at.items() for member in members}
    node_of.update(located)
    # Members located below each virtual node: how many, and the first NAMED.
    count: dict = {}
    first: dict = {}
    for v in reversed(vlist):
        mine = sorted([*on.get(v, ()), *at.get(v, ())]) if v in at else on.get(v, [])
        kids = children[v]
        count[v] = len(mine) + sum(count[c] for c in kids)
        first[v] = sorted([*mine[:NAMED], *(s for c in kids for s in first[c])])[:NAMED]
    width = NAMED + max((len(x) for x in across.values()), default=0)
    by_tin = sorted(node_of, key=lambda s: (tin[node_of[s]], s))
    outside = _outside_firsts(by_tin, [tin[node_of[s]] for s in by_tin], vlist, tin, tout, width)
    total = len(node_of)
    table = out.link_fail if kind == "link" else out.pop_fail
    found: list[_Split] = []
    skip: dict[str, set] = {}
    climbed = 0
    checked = 0
    for v in vlist:
        up = vparent[v]
        crossing = across.get(v, [])  # located outside the subtree, with nodes inside
        if crossing:
            gone = set(crossing)
            rest = Piece(
                total - count[v] - len(crossing), [t for t in outside[v] if t not in gone][:NAMED]
            )
        else:
            rest = Piece(total - count[v], outside[v][:NAMED])
        if up is not None:  # the stretch strictly between v and its virtual parent
            names = []
            x = parent[v]
            while x != up:
                climbed += 1
                if x in elements:
                    names.append(elements[x])
                x = parent[x]
            if names:
                pieces = {True: Piece(count[v], first[v]), False: rest}
                split = _Split(forest, names, v, None)
                alone = _merged(always, crossing)
                _decide(split, pieces, [], alone, nodes, multi_comp, comps, kind, group, out)
                _skip(skip, crossing, split)
                checked += len(alone)
                found.append(split)
        if v in elements:
            pieces = {forest.piece(c, v): Piece(count[c], first[c]) for c in children[v]}
            pieces[UP] = rest
            split = _Split(forest, [elements[v]], None, v)
            here = _merged(crossing, at.get(v, []))
            alone = _merged(always, here)
            _decide(split, pieces, on.get(v, []), alone, nodes, multi_comp, comps, kind, group, out)
            _skip(skip, here, split)
            checked += len(alone)
            found.append(split)
    out.visited += len(vlist) + climbed + len(found) + checked
    found = [split for split in found if split.outcome]
    if not found:
        return
    if any(split.full for split in found):
        covered = simple  # some split cuts every simple member off
    else:
        covered = [s for s in simple if any(sp.peer(node_of[s]) for sp in found)]
    if located:  # a member on several nodes: cut off at some split it was counted at
        full = [sp for sp in found if sp.full]
        partial = [sp for sp in found if not sp.full]
        covered = list(covered)
        for s in sorted(located):
            mine = skip.get(s, ())
            if len(full) > sum(sp.full and bool(sp.outcome) for sp in mine) or any(
                sp not in mine and sp.peer(located[s]) for sp in partial
            ):
                covered.append(s)
    shared = _Splits(found, node_of, skip)
    for s in covered:
        table.add(s, shared)


LOCAL_SPAN = 48
"""A member on several nodes of the tree is counted per piece, like a one-node member,
wherever its nodes lie in one piece; it is checked on its own only at the splits its
nodes straddle — when no virtual node has more than this many such members crossing
its edge (and their spans add up to a few times the tree), else at every split."""


def _locate_others(forest, others, nodes, multi_comp, vparent, size):
    """Where members on several nodes (one backbone component) are counted: at the lowest
    common ancestor of their nodes (``at``: virtual node -> members), except across the
    virtual edges their nodes straddle (``across``: virtual node v -> members with nodes
    below v located above it). ``always``: members checked on their own at every split
    (several components, or spans too wide). O(Σ span of each member)."""
    at: dict = {}
    across: dict = {}
    always = [s for s in others if s in multi_comp]
    local = [s for s in others if s not in multi_comp]
    budget = 4 * size + 256
    tin = forest.tin
    for s in local:  # sorted, so every list below is sorted
        mine = sorted(nodes[s], key=tin.__getitem__)
        top = forest.lca(mine[0], mine[-1])
        seen = set()
        for n in mine:
            while n != top and n not in seen:
                seen.add(n)
                n = vparent[n]
        budget -= len(seen)
        if budget < 0:
            return {}, {}, list(others)  # spans too wide: every member on its own
        at.setdefault(top, []).append(s)
        for w in seen:
            across.setdefault(w, []).append(s)
    if any(len(x) > LOCAL_SPAN for x in across.values()):
        return {}, {}, list(others)
    return at, across, always


def _merged(a: list[str], b: list[str]) -> list[str]:
    """Two sorted lists of distinct members as one sorted list."""
    if not a:
        return b
    if not b:
        return a
    return sorted({*a, *b})


def _skip(skip: dict, members: list[str], split) -> None:
    for s in members:
        skip.setdefault(s, set()).add(split)


def _decide(split, pieces, on_element, others, nodes, multi_comp, comps, kind, group, out):
    """Fill ``split.outcome`` (simple members, per piece) and record the other members'
    failures and the split's :class:`Cut` records (see :func:`_splits`)."""
    element = split.at
    pieces = {key: piece for key, piece in pieces.items() if piece.count}
    other_pieces: dict[str, frozenset] = {}
    other_on: dict[str, bool] = {}
    for s in others:
        other_on[s] = element is not None and element in nodes[s]
        other_pieces[s] = frozenset(split.piece(n) for n in nodes[s] if n != element)
    distinct = set(pieces).union(*other_pieces.values())
    if len(distinct) < 2:
        return
    single = {key: piece.count for key, piece in pieces.items()}
    first = {key: piece.first[0] for key, piece in pieces.items()}
    straddling = []
    for s in others:  # sorted
        if other_on[s]:
            continue
        if len(other_pieces[s]) == 1:
            (key,) = other_pieces[s]
            single[key] = single.get(key, 0) + 1
            if key not in first or s < first[key]:
                first[key] = s
        else:
            straddling.append(s)
    total = sum(single.values())
    # pieces by their smallest member: the first entry outside ``mine`` is the smallest
    # member wholly in another piece, found in O(|mine|) (a cut POP with thousands of
    # pieces asked once per piece: a min over all of them each time was quadratic)
    ranked = sorted(((t, key) for key, t in first.items()), key=lambda pair: pair[0])

    def witness(mine: frozenset, me: str | None) -> str | None:
        if total - sum(single.get(key, 0) for key in mine) > 0:
            return next(t for t, key in ranked if key not in mine)
        return next((t for t in straddling if t != me and not other_pieces[t] & mine), None)

    outcome = split.outcome
    for key in pieces:
        if (peer := witness(frozenset((key,)), None)) is not None:
            outcome[key] = peer
    if on_element and (peer := witness(frozenset(), None)) is not None:
        outcome[None] = peer  # members on the failing POP lose it (POP diversity)
    split.full = len(outcome) == len(pieces) + bool(on_element)
    table = out.link_fail if kind == "link" else out.pop_fail
    cut_others: list[str] = []
    for s in others:
        mine = other_pieces[s]
        if s in multi_comp:
            peer = _other_witness(s, mine, pieces, others, other_pieces, other_on, comps)
        else:
            peer = witness(mine, s)
        if peer is None:
            continue
        for name in split.names:
            table.put(s, name, peer)
        if not other_on[s]:
            cut_others.append(s)
    cut = {key: piece for key, piece in pieces.items() if key in outcome}
    if not cut and not cut_others:
        return
    described = None if group.flows else _pieces_of(cut, cut_others, other_pieces)
    for name in split.names:
        record = out.cut(kind, name)
        for piece in cut.values():
            keep_smallest(record.sites, piece.first)
        keep_smallest(record.sites, cut_others)
        if group.flows:
            keep_smallest(record.flows, group.flows)
            record.flow_count += len(group.flows)
        else:
            record.pieces.append((group.label, described))


def _other_witness(s, mine, pieces, others, other_pieces, other_on, comps) -> str | None:
    """The peer a member in several backbone components is cut off from: the smallest
    member not on the element, wholly outside its pieces, sharing exactly one component
    with it (every simple member shares exactly the tree's one)."""
    found = [piece.first[0] for key, piece in pieces.items() if key not in mine]
    for t in others:  # sorted: the first that qualifies is the smallest
        if t == s or other_on[t] or other_pieces[t] & mine:
            continue
        if len(comps[s] & comps[t]) == 1:
            found.append(t)
            break
    return min(found, default=None)


def _pieces_of(cut: dict, cut_others: list[str], other_pieces: dict) -> list[Piece]:
    """The cut-off members grouped by the pieces they are left in, by their first site."""
    grouped: dict[frozenset, tuple[int, list[str]]] = {
        frozenset((key,)): (piece.count, list(piece.first)) for key, piece in cut.items()
    }
    for s in cut_others:
        key = other_pieces[s]
        n, names = grouped.get(key, (0, []))
        grouped[key] = (n + 1, sorted([*names, s])[:NAMED])
    return sorted((Piece(n, names) for n, names in grouped.values()), key=lambda p: p.first[0])


def _outside_firsts(
    by_tin: list[str], tins: list[int], vlist, tin, tout, width: int = NAMED
) -> dict:
    """For each virtual node: the first ``width`` members located outside its subtree.

    ``by_tin``: the members in the order of their nodes' entry times ``tins``. The outside
    of a subtree is a prefix and a suffix of that order; one sweep each way keeps the
    first ``width`` of every prefix and suffix asked for. O(k log width + nodes · width).
    """
    starts = {v: bisect_left(tins, tin[v]) for v in vlist}
    ends = {v: bisect_right(tins, tout[v]) for v in vlist}
    want_prefix = set(starts.values())
    want_suffix = set(ends.values())
    prefix: dict[int, list[str]] = {}
    running: list[str] = []
    for i in range(len(by_tin) + 1):
        if i in want_prefix:
            prefix[i] = list(running)
        if i < len(by_tin):
            keep_smallest(running, (by_tin[i],), width)
    suffix: dict[int, list[str]] = {}
    running = []
    for i in range(len(by_tin), -1, -1):
        if i < len(by_tin):
            keep_smallest(running, (by_tin[i],), width)
        if i in want_suffix:
            suffix[i] = list(running)
    return {v: sorted([*prefix[starts[v]], *suffix[ends[v]]])[:width] for v in vlist}


_Source = dict | _Path | _Splits
