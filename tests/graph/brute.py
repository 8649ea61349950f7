"""Brute-force reference for tiers and single points of failure: remove each link / each
POP and test connectivity with networkx. Slow, obviously correct; used by property tests."""

from __future__ import annotations

import networkx as nx


def _graph(pops, links, drop_link=None, drop_pop=None) -> nx.MultiGraph:
    g = nx.MultiGraph()
    g.add_nodes_from(p for p in pops if p != drop_pop)
    for link_id, a, b in links:
        if link_id == drop_link or drop_pop in (a, b):
            continue
        g.add_edge(a, b, key=link_id)
    return g


def _connected(g, a_set, b_set) -> bool:
    a_set = [p for p in a_set if p in g]
    b_set = {p for p in b_set if p in g}
    if not a_set or not b_set:
        return False
    seen = set()
    for a in a_set:
        if a in seen:
            continue
        comp = nx.node_connected_component(g, a)
        if comp & b_set:
            return True
        seen |= comp
    return False


def brute(pops, links, site_pops, site_lines, pairs):
    """Tiers and cuts by brute force.

    ``pairs``: required unordered site pairs (both ends with lines). Returns
    (tiers, link_cuts, pop_cuts) with cuts as {element: set of sites in a cut pair}.
    """
    full = _graph(pops, links)
    peers = {s: set() for s in site_pops}
    for s, t in pairs:
        peers[s].add(t)
        peers[t].add(s)
    link_graphs = {lid: _graph(pops, links, drop_link=lid) for lid, _, _ in links}
    pop_graphs = {p: _graph(pops, links, drop_pop=p) for p in pops}
    link_cuts: dict[str, set] = {}
    pop_cuts: dict[str, set] = {}
    for s, t in pairs:
        a, b = site_pops[s], site_pops[t]
        if not _connected(full, a, b):
            continue
        for lid, g in link_graphs.items():
            if not _connected(g, a, b):
                link_cuts.setdefault(lid, set()).update((s, t))
        for p, g in pop_graphs.items():
            if p in a or p in b:
                continue
            if not _connected(g, a, b):
                pop_cuts.setdefault(p, set()).update((s, t))
    tiers = {}
    for s, pops_s in site_pops.items():
        lines = site_lines[s]
        backbone = all(_connected(full, pops_s, site_pops[t]) for t in peers[s]) and all(
            _connected(g, pops_s, site_pops[t]) for g in link_graphs.values() for t in peers[s]
        )
        diverse = len(pops_s) >= 2 and all(
            _connected(pop_graphs[p], set(pops_s) - {p}, site_pops[t])
            for t in peers[s]
            for p in pops
            if p not in site_pops[t]
        )
        if lines >= 2 and backbone and diverse:
            tiers[s] = "highest"
        elif lines >= 2 and backbone:
            tiers[s] = "dual-protected"
        elif lines == 1 and backbone:
            tiers[s] = "single-protected"
        else:
            tiers[s] = "single-unprotected"
    return tiers, link_cuts, pop_cuts
