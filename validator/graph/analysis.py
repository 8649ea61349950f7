"""The plan's graph analysis: a pure function of the plan, shared by the CCV5xx–7xx rules.

``analyse_plan(plan)`` returns the :class:`Analysis`: the backbone and its failure
trees, the requirement groups (declared flows, or segments), each site's tier (SPEC §3,
§8), each declared flow's best path, per-direction backbone load and unused objects.
The rules' :class:`validator.rules.context.Context` computes it once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from validator.graph.backbone import BLOCK, Backbone, BLink, Node, build_backbone
from validator.graph.failures import Failures, Group, analyse_groups
from validator.graph.paths import Route, adjacency, best_route, routes_from
from validator.model import Flow, Plan, Site

NONE_TIER = "none"
_NO_POPS: frozenset[str] = frozenset()  # one for every site without lines, not one each


@dataclass(slots=True)
class SiteResult:
    """What the analysis says about one site."""

    site: Site
    pops: frozenset[str]
    tier: str
    has_peer: bool
    access: bool = False
    backbone: bool = False
    diverse: bool = False


@dataclass
class FlowResult:
    """A declared flow: its status and, when analysed, its best route."""

    flow: Flow
    status: str  # "ok", "no-path", "no-line", "crosses"
    route: Route | None = None


class Direction(NamedTuple):
    """A backbone link crossed from one POP to the other."""

    link: str
    source: str  # the POP the traffic enters by
    target: str


@dataclass
class Analysis:
    """Everything the graph-stage rules and the report summaries need."""

    plan: Plan
    backbone: Backbone
    site_pops: dict[str, frozenset[str]]
    groups: list[Group]
    declared: bool  # True when flows are declared (they replace the implied pairs)
    failures: Failures
    sites: dict[str, SiteResult]
    flows: list[FlowResult]
    load: dict[Direction, float] = field(default_factory=dict)  # Mbit/s of declared flows
    load_flows: dict[Direction, list[str]] = field(default_factory=dict)  # their names
    used_pops: set[str] = field(default_factory=set)
    used_links: set[str] = field(default_factory=set)


def backbone_of(plan: Plan, extra: tuple[BLink, ...] = ()) -> Backbone:
    """The plan's backbone (plus ``extra`` links, for what-if checks). O(P + L)
    plus :func:`~validator.graph.backbone.build_backbone`'s sorting, O((P + L) log (P + L))."""
    links = [BLink(k.id, k.a, k.b, k.latency_ms, k.capacity_mbps) for k in plan.links]
    return build_backbone((p.id for p in plan.pops), [*links, *extra])


def site_pops_of(plan: Plan) -> dict[str, frozenset[str]]:
    """POPs of every site that has lines (sites without lines are left out, SPEC §8).
    O(S + lines)."""
    return {
        s.id: frozenset(line.pop for line in s.lines if line.pop)
        for s in plan.sites
        if any(line.pop for line in s.lines)
    }


def flow_status(plan: Plan, site_pops: dict[str, frozenset[str]], flow: Flow) -> str:
    """``no-line`` (an end has no line), ``crosses`` (no shared segment) or ``ok``."""
    if flow.source not in site_pops or flow.target not in site_pops:
        return "no-line"
    if not plan.sites_meet(flow.source, flow.target):
        return "crosses"
    return "ok"


def requirement_groups(plan: Plan, site_pops: dict[str, frozenset[str]]) -> list[Group]:
    """Declared flows (one group per pair of ends) or, without flows, the segments.
    O(F log F) for F flows, or O(segment memberships)."""
    if plan.flows:
        pairs: dict[tuple[str, str], Group] = {}
        for flow in plan.flows:
            if flow.source == flow.target or flow_status(plan, site_pops, flow) != "ok":
                continue
            key = tuple(sorted((flow.source, flow.target)))
            group = pairs.setdefault(key, Group(f"{key[0]}<->{key[1]}", list(key)))
            if flow.name not in group.flows:
                group.flows.append(flow.name)
        return [pairs[key] for key in sorted(pairs)]
    return [
        Group(segment, [s for s in members if s in site_pops])
        for segment, members in plan.segment_members.items()
    ]


def classify(
    lines: int, pops: frozenset[str], has_peer: bool, site: str, failures: Failures
) -> tuple[str, bool, bool, bool]:
    """Tier of one site (SPEC §3) and its access, backbone and POP-diversity flags. O(1)."""
    if lines == 0:
        return NONE_TIER, False, False, False
    access = lines >= 2
    backbone = not has_peer or (
        site not in failures.unreachable and not failures.link_fail.has(site)
    )
    diverse = len(pops) >= 2 and backbone and not failures.pop_fail.has(site)
    if access and backbone and diverse:
        tier = "highest"
    elif access and backbone:
        tier = "dual-protected"
    elif lines == 1 and backbone:
        tier = "single-protected"
    else:
        tier = "single-unprotected"
    return tier, access, backbone, diverse


def analyse_plan(plan: Plan) -> Analysis:
    """Build the backbone, classify every site and route every declared flow.

    Parameters
    ----------
    plan : Plan
        The plan, as built by :func:`validator.model.build_plan` (no input errors).

    Returns
    -------
    Analysis
        Tiers of every site, the status and best route of every declared flow, the
        per-direction load of backbone links and the POPs and links some path uses.

    Notes
    -----
    With P POPs, L backbone links, S sites and F declared flows: the backbone and its
    block-cut and bridge trees in O(P + L); the failure analysis of the requirement
    groups in O((P + L + S) log P) (O(P) when the backbone has no bridge and no cut
    POP); one shortest-path search per distinct set of
    source POPs, O((P + L) log P) each; the load in O(F · route length).
    """
    bb = backbone_of(plan)
    site_pops = site_pops_of(plan)
    groups = requirement_groups(plan, site_pops)
    failures = analyse_groups(bb, site_pops, groups)
    peers = {s for g in groups if len(set(g.members)) >= 2 for s in g.members}
    sites: dict[str, SiteResult] = {}
    for site in plan.sites:
        pops = site_pops.get(site.id, _NO_POPS)
        lines = len(site.lines) if pops else 0
        has_peer = site.id in peers
        tier, access, backbone, diverse = classify(lines, pops, has_peer, site.id, failures)
        sites[site.id] = SiteResult(site, pops, tier, has_peer, access, backbone, diverse)
    result = Analysis(plan, bb, site_pops, groups, bool(plan.flows), failures, sites, [])
    adj = adjacency(bb)
    routes: dict[int, Route | None] = {}
    by_source: dict[frozenset[str], list[int]] = {}
    for index, flow in enumerate(plan.flows):
        if flow_status(plan, site_pops, flow) == "ok":
            by_source.setdefault(site_pops[flow.source], []).append(index)
    for sources, indices in by_source.items():  # one search per set of source POPs
        targets = frozenset().union(*(site_pops[plan.flows[i].target] for i in indices))
        tree = routes_from(bb, adj, sources, targets)
        for index in indices:
            routes[index] = best_route(bb, tree, site_pops[plan.flows[index].target])
    for index, flow in enumerate(plan.flows):
        status = flow_status(plan, site_pops, flow)
        if status != "ok":
            result.flows.append(FlowResult(flow, status))
            continue
        route = routes[index]
        result.flows.append(FlowResult(flow, "ok" if route else "no-path", route))
        if route and flow.bandwidth_mbps:
            name, mbps, load, load_flows = (
                flow.name,
                flow.bandwidth_mbps,
                result.load,
                result.load_flows,
            )
            for i, link_id in enumerate(route.links):
                direction = Direction(link_id, route.pops[i], route.pops[i + 1])
                load[direction] = load.get(direction, 0.0) + mbps
                load_flows.setdefault(direction, []).append(name)
    result.used_pops, result.used_links = used_objects(bb, set().union(*site_pops.values()))
    return result


def used_objects(bb: Backbone, terminals: set[str]) -> tuple[set[str], set[str]]:
    """POPs and links on some simple path between two POPs with lines (SPEC §8, CCV506).

    The blocks of the block-cut tree on the subtree spanning the terminals are used
    (a lone block only when it holds two terminals); so are their POPs and links, and
    every terminal. O(P + L).
    """
    used_pops = set(terminals)
    used_blocks: set[Node] = set()
    forest = bb.bc_forest
    by_tree: dict[object, set] = {}
    for pop in terminals:
        node = bb.bc[pop]
        by_tree.setdefault(forest.root[node], set()).add(node)
    for nodes in by_tree.values():
        span = _steiner_nodes(forest, nodes)
        if len(span) == 1:
            (node,) = span
            if node.kind == BLOCK and len(bb.block_pops[node] & terminals) >= 2:
                used_blocks.add(node)
            continue
        used_blocks.update(n for n in span if n.kind == BLOCK)
    for block in used_blocks:
        used_pops.update(bb.block_pops[block])
    used_links = {link.id for link in bb.links if bb.link_block.get(link.id) in used_blocks}
    return used_pops, used_links


def _steiner_nodes(forest, nodes: set) -> set:
    marked = sorted(nodes, key=lambda n: forest.tin[n])
    top = forest.lca(marked[0], marked[-1])
    seen = {top}
    for node in marked:
        while node not in seen:
            seen.add(node)
            node = forest.parent[node]
    return seen
