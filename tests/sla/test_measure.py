"""Monthly figures from probe records, by the annex's method."""

from datetime import UTC, datetime
from fractions import Fraction

from validator.sla.measure import monthly, runs_expected, slot_of
from validator.sla.records import read_probes


def test_slots_are_30_minutes_aligned_in_utc():
    assert slot_of(datetime(2026, 4, 1, 0, 29, 59, tzinfo=UTC)) == datetime(2026, 4, 1, tzinfo=UTC)
    assert slot_of(datetime(2026, 4, 1, 0, 30, tzinfo=UTC)) == datetime(
        2026, 4, 1, 0, 30, tzinfo=UTC
    )


def test_runs_expected_follow_the_month_length():
    assert runs_expected(2026, 4) == 1440
    assert runs_expected(2026, 2) == 1344
    assert runs_expected(2024, 2) == 1392
    assert runs_expected(2026, 1) == 1488


def test_run_is_the_mean_over_sizes_and_month_the_mean_over_runs(fixtures):
    [pair] = monthly(read_probes(fixtures / "probes_runs.csv"))
    assert pair.pair == ("HKG1", "SIN1")
    assert (pair.year, pair.month) == (2026, 4)
    run1, run2 = pair.runs
    assert run1.latency_ms == 33  # (30 + 33 + 36) / 3
    assert run1.loss_percent == Fraction(4, 3)  # (0 + 1 + 3) / 3
    assert run2.latency_ms == 40  # the +08:00 row lands in the same 00:30 UTC run
    assert pair.latency_ms == Fraction("36.5")
    assert pair.loss_percent == Fraction(2, 3)
    assert (pair.runs_seen, pair.runs_expected, pair.runs_missing) == (2, 1440, 1438)


def test_2000_ms_rule(fixtures):
    [pair] = monthly(read_probes(fixtures / "probes_late.csv"))
    [run] = pair.runs
    # 64 bytes: 30 ms, 2000 ms (kept), 2000.5 ms (lost), no reply (lost)
    assert run.loss_percent == Fraction(50, 3)  # (50 + 0 + 0) / 3
    assert run.latency_ms == (Fraction(2030, 2) + 40 + 50) / 3
    assert pair.late_packets == 1


def test_missing_runs_and_incomplete_runs_are_reported_not_invented(fixtures):
    records = read_probes(fixtures / "probes_incomplete.csv")
    february, march = monthly(records)
    assert (february.month, march.month) == (2, 3)
    assert february.runs_seen == 2
    assert february.runs_missing == 1344 - 2
    assert february.incomplete_runs == 1  # the 12:00 run lacks 512 bytes
    assert february.runs_without_reply == 1  # the 12:30 run got no reply at all
    assert february.latency_ms == 33  # only the run with replies: (30 + 36) / 2
    assert february.loss_percent == 50  # (0 + 100) / 2
    assert march.runs_seen == 1 and march.latency_ms == 31


def test_month_filter(fixtures):
    records = read_probes(fixtures / "probes_incomplete.csv")
    assert [p.month for p in monthly(records, (2026, 3))] == [3]
    assert monthly(records, (2026, 5)) == []
