"""The SLA annex's arithmetic: pure functions, no I/O, no clock.

Months are calendar months in UTC. Percentages and band edges are compared exactly
(:class:`decimal.Decimal` inputs, :class:`fractions.Fraction` for computed ratios), so
that exactly 99.5 is in the 0% band and 99.4999 in the 5% band.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from validator.sla import tables

Number = Decimal | Fraction | int

_HUNDRED = Fraction(100)
_MICRO = timedelta(microseconds=1)


def _frac(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


# --- months and budgets -------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a calendar month in UTC."""
    start = datetime(year, month, 1, tzinfo=UTC)
    days = calendar.monthrange(year, month)[1]
    return start, start + timedelta(days=days)


def month_minutes(year: int, month: int) -> int:
    """Minutes in a calendar month (40320 for 28 days … 44640 for 31 days)."""
    return calendar.monthrange(year, month)[1] * 24 * 60


def downtime_budget(availability: Number, minutes: Number) -> Fraction:
    """Allowed downtime in minutes: ``minutes × (100 − availability) / 100`` (SPEC §3)."""
    return _frac(minutes) * (_HUNDRED - _frac(availability)) / _HUNDRED


def to_decimal(value: Number, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` as a Decimal rounded to ``places`` decimals, trailing zeros dropped.

    ``rounding`` is ``ROUND_HALF_UP`` (away from zero at .5) or ``ROUND_FLOOR``. Computed
    with integers, so it is exact at any magnitude: ``to_decimal(Fraction(216, 5), 4)`` is
    43.2, an exact value that fits is returned unchanged.
    """
    scaled = _frac(value) * 10**places
    if rounding == ROUND_FLOOR:
        units = math.floor(scaled)
    elif rounding == ROUND_HALF_UP:
        units = math.floor(abs(scaled) + Fraction(1, 2)) * (1 if scaled >= 0 else -1)
    else:
        raise ValueError(f"unsupported rounding {rounding}")
    if units % 10**places == 0:
        return Decimal(units // 10**places)
    result = Decimal(units).scaleb(-places)
    while result.as_tuple().digits[-1] == 0:  # drop trailing zeros, keep plain notation
        result = result.quantize(Decimal(1).scaleb(result.as_tuple().exponent + 1))
    return result


def floor_decimal(value: Number, places: int) -> Decimal:
    """``value`` truncated (towards −∞) to ``places`` decimals, without trailing zeros.

    Used to display availabilities: a value just below a band edge never shows as the edge.
    """
    return to_decimal(value, places, ROUND_FLOOR)


def format_hmm(minutes: Number) -> str:
    """Minutes as ``h:mm``, truncated to whole minutes (43.2 → ``0:43``, 432 → ``7:12``).

    Truncating keeps the figure safe as a budget: staying within it stays within the budget.
    """
    whole = int(_frac(minutes) // 1)
    return f"{whole // 60}:{whole % 60:02d}"


# --- credits ------------------------------------------------------------------------


def credit_band(tier_id: str, availability: Number) -> tables.CreditBand | None:
    """The credit band a measured availability falls in; None for a tier without a table.

    KeyError for an unknown tier.
    """
    table = tables.credit_table(tier_id)
    if table is None:
        return None
    value = _frac(availability)
    for band in table.bands:
        if value >= _frac(band.min_availability):
            return band
    return table.bands[-1]


def band_downtime(band: tables.CreditBand, minutes: Number) -> tuple[Fraction | None, Fraction]:
    """Downtime range of a band in a month of ``minutes``: (more than, at most).

    ``more than`` is None for the best band; ``at most`` is ``minutes`` for the worst one.
    A ≥ L ⇔ downtime ≤ minutes × (100 − L)/100, so the band [L, U) is the downtime range
    (budget(U), budget(L)].
    """
    at_most = downtime_budget(band.min_availability, minutes)
    more_than = (
        None if band.max_availability is None else downtime_budget(band.max_availability, minutes)
    )
    return more_than, at_most


def capped_credit(percents: Iterable[Number]) -> tuple[Fraction, Fraction, bool]:
    """Total credit of one site in one month: (uncapped sum, capped, whether capped).

    The cap is annex art. 2.4 (20% of the affected site's monthly fee).
    """
    cap, _clause = tables.credit_cap()
    total = sum((_frac(p) for p in percents), Fraction(0))
    capped = min(total, _frac(cap))
    return total, capped, capped < total


def credit_amount(monthly_fee: Number, percent: Number) -> Decimal:
    """The credit amount: ``fee × percent / 100``, rounded half-up to 0.01."""
    amount = _frac(monthly_fee) * _frac(percent) / _HUNDRED
    return (Decimal(amount.numerator) / Decimal(amount.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# --- latency and loss ---------------------------------------------------------------


def latency_excess_percent(committed_ms: Number, measured_ms: Number) -> Fraction:
    """How far the measured latency exceeds the committed one, in percent of the commitment.

    Negative when the measurement is below the commitment. ValueError when committed ≤ 0.
    """
    committed = _frac(committed_ms)
    if committed <= 0:
        raise ValueError("committed latency must be greater than 0 ms")
    return (_frac(measured_ms) - committed) / committed * _HUNDRED


def latency_class(committed_ms: Number, measured_ms: Number) -> tables.LatencyClass:
    """The latency class (annex art. 2.2(2)): excess ≤ 10% normal, (10, 20] degraded, …"""
    excess = latency_excess_percent(committed_ms, measured_ms)
    classes = tables.latency_classes()
    for entry in classes:
        if entry.max_excess_percent is None or excess <= _frac(entry.max_excess_percent):
            return entry
    return classes[-1]


def loss_class(loss_percent: Number) -> str:
    """``meets`` when the monthly loss is ≤ the commitment (1%), else ``degraded``."""
    threshold, _clause = tables.loss_threshold()
    meets, degraded = tables.loss_class_ids()
    return meets if _frac(loss_percent) <= _frac(threshold) else degraded


# --- outages and availability -------------------------------------------------------


@dataclass(frozen=True)
class Outage:
    """One outage record: a site, an interval [start, end) in aware datetimes, a cause.

    ``origin`` says where it came from (``file:line``), for messages.
    """

    site: str
    start: datetime
    end: datetime
    cause: str
    origin: str = ""


@dataclass(frozen=True)
class SiteAvailability:
    """Availability of one site over a service period.

    ``counted`` are the merged intervals that count, ``excluded`` the clipped outages whose
    cause is an exclusion (annex art. 2.3), in input order.
    """

    site: str
    period_start: datetime
    period_end: datetime
    counted: tuple[tuple[datetime, datetime], ...]
    excluded: tuple[Outage, ...]
    counted_outages: int

    @property
    def period_minutes(self) -> Fraction:
        """Minutes of the service period."""
        return minutes_of(self.period_end - self.period_start)

    @property
    def counted_minutes(self) -> Fraction:
        """Minutes of unavailability that count, overlaps counted once."""
        return sum((minutes_of(end - start) for start, end in self.counted), Fraction(0))

    @property
    def excluded_minutes(self) -> Fraction:
        """Minutes of excluded outages, overlaps among them counted once."""
        merged = merge_intervals((o.start, o.end) for o in self.excluded)
        return sum((minutes_of(end - start) for start, end in merged), Fraction(0))

    @property
    def availability(self) -> Fraction:
        """Exact availability in percent: 100 × (1 − counted / period) (SPEC §9)."""
        return _HUNDRED * (1 - self.counted_minutes / self.period_minutes)


def minutes_of(delta: timedelta) -> Fraction:
    """A duration in minutes, exactly (to the microsecond)."""
    return Fraction(delta // _MICRO, 60_000_000)


def normalize_cause(cause: str) -> str:
    """A cause as compared with the exclusion ids: trimmed, lower-case, spaces as hyphens."""
    return "-".join(cause.strip().lower().replace("_", " ").split())


def is_excluded(cause: str) -> bool:
    """Whether an outage cause is one of the agreement's exclusions (annex art. 2.3)."""
    return normalize_cause(cause) in {e.id for e in tables.exclusions()}


def merge_intervals(
    intervals: Iterable[tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime]]:
    """Sorted union of intervals [start, end); touching intervals join, empty ones vanish."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clip(
    start: datetime, end: datetime, low: datetime, high: datetime
) -> tuple[datetime, datetime] | None:
    """The part of [start, end) inside [low, high), or None when they do not overlap."""
    start, end = max(start, low), min(end, high)
    return (start, end) if end > start else None


def service_period(
    year: int, month: int, service_start: datetime | None = None
) -> tuple[datetime, datetime]:
    """The service period of a month: from the service start when it falls inside the month.

    ValueError when the service starts at or after the end of the month.
    """
    start, end = month_bounds(year, month)
    if service_start is not None:
        if service_start >= end:
            raise ValueError(
                f"the service starts {service_start.isoformat()}, after month {year}-{month:02d}"
            )
        start = max(start, service_start)
    return start, end


def site_availability(
    site: str, outages: Sequence[Outage], period: tuple[datetime, datetime]
) -> SiteAvailability:
    """Availability of one site: outages clipped to the period, exclusions separated,
    overlapping counted outages merged so they count once."""
    low, high = period
    counted: list[tuple[datetime, datetime]] = []
    excluded: list[Outage] = []
    for outage in outages:
        part = clip(outage.start, outage.end, low, high)
        if part is None:
            continue
        if is_excluded(outage.cause):
            excluded.append(
                Outage(outage.site, part[0], part[1], normalize_cause(outage.cause), outage.origin)
            )
        else:
            counted.append(part)
    return SiteAvailability(
        site=site,
        period_start=low,
        period_end=high,
        counted=tuple(merge_intervals(counted)),
        excluded=tuple(excluded),
        counted_outages=len(counted),
    )
