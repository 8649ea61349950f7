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


def routes_from(
    bb: Backbone,
    adj: dict[str, list[tuple[str, float, str]]],
    sources: frozenset[str],
) -> dict[str, tuple[float, int, tuple[str, ...], tuple[str, ...]]]:
    """Best labels (latency, hops, POP sequence, links) from ``sources`` to every POP.

    Order: lowest total latency, then fewest links, then the smallest sequence of POP
    ids compared element-wise. Dijkstra with these labels: appending one link to two
    paths of equal length keeps their order, so each POP is settled with its best
    path. One run serves every flow leaving the same set of POPs. O((P + L) log P).
    """
    heap: list[tuple[float, int, tuple[str, ...], tuple[str, ...]]] = [
        (0.0, 0, (p,), ()) for p in sorted(sources)
    ]
    heapq.heapify(heap)
    settled: dict[str, tuple[float, int, tuple[str, ...], tuple[str, ...]]] = {}
    while heap:
        label = heapq.heappop(heap)
        latency, hops, seq, links = label
        node = seq[-1]
        if node in settled:
            continue
        settled[node] = label
        for nxt, weight, link_id in adj[node]:
            if nxt not in settled:
                heapq.heappush(heap, (latency + weight, hops + 1, (*seq, nxt), (*links, link_id)))
    return settled


def best_route(
    bb: Backbone,
    labels: dict[str, tuple[float, int, tuple[str, ...], tuple[str, ...]]],
    targets: frozenset[str],
) -> Route | None:
    """The best path to any POP of ``targets`` given :func:`routes_from` labels, or None.

    O(|targets| + length of the route).
    """
    reached = [labels[p] for p in targets if p in labels]
    if not reached:
        return None
    _, _, seq, links = min(reached)
    by_id = bb.link_by_id
    unknown = tuple(i for i in links if by_id[i].latency_ms is None)
    total = sum(float(by_id[i].latency_ms or 0.0) for i in links)
    return Route(seq, links, None if unknown else round(total, 6), unknown)
