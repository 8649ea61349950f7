"""The rule registry: every rule's id, name, severity, summary, hint and explanation.

A rule is a small function decorated with :func:`rule`; its docstring is the rule's
explanation in ``ccv rules ID`` and docs/rules.md; its id's first digit is its family.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from validator.model import Origin
    from validator.rules.context import Context

FAMILIES = {
    "1": ("input", "Input (CCV1xx)"),
    "2": ("addressing", "Address ranges (CCV2xx)"),
    "3": ("peering", "Interconnect: peering addresses and VLANs (CCV3xx)"),
    "4": ("asns", "AS numbers (CCV4xx)"),
    "5": ("paths", "Paths (CCV5xx)"),
    "6": ("capacity", "Capacity (CCV6xx)"),
    "7": ("sla_fit", "SLA fit (CCV7xx)"),
}
"""Rule families by the first digit of the id: (name, title). The family's rules live in
``validator/rules/<name>.py``; SARIF tags and docs/rules.md sections use the name and title."""


def family_of(rule_id: str) -> str:
    """The family name of ``rule_id``: ``family_of("CCV306") == "peering"``."""
    return FAMILIES[rule_id[3]][0]


STAGES = ("input", "object", "graph")
"""input: CCV100–103, always run. object: ranges, peering, ASNs, on every well-formed
object. graph: paths, capacity and tiers, only once CCV100–103 are clean (SPEC §8)."""


@dataclass(slots=True)
class Hit:
    """What a check yields: the rule's metadata is added by the engine."""

    message: str
    objects: tuple[str, ...] | list[str]
    at: Origin
    hint: str | None = None  # None: the rule's own hint
    key: bool = False  # locate the mapping key at ``at`` rather than its value
    position: tuple[int, int] | None = None  # an exact (line, column), when known better
    severity: str | None = None  # this hit's severity when it differs from the rule's default
    # The finding's remedy as RFC 6902 JSON Patch operations on the input document, when it
    # is one definite change (SPEC §13); ``hint`` then says the same in words.
    fix: list[dict] | None = None
    # The hint to give instead when the fix is withdrawn (it failed verification).
    fallback: str | None = None


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    name: str
    severity: str
    summary: str
    hint: str
    explanation: str
    stage: str
    family: str
    check: Check


REGISTRY: dict[str, Rule] = {}


def _register(entry: Rule) -> None:
    if entry.id in REGISTRY:
        raise ValueError(f"rule {entry.id} registered twice")
    if entry.id[:3] != "CCV" or entry.id[3:4] not in FAMILIES:
        raise ValueError(f"rule {entry.id}: the id must be CCV and a family digit (FAMILIES)")
    if entry.severity not in ("error", "warning", "info") or entry.stage not in STAGES:
        raise ValueError(f"rule {entry.id}: bad severity or stage")
    REGISTRY[entry.id] = entry


def rule(
    id: str, name: str, severity: str, summary: str, hint: str, *, stage: str = "object"
) -> Callable[[Check], Check]:
    """Register the decorated generator as the check of rule ``id``."""

    def decorate(check: Check) -> Check:
        family = family_of(id)
        _register(
            Rule(
                id,
                name,
                severity,
                summary,
                hint,
                inspect.cleandoc(check.__doc__ or ""),
                stage,
                family,
                check,
            )
        )
        return check

    return decorate


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by id."""
    import validator.rules  # noqa: F401  (registers the families)

    return [REGISTRY[key] for key in sorted(REGISTRY)]


def get_rule(rule_id: str) -> Rule | None:
    """The rule with ``rule_id`` (case-insensitive), or None."""
    import validator.rules  # noqa: F401

    return REGISTRY.get(rule_id.upper())


def iter_checks(stage: str) -> Iterator[Rule]:
    """The rules of ``stage``, ordered by id."""
    return (r for r in all_rules() if r.stage == stage)
