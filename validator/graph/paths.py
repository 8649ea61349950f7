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


def best_route(
    bb: Backbone,
    adj: dict[str, list[tuple[str, float, str]]],
    sources: frozenset[str],
    targets: frozenset[str],
) -> Route | None:
    """The best path from any POP of ``sources`` to any POP of ``targets``, or None.

    Order: lowest total latency, then fewest links, then the smallest sequence of POP
    ids compared element-wise. Dijkstra with (latency, hops, sequence) labels: appending
    one link to two paths of equal length keeps their order, so the first target POP
    settled carries the best path. O((P + L) log P) per call.
    """
    shared = sorted(sources & targets)
    if shared:
        return Route((shared[0],), (), 0.0, ())
    heap: list[tuple[float, int, tuple[str, ...], tuple[str, ...]]] = [
        (0.0, 0, (p,), ()) for p in sorted(sources)
    ]
    heapq.heapify(heap)
    settled: set[str] = set()
    while heap:
        latency, hops, seq, links = heapq.heappop(heap)
        node = seq[-1]
        if node in settled:
            continue
        settled.add(node)
        if node in targets:
            by_id = {link.id: link for link in bb.links}
            unknown = tuple(i for i in links if by_id[i].latency_ms is None)
            total = sum(float(by_id[i].latency_ms or 0.0) for i in links)
            return Route(seq, links, None if unknown else round(total, 6), unknown)
        for nxt, weight, link_id in adj[node]:
            if nxt not in settled:
                heapq.heappush(heap, (latency + weight, hops + 1, (*seq, nxt), (*links, link_id)))
    return None
