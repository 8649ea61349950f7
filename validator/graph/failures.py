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

Cost per group: O(E_g · Σ|POPs of members| · log d), where E_g is the number of bridges
and cut POPs on the group's Steiner subtree — near-linear in the size of the plan when
the backbone has few single points of failure, which a well-designed backbone has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from validator.graph.backbone import Backbone
from validator.graph.forest import Forest


@dataclass(slots=True)
class Group:
    """Sites that must reach each other pairwise; ``flows`` names them when declared."""

    label: str
    members: list[str]
    flows: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Cut:
    """A transit element whose single failure cuts required pairs apart."""

    kind: str  # "link" or "pop"
    element: str
    sites: set[str] = field(default_factory=set)
    flows: set[str] = field(default_factory=set)
    pieces: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (group, pieces)


@dataclass
class Failures:
    """Result of :func:`analyse_groups`."""

    unreachable: dict[str, str] = field(default_factory=dict)  # site -> a peer it cannot reach
    disconnected: list[tuple[Group, list[list[str]]]] = field(default_factory=list)
    link_fail: dict[str, dict[str, str]] = field(default_factory=dict)  # site -> link -> peer
    pop_fail: dict[str, dict[str, str]] = field(default_factory=dict)  # site -> POP -> peer
    cuts: dict[tuple[str, str], Cut] = field(default_factory=dict)  # by (kind, element)

    def cut(self, kind: str, element: str) -> Cut:
        """The Cut record of ``element``, created on first use."""
        key = (kind, element)
        if key not in self.cuts:
            self.cuts[key] = Cut(kind, element)
        return self.cuts[key]


def analyse_groups(
    bb: Backbone, site_pops: dict[str, frozenset[str]], groups: Iterable[Group]
) -> Failures:
    """Single-failure analysis of every group (see the module docstring for the method).

    Returns the :class:`Failures` of all groups together. Cost: the sum over groups of
    O(E_g · Σ|POPs of members| · log d) (module docstring); linear in the members when
    the backbone has no single point of failure on their paths.
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
                    out.pop_fail.setdefault(s, {}).setdefault(p, t)
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
    every = {n for ns in nodes.values() for n in ns}
    ordered = sorted(nodes)
    if len(ordered) == 2 and not multi_comp and all(len(ns) == 1 for ns in nodes.values()):
        _two_ends(forest, kind, ordered, nodes, group, out)
        return
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
            table = out.link_fail if kind == "link" else out.pop_fail
            table.setdefault(s, {}).setdefault(name, witness)
            if not on_element[s]:
                cut_sites.append(s)
        if cut_sites:
            record = out.cut(kind, name)
            record.sites.update(cut_sites)
            if group.flows:
                record.flows.update(group.flows)
            else:
                record.pieces.append((group.label, _describe_pieces(cut_sites, pieces)))


def _two_ends(forest: Forest, kind: str, ends: list[str], nodes, group: Group, out) -> None:
    """The common case of :func:`_elements`: two sites, each on one node of the forest.

    Every element strictly between the two nodes separates them; an element that is
    one end's own node separates nothing (the other end is whole). Same records as the
    general loop, in O(length of the tree path) instead of O(path · members).
    """
    a, b = ends
    (node_a,) = nodes[a]
    (node_b,) = nodes[b]
    table = out.link_fail if kind == "link" else out.pop_fail
    cuts, flows, names = out.cuts, group.flows, forest.elements
    fail_a = fail_b = None
    for element in forest.path_elements(node_a, node_b):
        if element in (node_a, node_b):
            continue
        name = names[element]
        if fail_a is None:
            fail_a = table.setdefault(a, {})
            fail_b = table.setdefault(b, {})
        fail_a.setdefault(name, b)
        fail_b.setdefault(name, a)  # type: ignore[union-attr]
        record = cuts.get((kind, name))
        if record is None:
            record = cuts[(kind, name)] = Cut(kind, name)
        record.sites.add(a)
        record.sites.add(b)
        if flows:
            record.flows.update(flows)
        else:
            record.pieces.append((group.label, [[a], [b]]))


def _explicit_witness(s, ordered, pieces, on_element, comps) -> str | None:
    mine = pieces[s]
    for t in ordered:
        if t == s or on_element[t] or pieces[t] & mine:
            continue
        if len(comps[s] & comps[t]) == 1:
            return t
    return None


def _describe_pieces(cut_sites: Sequence[str], pieces: dict[str, frozenset]) -> list[list[str]]:
    """Cut-off sites grouped by the pieces they are left in, as sorted lists."""
    grouped: dict[frozenset, list[str]] = {}
    for s in cut_sites:
        grouped.setdefault(pieces[s], []).append(s)
    return sorted(sorted(v) for v in grouped.values())
