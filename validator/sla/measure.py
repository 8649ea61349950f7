"""Monthly PoP-PoP latency and loss from probe records, by the annex's method.

Annex art. 2.1(2) and (3): every 30 minutes a run pings 100 packets of each of 64, 128
and 512 bytes; a run's latency and loss are the arithmetic means over the three sizes;
the month's figure is the arithmetic mean of its runs. Runs are grouped by unordered POP
pair and 30-minute slot (UTC). Missing runs are counted, never invented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from validator.sla import tables
from validator.sla.arithmetic import month_minutes
from validator.sla.records import ProbeRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Run:
    """One run of one POP pair: its slot start, latency (None without any reply) and loss."""

    slot: datetime
    latency_ms: Fraction | None
    loss_percent: Fraction
    sizes: tuple[int, ...]


@dataclass(frozen=True)
class PairMonth:
    """The monthly figures of one POP pair."""

    year: int
    month: int
    pair: tuple[str, str]
    runs: tuple[Run, ...]
    runs_expected: int
    late_packets: int

    @property
    def runs_seen(self) -> int:
        """Runs with at least one record."""
        return len(self.runs)

    @property
    def runs_missing(self) -> int:
        """Expected runs without any record."""
        return max(self.runs_expected - self.runs_seen, 0)

    @property
    def incomplete_runs(self) -> int:
        """Runs lacking one of the annex's packet sizes (their mean uses the sizes present)."""
        expected = set(tables.measurement().packet_sizes)
        return sum(1 for run in self.runs if set(run.sizes) != expected)

    @property
    def runs_without_reply(self) -> int:
        """Runs in which no packet got a reply (100% loss, no latency)."""
        return sum(1 for run in self.runs if run.latency_ms is None)

    @property
    def latency_ms(self) -> Fraction | None:
        """Mean latency over the runs that had a reply; None when none had."""
        values = [run.latency_ms for run in self.runs if run.latency_ms is not None]
        return _mean(values) if values else None

    @property
    def loss_percent(self) -> Fraction:
        """Mean loss over the runs, in percent."""
        return _mean([run.loss_percent for run in self.runs])


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def slot_of(moment: datetime) -> datetime:
    """The start of the measurement slot (30 minutes, aligned to the hour, UTC) of a time."""
    step = timedelta(minutes=tables.measurement().interval_minutes)
    return _EPOCH + ((moment.astimezone(UTC) - _EPOCH) // step) * step


def runs_expected(year: int, month: int) -> int:
    """Runs the annex's method makes in a month (1440 in a 30-day month)."""
    return month_minutes(year, month) // tables.measurement().interval_minutes


def _run(slot: datetime, records: list[ProbeRecord]) -> Run:
    by_size: dict[int, list[ProbeRecord]] = defaultdict(list)
    for record in records:
        by_size[record.size].append(record)
    latencies: list[Fraction] = []
    losses: list[Fraction] = []
    for size in sorted(by_size):
        sent = sum(r.sent for r in by_size[size])
        replies = sum(r.replies for r in by_size[size])
        losses.append(Fraction(100) * (sent - replies) / sent)
        if replies:
            latencies.append(sum((r.rtt_sum for r in by_size[size]), Fraction(0)) / replies)
    return Run(
        slot=slot,
        latency_ms=_mean(latencies) if latencies else None,
        loss_percent=_mean(losses),
        sizes=tuple(sorted(by_size)),
    )


def monthly(
    records: Iterable[ProbeRecord], month: tuple[int, int] | None = None
) -> list[PairMonth]:
    """Monthly figures per (month, POP pair), sorted by month then pair.

    With ``month``, only runs whose slot falls in that month are used.
    """
    groups: dict[tuple[int, int, tuple[str, str]], dict[datetime, list[ProbeRecord]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for record in records:
        slot = slot_of(record.timestamp)
        if month is not None and (slot.year, slot.month) != month:
            continue
        groups[(slot.year, slot.month, record.pair)][slot].append(record)
    result = []
    for (year, mon, pair), slots in sorted(groups.items()):
        runs = tuple(_run(slot, slots[slot]) for slot in sorted(slots))
        late = sum(r.late for records_ in slots.values() for r in records_)
        result.append(PairMonth(year, mon, pair, runs, runs_expected(year, mon), late))
    return result
