"""The backbone's own depth-first search (components, bridges, cut POPs, blocks) gives the
same sets as networkx's four searches, on random simple graphs."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.graph.backbone import _biconnectivity, _components


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 12))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=24))
    graph = nx.Graph()
    graph.add_nodes_from(f"P{i}" for i in range(n))
    graph.add_edges_from((f"P{a}", f"P{b}") for a, b in pairs if a != b)
    return graph


def _sets(blocks):
    return {frozenset(frozenset(edge) for edge in block) for block in blocks}


@settings(max_examples=400, deadline=None)
@given(graphs())
def test_same_as_networkx(graph):
    neighbours = {u: list(graph.neighbors(u)) for u in graph.nodes}
    found = _biconnectivity(neighbours)
    assert sorted(map(sorted, found.components)) == sorted(
        map(sorted, nx.connected_components(graph))
    )
    assert {frozenset(e) for e in found.bridges} == {frozenset(e) for e in nx.bridges(graph)}
    assert found.cut_pops == set(nx.articulation_points(graph))
    assert _sets(found.blocks) == _sets(nx.biconnected_component_edges(graph))
    cut = {frozenset(e) for e in nx.bridges(graph)}
    without = graph.copy()
    without.remove_edges_from(tuple(e) for e in cut)
    assert sorted(map(sorted, _components(neighbours, cut))) == sorted(
        map(sorted, nx.connected_components(without))
    )
