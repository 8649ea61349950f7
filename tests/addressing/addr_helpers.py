"""Helpers for the addressing, peering and ASN rule tests."""

from __future__ import annotations

from pathlib import Path

from validator import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# The rules of this family, plus the input rules: other families (cloud packs, paths...)
# may report on the same fixtures, and these tests do not speak for them.
OURS = frozenset(
    [
        "CCV100",
        "CCV101",
        "CCV102",
        "CCV103",
        "CCV201",
        "CCV202",
        "CCV203",
        "CCV204",
        "CCV205",
        "CCV206",
        "CCV301",
        "CCV302",
        "CCV303",
        "CCV304",
        "CCV305",
        "CCV307",
        "CCV401",
        "CCV402",
        "CCV403",
        "CCV405",
        "CCV406",
    ]
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
