"""The backbone as graphs: POPs and links, and its failure trees.

Built once per plan (``O(P + L)``: one depth-first search finds components, bridges,
cut POPs and blocks; a networkx MultiGraph only when asked for). Parallel links with
distinct ids are separate links: a pair of POPs joined by two links has no bridge
between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import networkx as nx

from validator.graph.forest import Forest


@dataclass(frozen=True, slots=True)
class BLink:
    """A backbone link as the analysis sees it."""

    id: str
    a: str
    b: str
    latency_ms: float | None = None
    capacity_mbps: float | None = None


class Node(NamedTuple):
    """A node of a failure forest: what it stands for (``kind``) and which one (``key``)."""

    kind: str  # COMPONENT, BRIDGE, BLOCK or CUT_POP
    key: int | str  # component or block number; bridge link id; cut POP id


COMPONENT, BRIDGE, BLOCK, CUT_POP = "c", "e", "b", "p"
"""Node kinds: a 2-edge-connected component, a bridge link, a biconnected block, a cut POP."""


@dataclass
class Backbone:
    """POPs, links, components, bridges, cut POPs, and the two failure forests.

    * ``bridge_forest``: 2-edge-connected components (``Node(COMPONENT, i)``) joined
      through bridge nodes ``Node(BRIDGE, link_id)``; ``ecc[pop]`` is the POP's component.
    * ``bc_forest``: the block-cut tree; blocks ``Node(BLOCK, i)`` and cut POPs
      ``Node(CUT_POP, pop)``; ``bc[pop]`` is the POP's cut node, or its only block.
    """

    pops: list[str]
    links: list[BLink]
    adjacent: dict[str, set[str]] = field(default_factory=dict, repr=False)
    component: dict[str, int] = field(default_factory=dict)
    bridges: set[str] = field(default_factory=set)
    cut_pops: set[str] = field(default_factory=set)
    ecc: dict[str, Node] = field(default_factory=dict)
    bc: dict[str, Node] = field(default_factory=dict)
    block_pops: dict[Node, frozenset[str]] = field(default_factory=dict)
    link_block: dict[str, Node | None] = field(default_factory=dict)
    bridge_forest: Forest | None = field(default=None, repr=False)
    bc_forest: Forest | None = field(default=None, repr=False)

    @property
    def graph(self) -> nx.MultiGraph:
        """The backbone as a networkx MultiGraph, links keyed by id (built on first use)."""
        if not hasattr(self, "_graph"):
            import networkx as nx  # here, not at the top: listing the rules needs no graph library

            graph = nx.MultiGraph()
            graph.add_nodes_from(self.pops)
            graph.add_edges_from((link.a, link.b, link.id) for link in self.links)
            self._graph = graph
        return self._graph

    def neighbours(self, pop: str) -> set[str]:
        """POPs one link away from ``pop`` (``pop`` itself when a link loops on it)."""
        return self.adjacent.get(pop, set())

    @property
    def link_by_id(self) -> dict[str, BLink]:
        """Links by id (built on first use)."""
        if not hasattr(self, "_by_id"):
            self._by_id = {link.id: link for link in self.links}
        return self._by_id


def build_backbone(pops: Iterable[str], links: Iterable[BLink]) -> Backbone:
    """Analyse the backbone: components, bridges, articulation points, both forests.

    O(P + L) for the searches (one depth-first search, :func:`_biconnectivity`),
    O(P log P) for sorting names.
    """
    pop_list = sorted(set(pops))
    link_list = sorted(links, key=lambda link: link.id)
    adjacent: dict[str, set[str]] = {p: set() for p in pop_list}
    neighbours: dict[str, list[str]] = {p: [] for p in pop_list}
    between: dict[frozenset[str], list[str]] = {}
    for link in link_list:
        adjacent.setdefault(link.a, set()).add(link.b)
        adjacent.setdefault(link.b, set()).add(link.a)
        if link.a != link.b:
            pair = frozenset((link.a, link.b))
            if pair not in between:
                between[pair] = []
                neighbours.setdefault(link.a, []).append(link.b)
                neighbours.setdefault(link.b, []).append(link.a)
            between[pair].append(link.id)
    bb = Backbone(pop_list, link_list, adjacent)
    search = _biconnectivity(neighbours)
    for index, comp in enumerate(sorted(search.components, key=min)):
        for pop in comp:
            bb.component[pop] = index

    # Bridges: a simple-graph bridge is a backbone bridge only when it is one link.
    bridge_pairs = []
    for u, v in search.bridges:
        ids = between[frozenset((u, v))]
        if len(ids) == 1:
            bb.bridges.add(ids[0])
            bridge_pairs.append((u, v, ids[0]))
    cut_pairs = {frozenset((u, v)) for u, v, _ in bridge_pairs}
    for index, comp in enumerate(sorted(_components(neighbours, cut_pairs), key=min)):
        for pop in comp:
            bb.ecc[pop] = Node(COMPONENT, index)
    nodes = set(bb.ecc.values())
    edges = []
    elements: dict = {}
    for u, v, link_id in bridge_pairs:
        element = Node(BRIDGE, link_id)
        nodes.add(element)
        elements[element] = link_id
        edges += [(bb.ecc[u], element), (element, bb.ecc[v])]
    bb.bridge_forest = Forest(nodes, edges, elements)

    # Block-cut tree.
    bb.cut_pops = search.cut_pops
    blocks = sorted(
        (frozenset(edge_set) for edge_set in search.blocks),
        key=lambda es: (min(min(e) for e in es), sorted(p for e in es for p in e)),
    )
    bc_nodes: set = set()
    bc_edges = []
    bc_elements: dict = {}
    pair_block: dict[frozenset[str], Node] = {}
    for index, edge_set in enumerate(blocks):
        block = Node(BLOCK, index)
        members = frozenset(p for e in edge_set for p in e)
        bb.block_pops[block] = members
        bc_nodes.add(block)
        for u, v in edge_set:
            pair_block[frozenset((u, v))] = block
        for pop in members:
            if pop in bb.cut_pops:
                bc_edges.append((block, Node(CUT_POP, pop)))
            else:
                bb.bc[pop] = block
    next_index = len(blocks)
    for pop in pop_list:
        if pop in bb.cut_pops:
            node = Node(CUT_POP, pop)
            bb.bc[pop] = node
            bc_nodes.add(node)
            bc_elements[node] = pop
        elif pop not in bb.bc:  # an isolated POP is a block of its own
            block = Node(BLOCK, next_index)
            next_index += 1
            bb.block_pops[block] = frozenset((pop,))
            bb.bc[pop] = block
            bc_nodes.add(block)
    bb.bc_forest = Forest(bc_nodes, bc_edges, bc_elements)
    for link in link_list:
        bb.link_block[link.id] = (
            None if link.a == link.b else pair_block.get(frozenset((link.a, link.b)))
        )
    return bb


@dataclass
class _Search:
    components: list[list[str]]
    bridges: list[tuple[str, str]]
    cut_pops: set[str]
    blocks: list[list[tuple[str, str]]]


def _biconnectivity(neighbours: dict[str, list[str]]) -> _Search:
    """Components, bridges, articulation points and biconnected blocks of a simple graph.

    One iterative depth-first search (Hopcroft and Tarjan: discovery times, low points
    and a stack of edges), O(P + L); ``neighbours`` has no self-loops and no pair twice.
    The same sets as networkx's ``connected_components``, ``bridges``,
    ``articulation_points`` and ``biconnected_component_edges``, without building a
    networkx graph and running four searches.
    """
    tin: dict[str, int] = {}
    low: dict[str, int] = {}
    found = _Search([], [], set(), [])
    clock = 0
    for root in neighbours:
        if root in tin:
            continue
        tin[root] = low[root] = clock
        clock += 1
        component = [root]
        root_children = 0
        edges: list[tuple[str, str]] = []
        stack: list[tuple[str, str | None, Iterator[str]]] = [(root, None, iter(neighbours[root]))]
        while stack:
            u, parent, rest = stack[-1]
            for v in rest:
                if v == parent:
                    continue
                if v not in tin:
                    tin[v] = low[v] = clock
                    clock += 1
                    component.append(v)
                    edges.append((u, v))
                    stack.append((v, u, iter(neighbours[v])))
                    break
                if tin[v] < tin[u]:  # a back edge to an ancestor
                    edges.append((u, v))
                    if tin[v] < low[u]:
                        low[u] = tin[v]
            else:
                stack.pop()
                if parent is None:
                    continue
                if low[u] < low[parent]:
                    low[parent] = low[u]
                if low[u] > tin[parent]:
                    found.bridges.append((parent, u))
                if low[u] >= tin[parent]:  # parent separates u's subtree: a block ends
                    block = []
                    while True:
                        edge = edges.pop()
                        block.append(edge)
                        if edge == (parent, u):
                            break
                    found.blocks.append(block)
                    if parent == root:
                        root_children += 1
                    else:
                        found.cut_pops.add(parent)
        if root_children >= 2:
            found.cut_pops.add(root)
        found.components.append(component)
    return found


def _components(neighbours: dict[str, list[str]], without: set[frozenset[str]]) -> list[list[str]]:
    """Connected components once the POP pairs in ``without`` are cut. O(P + L)."""
    seen: set[str] = set()
    components = []
    for start in neighbours:
        if start in seen:
            continue
        seen.add(start)
        component = [start]
        todo = [start]
        while todo:
            u = todo.pop()
            for v in neighbours[u]:
                if v not in seen and (not without or frozenset((u, v)) not in without):
                    seen.add(v)
                    component.append(v)
                    todo.append(v)
        components.append(component)
    return components
