"""Helpers for the addressing, peering and ASN rule tests."""

from __future__ import annotations

from pathlib import Path

from validator import validate
from validator.rules.registry import all_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# The generic rules of the input, range, peering and ASN families (from the registry):
# the cloud rules of those families (tests/clouds/) and the other families (paths,
# capacity, SLA) may report on the same fixtures, and these tests do not speak for them.
CLOUD_RULES = frozenset({"CCV207", "CCV208", "CCV306", "CCV404"})
OURS = frozenset(
    r.id
    for r in all_rules()
    if r.family in ("input", "addressing", "peering", "asns") and r.id not in CLOUD_RULES
)


def run(name: str):
    """The report of fixture ``name`` (no config file may interfere)."""
    return validate(str(FIXTURES / name))


def findings(name: str, *rules: str) -> list:
    """Findings of fixture ``name`` for ``rules``, in report order."""
    return [f for f in run(name).findings if f.rule in rules]


def line_of(name: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of fixture ``name`` holding ``needle``."""
    seen = 0
    for number, text in enumerate((FIXTURES / name).read_text("utf-8").splitlines(), 1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {name}")
