"""What a rule sees: the plan, and analyses shared between rules, computed once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from validator.load.document import Document, Path_
from validator.model import Plan, is_terraform

T = TypeVar("T")

_KINDS = {
    "sites": "site",
    "lines": "line",
    "pops": "POP",
    "backbone": "link",
    "segments": "segment",
    "flows": "flow",
}


class Context:
    """The plan under check plus a cache of derived analyses (overlap index, graph…)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._memo: dict[str, object] = {}

    @property
    def documents(self) -> list[Document]:
        """The inputs this plan was built from."""
        return self.plan.documents

    def graph_context(self) -> Context | None:
        """What the path, capacity and tier rules see (SPEC §10): the whole plan, except
        that Terraform plans take no part (their networks have no POPs or lines to the
        carrier); None when every input is a Terraform plan, so those rules stay quiet."""

        def build() -> Context | None:
            docs = self.plan.documents
            if not any(is_terraform(doc) for doc in docs):
                return self
            if all(is_terraform(doc) for doc in docs):
                return None
            plan = self.plan
            view = Plan(
                documents=plan.documents,
                name=plan.name,
                sla_target=plan.sla_target,
                sla_target_origin=plan.sla_target_origin,
                exchange=plan.exchange,
                pops=[p for p in plan.pops if not is_terraform(p.origin.doc)],
                links=plan.links,
                segments=plan.segments,
                sites=[s for s in plan.sites if not is_terraform(s.origin.doc)],
                flows=plan.flows,
            )
            return Context(view)

        return self.memo("graph-context", build)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per context; later calls with ``key`` return the same value."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]


def object_at(data: object, path: Path_) -> list[tuple[str, str, Path_]]:
    """The identifiable objects along ``path``, outermost first: (kind, id, path).

    ``object_at(data, ("sites", 1, "lines", 0, "vlan"))`` gives the site and the line.
    A backbone link without an id is named ``A--B``; a flow ``from->to``.
    """
    found: list[tuple[str, str, Path_]] = []
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            kind = _KINDS.get(path[depth - 1]) if depth else None
            if kind and isinstance(node, dict):
                name = _name_of(kind, node)
                if name:
                    found.append((kind, name, tuple(path[: depth + 1])))
        else:
            break
    return found


def _name_of(kind: str, node: dict) -> str | None:
    ident = node.get("id")
    if isinstance(ident, str) and ident:
        return ident
    if kind == "link" and isinstance(node.get("a"), str) and isinstance(node.get("b"), str):
        return f"{node['a']}--{node['b']}"
    if kind == "flow" and isinstance(node.get("from"), str) and isinstance(node.get("to"), str):
        return f"{node['from']}->{node['to']}"
    return None


def describe(data: object, path: Path_) -> str:
    """A reader's name for the node at ``path``: ``line aws-hk-1 of site aws-hk``."""
    objects = object_at(data, path)
    if not objects:
        return "the top level" if not path else "/".join(str(p) for p in path)
    parts = [f"{kind} {name}" for kind, name, _ in reversed(objects)]
    return " of ".join(parts)
