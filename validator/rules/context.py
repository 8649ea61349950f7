"""What a rule sees: the plan, and the analyses rules share, each computed once per run.

The analyses themselves are pure functions of the plan (``validator.addressing.index``,
``validator.graph.analysis``); this is the one place they are cached. They are imported
when first asked for, so listing the rules loads no graph library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from validator.load.document import Document
from validator.model import Plan, is_terraform

if TYPE_CHECKING:
    from validator.addressing.index import FreeSpace, RangeIndex, Subnet
    from validator.graph.analysis import Analysis

T = TypeVar("T")


class Context:
    """The plan under check plus a cache of derived analyses (range index, graph…)."""

    def __init__(self, plan: Plan, hints: bool = True) -> None:
        self.plan = plan
        self.hints = hints  # False: only which findings arise matters (fix verification),
        # so a rule may give its plain hint instead of searching for a verified change
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
                sla_defaults=plan.sla_defaults,
                exchange=plan.exchange,
                pops=[p for p in plan.pops if not is_terraform(p.origin.doc)],
                links=plan.links,
                segments=plan.segments,
                sites=[s for s in plan.sites if not is_terraform(s.origin.doc)],
                flows=plan.flows,
            )
            return Context(view, self.hints)

        return self.memo("graph-context", build)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per context; later calls with ``key`` return the same value."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    @property
    def ranges(self) -> RangeIndex:
        """The parsed ranges and peering addresses and their overlaps (built on first use)."""
        from validator.addressing.index import build_index

        return self.memo("ranges", lambda: build_index(self.plan))

    @property
    def peering_overlaps(self) -> list[tuple[Subnet, Subnet]]:
        """Overlapping peering subnets of two different lines (CCV304, CCV305)."""
        from validator.addressing.index import peering_overlaps

        return self.memo("peering_overlaps", lambda: peering_overlaps(self.ranges))

    @property
    def free_space(self) -> FreeSpace:
        """The free-block finder every hint suggesting a new range shares."""
        from validator.addressing.index import FreeSpace

        return self.memo("free_space", lambda: FreeSpace(self.ranges))

    def release(self) -> None:
        """Let go of every analysis built so far (the range index and everything the
        rules built on it: on a million ranges, about half of the memory). Asked for
        again, an analysis is built again."""
        self._memo.clear()

    @property
    def analysis(self) -> Analysis:
        """The plan's graph analysis: tiers, routes, failures (built on first use)."""
        from validator.graph.analysis import analyse_plan

        return self.memo("analysis", lambda: analyse_plan(self.plan))
