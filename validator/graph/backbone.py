"""The backbone as graphs: a networkx MultiGraph of POPs and links, and its failure trees.

Built once per plan (``O(P + L)`` plus networkx's linear bridge and biconnected-component
searches). Parallel links with distinct ids are separate links: a pair of POPs joined
by two links has no bridge between them.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    graph: nx.MultiGraph = field(repr=False)
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
    def link_by_id(self) -> dict[str, BLink]:
        """Links by id (built on first use)."""
        if not hasattr(self, "_by_id"):
            self._by_id = {link.id: link for link in self.links}
        return self._by_id


def build_backbone(pops: Iterable[str], links: Iterable[BLink]) -> Backbone:
    """Analyse the backbone: components, bridges, articulation points, both forests.

    O(P + L) for the searches (networkx), O(P log P) for sorting names.
    """
    pop_list = sorted(set(pops))
    link_list = sorted(links, key=lambda link: link.id)
    import networkx as nx  # here, not at the top: listing the rules needs no graph library

    multi = nx.MultiGraph()
    multi.add_nodes_from(pop_list)
    simple = nx.Graph()
    simple.add_nodes_from(pop_list)
    between: dict[frozenset[str], list[str]] = {}
    for link in link_list:
        multi.add_edge(link.a, link.b, key=link.id)
        if link.a != link.b:
            simple.add_edge(link.a, link.b)
            between.setdefault(frozenset((link.a, link.b)), []).append(link.id)
    bb = Backbone(pop_list, link_list, multi)
    for index, comp in enumerate(sorted(nx.connected_components(simple), key=min)):
        for pop in comp:
            bb.component[pop] = index

    # Bridges: a simple-graph bridge is a backbone bridge only when it is one link.
    bridge_pairs = []
    for u, v in nx.bridges(simple):
        ids = between[frozenset((u, v))]
        if len(ids) == 1:
            bb.bridges.add(ids[0])
            bridge_pairs.append((u, v, ids[0]))
    no_bridges = simple.copy()
    no_bridges.remove_edges_from((u, v) for u, v, _ in bridge_pairs)
    for index, comp in enumerate(sorted(nx.connected_components(no_bridges), key=min)):
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
    bb.cut_pops = set(nx.articulation_points(simple))
    blocks = sorted(
        (frozenset(edge_set) for edge_set in nx.biconnected_component_edges(simple)),
        key=lambda es: min(min(e) for e in es),
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
