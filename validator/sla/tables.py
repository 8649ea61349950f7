"""The SLA annex's tables, loaded from ``validator/data/sla.yaml``.

Every figure the ``ccv sla`` commands use comes from here; numbers are returned as
:class:`decimal.Decimal` so that band edges such as 99.5 or 99.95 compare exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from validator.datafile import read_data


def _dec(value: object) -> Decimal:
    """A YAML number as an exact Decimal (via its shortest text form, so 99.95 stays 99.95)."""
    return Decimal(str(value))


@dataclass(frozen=True)
class Tier:
    """A protection tier and the availability the agreement commits for it."""

    id: str
    availability: float
    scenario: str
    clause: str
    special_scenario: bool = False

    @property
    def committed(self) -> Decimal:
        """The committed availability in percent, as an exact Decimal."""
        return _dec(self.availability)


@dataclass(frozen=True)
class CreditBand:
    """One row of a credit table: ``credit_percent`` applies when A >= ``min_availability``.

    ``max_availability`` is the lower edge of the better band (exclusive), or None for the
    best band.
    """

    min_availability: Decimal
    max_availability: Decimal | None
    credit_percent: Decimal
    annex_downtime: str


@dataclass(frozen=True)
class CreditTable:
    """The credit table of one tier, bands best first, with its clause."""

    tier: str
    clause: str
    bands: tuple[CreditBand, ...]


@dataclass(frozen=True)
class LatencyClass:
    """A latency class: applies when the excess over the commitment is <= ``max_excess``."""

    id: str
    label: str
    max_excess_percent: Decimal | None


@dataclass(frozen=True)
class Measurement:
    """The annex's measurement method constants (art. 2.1(2), 2.1(3))."""

    packet_sizes: tuple[int, ...]
    packets_per_size: int
    interval_minutes: int
    loss_rtt_ms: Decimal
    clause: str
    loss_rtt_clause: str


@dataclass(frozen=True)
class Exclusion:
    """An outage cause that does not count against availability (annex art. 2.3)."""

    id: str
    clause: str
    meaning: str


@cache
def _data() -> dict:
    return read_data("sla.yaml")  # type: ignore[return-value]


def source() -> str:
    """The document the tables come from."""
    return _data()["source"]


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


@cache
def credit_table(tier_id: str) -> CreditTable | None:
    """The credit table of a tier; None when the annex publishes none (``highest``).

    KeyError when the tier is unknown.
    """
    tier(tier_id)
    entry = _data()["credit_tables"].get(tier_id)
    if entry is None:
        return None
    bands: list[CreditBand] = []
    upper: Decimal | None = None
    for row in entry["bands"]:
        low = _dec(row["min_availability"])
        bands.append(
            CreditBand(
                min_availability=low,
                max_availability=upper,
                credit_percent=_dec(row["credit_percent"]),
                annex_downtime=row["annex_downtime"],
            )
        )
        upper = low
    return CreditTable(tier=tier_id, clause=entry["clause"], bands=tuple(bands))


def no_credit_table_note() -> str:
    """What the annex says where a tier has no credit table."""
    return _data()["credit_tables_note"]


def credit_cap() -> tuple[Decimal, str]:
    """The cap on all credits of one site in one month, in percent, and its clause."""
    entry = _data()["credit_cap"]
    return _dec(entry["percent"]), entry["clause"]


@cache
def latency_classes() -> tuple[LatencyClass, ...]:
    """Latency classes, best first."""
    return tuple(
        LatencyClass(
            id=row["id"],
            label=row["label"],
            max_excess_percent=None
            if row["max_excess_percent"] is None
            else _dec(row["max_excess_percent"]),
        )
        for row in _data()["latency_classes"]["classes"]
    )


def latency_clause() -> str:
    """The clause of the latency classes."""
    return _data()["latency_classes"]["clause"]


def loss_threshold() -> tuple[Decimal, str]:
    """The committed maximum monthly packet loss in percent, and its clause."""
    entry = _data()["packet_loss"]
    return _dec(entry["max_percent"]), entry["clause"]


def loss_class_ids() -> tuple[str, str]:
    """The loss class ids: (within the commitment, above it)."""
    classes = _data()["packet_loss"]["classes"]
    return classes[0]["id"], classes[1]["id"]


@cache
def measurement() -> Measurement:
    """The measurement method constants."""
    entry = _data()["measurement"]
    return Measurement(
        packet_sizes=tuple(int(size) for size in entry["packet_sizes"]),
        packets_per_size=int(entry["packets_per_size"]),
        interval_minutes=int(entry["interval_minutes"]),
        loss_rtt_ms=_dec(entry["loss_rtt_ms"]),
        clause=entry["clause"],
        loss_rtt_clause=entry["loss_rtt_clause"],
    )


@cache
def exclusions() -> tuple[Exclusion, ...]:
    """Outage causes that do not count against availability."""
    return tuple(Exclusion(**row) for row in _data()["exclusions"]["causes"])


def exclusions_clause() -> str:
    """The clause listing the exclusions."""
    return _data()["exclusions"]["clause"]
