"""Best paths between two sets of POPs (SPEC §8 "Best path")."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from validator.graph.backbone import Backbone


@dataclass(frozen=True, slots=True)
class Route:
    """A chosen path: POPs in order, the link taken at each step, and its latency."""

    pops: tuple[str, ...]
    links: tuple[str, ...]
    latency_ms: float | None  # None when a link on the path has no latency_ms
    unknown_links: tuple[str, ...]  # links on the path without latency_ms


def adjacency(bb: Backbone) -> dict[str, list[tuple[str, float, str]]]:
    """For every POP, its neighbours with the link chosen among parallels.

    A link without ``latency_ms`` weighs 0 for the choice; among parallel links of
    equal weight the smaller id is taken. Self-loops are never on a path.
    O(P + L log L) (the neighbours are sorted).
    """
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for link in bb.links:
        if link.a == link.b:
            continue
        weight = float(link.latency_ms or 0.0)
        for u, v in ((link.a, link.b), (link.b, link.a)):
            if (u, v) not in best or (weight, link.id) < best[(u, v)]:
                best[(u, v)] = (weight, link.id)
    adj: dict[str, list[tuple[str, float, str]]] = {p: [] for p in bb.pops}
    for (u, v), (weight, link_id) in sorted(best.items()):
        adj[u].append((v, weight, link_id))
    return adj


class RouteTree:
    """Best paths from a set of source POPs: per POP its latency, hops and previous step.

    Built by :func:`routes_from`; a path is read back by walking previous steps, so the
    tree costs O(P) memory whatever the path lengths.
    """

    __slots__ = ("cost", "step")

    def __init__(self) -> None:
        self.cost: dict[str, tuple[float, int]] = {}  # POP -> (latency, hops), settled
        self.step: dict[str, tuple[str, str] | None] = {}  # POP -> (previous POP, link)

    def __contains__(self, pop: str) -> bool:
        return pop in self.cost

    def before(self, a: str, b: str) -> bool:
        """True when the POP sequence to ``a`` is smaller than the one to ``b``.

        Both paths have the same number of links; compared element-wise from the source.
        Walks back until the two paths share their previous POP: O(hops) at worst, and
        only needed when two paths tie on latency and hops.
        """
        step = self.step
        while a != b:
            pa, pb = step[a], step[b]
            if pa is None or pb is None or pa[0] == pb[0]:
                return a < b
            a, b = pa[0], pb[0]
        return False

    def path(self, pop: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """POPs (from the source) and links of the best path to ``pop``."""
        pops, links = [pop], []
        step = self.step[pop]
        while step is not None:
            pops.append(step[0])
            links.append(step[1])
            step = self.step[step[0]]
        return tuple(reversed(pops)), tuple(reversed(links))


def routes_from(
    bb: Backbone,
    adj: dict[str, list[tuple[str, float, str]]],
    sources: frozenset[str],
    targets: frozenset[str] | None = None,
) -> RouteTree:
    """Best paths from ``sources`` to every POP (or until every POP of ``targets`` is settled).

    Order: lowest total latency, then fewest links, then the smallest sequence of POP
    ids compared element-wise. Dijkstra on (latency, hops); every path that ties with
    the best one to a POP on both comes from a POP settled earlier, so the sequence tie
    is decided among settled paths (:meth:`RouteTree.before`), and appending one link
    keeps the order of two tied paths. One run serves every flow leaving the same set
    of POPs. O((P + L) log P) time and O(P) memory (no path is copied).
    """
    tree = RouteTree()
    best: dict[str, tuple[float, int]] = {}
    prev: dict[str, tuple[str, str] | None] = {}
    heap: list[tuple[float, int, str]] = []
    for p in sorted(sources):
        best[p] = (0.0, 0)
        prev[p] = None
        heap.append((0.0, 0, p))
    heapq.heapify(heap)
    waiting = set(targets) if targets is not None else None
    settled = tree.cost
    while heap:
        latency, hops, node = heapq.heappop(heap)
        if node in settled or best[node] != (latency, hops):
            continue
        settled[node] = (latency, hops)
        tree.step[node] = prev[node]
        if waiting is not None:
            waiting.discard(node)
            if not waiting:
                break
        for nxt, weight, link_id in adj[node]:
            if nxt in settled:
                continue
            label = (latency + weight, hops + 1)
            current = best.get(nxt)
            if current is None or label < current:
                best[nxt] = label
                prev[nxt] = (node, link_id)
                heapq.heappush(heap, (label[0], label[1], nxt))
            elif label == current and tree.before(node, prev[nxt][0]):  # type: ignore[index]
                prev[nxt] = (node, link_id)
    return tree


def best_route(bb: Backbone, tree: RouteTree, targets: frozenset[str]) -> Route | None:
    """The best path to any POP of ``targets`` given a :func:`routes_from` tree, or None."""
    chosen = None
    for p in sorted(targets):
        if p not in tree:
            continue
        if (
            chosen is None
            or tree.cost[p] < tree.cost[chosen]
            or tree.cost[p] == tree.cost[chosen]
            and tree.before(p, chosen)
        ):
            chosen = p
    if chosen is None:
        return None
    seq, links = tree.path(chosen)
    by_id = bb.link_by_id
    unknown = tuple(i for i in links if by_id[i].latency_ms is None)
    total = sum(float(by_id[i].latency_ms or 0.0) for i in links)
    return Route(seq, links, None if unknown else round(total, 6), unknown)
