"""Rooted forests of failure elements: the bridge tree and the block-cut tree.

Both trees answer the same question for a single failure: which *pieces* does the
backbone fall into when one element (a bridge link, or a cut POP) fails? In either
tree an element is a node; its pieces are the subtrees of its children plus, unless
it is a root, everything outside its subtree ("up"). A POP is mapped to one node
(its 2-edge-connected component, its cut node, or its block), so the piece of a POP
under a failure is a constant-time Euler-interval test plus a binary search among
the element's children.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable

Node = Hashable
UP = "^"


class Forest:
    """A rooted forest over hashable nodes, with Euler intervals.

    ``edges`` are undirected tree edges; ``elements`` maps the nodes that stand for
    a failure (a bridge link, a cut POP) to the element's id. Build time O(n log n).
    """

    def __init__(
        self, nodes: Iterable[Node], edges: Iterable[tuple[Node, Node]], elements: dict[Node, str]
    ) -> None:
        self.nodes = sorted(set(nodes), key=str)
        self.elements = elements
        adjacency: dict[Node, list[Node]] = {n: [] for n in self.nodes}
        for a, b in edges:
            adjacency[a].append(b)
            adjacency[b].append(a)
        self.parent: dict[Node, Node | None] = {}
        self.tin: dict[Node, int] = {}
        self.tout: dict[Node, int] = {}
        self.root: dict[Node, Node] = {}
        # Children in entry order, kept for the element nodes only (what ``piece`` needs):
        # a chain of 20,000 POPs has as many nodes, and a list per node cost 100 MB.
        self.children: dict[Node, list[Node]] = {n: [] for n in elements}
        clock = 0
        parent, tin, tout, root, children = (
            self.parent,
            self.tin,
            self.tout,
            self.root,
            self.children,
        )
        for start in self.nodes:
            if start in parent:
                continue
            parent[start] = None
            stack: list[tuple[Node, int]] = [(start, 0)]
            tin[start] = clock
            root[start] = start
            clock += 1
            while stack:
                node, index = stack[-1]
                neighbours = adjacency[node]
                if index < len(neighbours):
                    stack[-1] = (node, index + 1)
                    nxt = neighbours[index]
                    if nxt in parent:
                        continue
                    parent[nxt] = node
                    root[nxt] = start
                    tin[nxt] = clock
                    clock += 1
                    kids = children.get(node)
                    if kids is not None:
                        kids.append(nxt)
                    stack.append((nxt, 0))
                else:
                    tout[node] = clock - 1
                    stack.pop()
        self._child_tins = {n: [tin[c] for c in kids] for n, kids in children.items() if kids}

    def inside(self, node: Node, ancestor: Node) -> bool:
        """True when ``node`` lies in the subtree of ``ancestor`` (itself included)."""
        return self.tin[ancestor] <= self.tin[node] <= self.tout[ancestor]

    def piece(self, node: Node, element: Node) -> Node:
        """The piece ``node`` falls into when ``element`` fails (``node != element``).

        A child of ``element`` (the subtree below it) or :data:`UP`. O(log degree).
        """
        if not self.inside(node, element):
            return UP
        kids = self.children[element]
        return kids[bisect_right(self._child_tins[element], self.tin[node]) - 1]

    def lca(self, a: Node, b: Node) -> Node:
        """Lowest common ancestor of two nodes of one tree.

        Climbs from ``a`` until its subtree holds ``b``: O(distance from ``a`` to the
        ancestor), never more than the path between the two nodes.
        """
        tin_b = self.tin[b]
        tin, tout, parent = self.tin, self.tout, self.parent
        while not tin[a] <= tin_b <= tout[a]:
            a = parent[a]  # type: ignore[assignment]
        return a

    def path_elements(self, a: Node, b: Node) -> list[Node]:
        """Element nodes on the tree path from ``a`` to ``b`` (both ends included, one tree).

        Only these can separate ``a`` from ``b``. O(length of the path), in no set order.
        """
        tin, tout, parent, elements = self.tin, self.tout, self.parent, self.elements
        found = []
        target = tin[b]
        while not tin[a] <= target <= tout[a]:
            if a in elements:
                found.append(a)
            a = parent[a]  # type: ignore[assignment]
        while b != a:
            if b in elements:
                found.append(b)
            b = parent[b]  # type: ignore[assignment]
        if a in elements:
            found.append(a)
        return found

    def virtual_tree(self, marked: Iterable[Node]) -> tuple[list[Node], dict, dict]:
        """The smallest subtree joining ``marked`` (nodes of one tree), compressed to
        those nodes and their lowest common ancestors.

        Returns ``(nodes, parent, children)``: its nodes in entry order (the first is its
        top), each node's virtual parent (None for the top) and its virtual children in
        entry order. O(k log k) for k nodes, plus the climbs to the ancestors, O(size of
        the subtree).
        """
        tin, tout = self.tin, self.tout
        ordered = sorted(set(marked), key=tin.__getitem__)
        virtual = set(ordered)
        for i in range(len(ordered) - 1):
            virtual.add(self.lca(ordered[i], ordered[i + 1]))
        nodes = sorted(virtual, key=tin.__getitem__)
        parent: dict = {}
        children: dict = {v: [] for v in nodes}
        stack: list = []
        for v in nodes:
            while stack and not tin[stack[-1]] <= tin[v] <= tout[stack[-1]]:
                stack.pop()
            parent[v] = stack[-1] if stack else None
            if stack:
                children[stack[-1]].append(v)
            stack.append(v)
        return nodes, parent, children

    def steiner_elements(self, nodes: Iterable[Node]) -> list[Node]:
        """Element nodes on the smallest subtree joining ``nodes`` (all in one tree).

        Only these elements can separate any two of ``nodes``. O(size of that subtree).
        """
        marked = sorted(set(nodes), key=lambda n: self.tin[n])
        if len(marked) < 2:
            return [n for n in marked if n in self.elements]
        top = self.lca(marked[0], marked[-1])
        seen = {top}
        for node in marked:
            while node not in seen:
                seen.add(node)
                node = self.parent[node]
        return sorted((n for n in seen if n in self.elements), key=lambda n: self.tin[n])
