"""What ``ccv sla`` computes, as typed results: no options, no output, no clock.

Each builder takes plain values (a tier id, a month, a file path) and returns a frozen
result the command line renders as text or JSON (:mod:`validator.sla.render`). Bad
input raises :class:`~validator.sla.errors.SlaInputError` (or ``ValueError`` for a
value the caller passed, such as a service start after the month).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from validator.sla import arithmetic as ar
from validator.sla import tables
from validator.sla.errors import SlaInputError
from validator.sla.measure import PairMonth, monthly
from validator.sla.plan import committed_latencies
from validator.sla.records import read_outages, read_probes, shown


class BandDowntime(NamedTuple):
    """A credit band and the downtime (minutes) that puts a month in it."""

    band: tables.CreditBand
    more_than: Fraction | None  # None: the band starts at no downtime
    at_most: Fraction


@dataclass(frozen=True)
class TierBudget:
    """``ccv sla budget``: the downtime a tier allows in a month, and its credit bands."""

    tier_id: str
    tier: tables.Tier
    year: int
    month: int
    minutes: int  # of the month
    allowed: Fraction  # minutes of downtime the committed availability allows
    table: tables.CreditTable | None  # None: no published credit table (highest tier)
    bands: tuple[BandDowntime, ...]
    cap: Decimal
    cap_clause: str

    @property
    def label(self) -> str:
        """The month as ``YYYY-MM``."""
        return f"{self.year}-{self.month:02d}"


def tier_budget(tier_id: str, year: int, month: int) -> TierBudget:
    """The downtime budget of ``tier_id`` in a calendar month (UTC) and each band's range."""
    entry = tables.tier(tier_id)
    minutes = ar.month_minutes(year, month)
    table = tables.credit_table(tier_id)
    cap, cap_clause = tables.credit_cap()
    bands = ()
    if table is not None:
        bands = tuple(BandDowntime(b, *ar.band_downtime(b, minutes)) for b in table.bands)
    allowed = ar.downtime_budget(entry.committed, minutes)
    return TierBudget(tier_id, entry, year, month, minutes, allowed, table, bands, cap, cap_clause)


@dataclass(frozen=True)
class Credit:
    """The credit band of an availability; ``band`` None: no published table."""

    band: tables.CreditBand | None
    percent: Fraction | None  # of the monthly fee, after the cap
    capped: bool
    amount: Decimal | None  # with a monthly fee: the credit, rounded half-up to 0.01


def credit_for(tier_id: str, availability: Decimal | Fraction, fee: Decimal | None) -> Credit:
    """The credit of one site with ``availability`` percent in a month (annex art. 2.2, 2.4)."""
    band = ar.credit_band(tier_id, availability)
    if band is None:
        return Credit(None, None, False, None)
    _total, capped, was_capped = ar.capped_credit([band.credit_percent])
    amount = None if fee is None else ar.credit_amount(fee, capped)
    return Credit(band, capped, was_capped, amount)


@dataclass(frozen=True)
class AvailabilityCredit:
    """``ccv sla credit --availability``: the credit of one measured availability."""

    tier_id: str
    tier: tables.Tier
    availability: Decimal
    table: tables.CreditTable | None
    credit: Credit
    cap: Decimal
    cap_clause: str
    fee: Decimal | None


def availability_credit(
    tier_id: str, availability: Decimal, fee: Decimal | None
) -> AvailabilityCredit:
    """The credit band and percentage of a measured monthly ``availability``."""
    cap, cap_clause = tables.credit_cap()
    return AvailabilityCredit(
        tier_id,
        tables.tier(tier_id),
        availability,
        tables.credit_table(tier_id),
        credit_for(tier_id, availability, fee),
        cap,
        cap_clause,
        fee,
    )


class SiteCredit(NamedTuple):
    """One site's availability over the service period and its credit."""

    result: ar.SiteAvailability
    credit: Credit


@dataclass(frozen=True)
class OutageCredit:
    """``ccv sla credit --outages``: each site's availability and credit in one month."""

    tier_id: str
    tier: tables.Tier
    year: int
    month: int
    period: tuple[datetime, datetime]
    source: Path
    table: tables.CreditTable | None
    cap: Decimal
    cap_clause: str
    fee: Decimal | None
    sites: tuple[SiteCredit, ...]  # by site id

    @property
    def label(self) -> str:
        """The month as ``YYYY-MM``."""
        return f"{self.year}-{self.month:02d}"

    @property
    def period_minutes(self) -> Fraction:
        """Minutes of the service period."""
        return ar.minutes_of(self.period[1] - self.period[0])


def outage_credit(
    tier_id: str,
    path: Path,
    month: tuple[int, int],
    service_start: datetime | None,
    fee: Decimal | None,
) -> OutageCredit:
    """Per site of the outage records at ``path``: availability in ``month`` and credit.

    ValueError when ``service_start`` is after the month; SlaInputError for a bad file.
    """
    year, mon = month
    period = ar.service_period(year, mon, service_start)
    by_site: dict[str, list[ar.Outage]] = defaultdict(list)
    for outage in read_outages(path):
        by_site[outage.site].append(outage)
    sites = []
    for site in sorted(by_site):
        result = ar.site_availability(site, by_site[site], period)
        sites.append(SiteCredit(result, credit_for(tier_id, result.availability, fee)))
    cap, cap_clause = tables.credit_cap()
    return OutageCredit(
        tier_id,
        tables.tier(tier_id),
        year,
        mon,
        period,
        path,
        tables.credit_table(tier_id),
        cap,
        cap_clause,
        fee,
        tuple(sites),
    )


@dataclass(frozen=True)
class LatencyFigures:
    """A monthly latency against the commitment (annex art. 2.2(2))."""

    committed: Decimal | Fraction
    measured: Decimal | Fraction
    excess_percent: Fraction
    latency_class: tables.LatencyClass
    clause: str


def latency_figures(committed: Decimal | Fraction, measured: Decimal | Fraction) -> LatencyFigures:
    """The excess over ``committed`` ms and its class; ``committed`` must be above 0."""
    return LatencyFigures(
        committed,
        measured,
        ar.latency_excess_percent(committed, measured),
        ar.latency_class(committed, measured),
        tables.latency_clause(),
    )


@dataclass(frozen=True)
class LossFigures:
    """A monthly packet loss against the commitment (annex art. 2.2(3))."""

    measured: Decimal | Fraction
    threshold: Decimal
    loss_class: str
    clause: str


def loss_figures(loss: Decimal | Fraction) -> LossFigures:
    """The class of a monthly packet loss in percent."""
    threshold, clause = tables.loss_threshold()
    return LossFigures(loss, threshold, ar.loss_class(loss), clause)


@dataclass(frozen=True)
class PairFigures:
    """One POP pair's month of probes, and its committed latency when a plan was given."""

    item: PairMonth
    committed: Decimal | None  # None: no plan, or no backbone link with latency_ms
    latency: LatencyFigures | None  # None without a commitment or a measured latency


@dataclass(frozen=True)
class Measurement:
    """``ccv sla measure``: monthly PoP-PoP figures per pair, and the method they follow."""

    method: tables.Measurement
    topology: Path | None
    pairs: tuple[PairFigures, ...]


def measurement(probes: Path, topology: Path | None, month: tuple[int, int] | None) -> Measurement:
    """Monthly latency and loss per POP pair from the probe records at ``probes`` (only
    ``month`` when given), each classified against the plan ``topology`` when given."""
    records = read_probes(probes)
    if not records:
        raise SlaInputError(shown(probes), "no probe records", "add rows under the header")
    found = monthly(records, month)
    if month is not None and not found:
        raise SlaInputError(
            shown(probes),
            f"no probe records fall in {month[0]}-{month[1]:02d}",
            "check --month or the timestamps",
        )
    committed = committed_latencies(topology) if topology is not None else None
    pairs = []
    for item in found:
        commit = None if committed is None else committed.get(frozenset(item.pair))
        latency_ms = item.latency_ms
        latency = (
            None
            if commit is None or latency_ms is None or commit == 0
            else latency_figures(commit, latency_ms)
        )
        pairs.append(PairFigures(item, commit, latency))
    return Measurement(tables.measurement(), topology, tuple(pairs))
