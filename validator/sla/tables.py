"""The SLA annex's tables, loaded from ``validator/data/sla.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Tier:
    """A protection tier and the availability the agreement commits for it."""

    id: str
    availability: float
    scenario: str
    clause: str
    special_scenario: bool = False


@cache
def _data() -> dict:
    text = resources.files("validator").joinpath("data/sla.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def tiers() -> tuple[Tier, ...]:
    """All protection tiers, weakest first."""
    return tuple(Tier(**entry) for entry in _data()["tiers"])


def tier(tier_id: str) -> Tier:
    """The tier with id ``tier_id``; KeyError when there is none."""
    for entry in tiers():
        if entry.id == tier_id:
            return entry
    raise KeyError(tier_id)


def tier_ids() -> tuple[str, ...]:
    """Tier ids, weakest first."""
    return tuple(entry.id for entry in tiers())
