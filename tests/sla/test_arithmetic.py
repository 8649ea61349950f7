"""The arithmetic module, directly: months, budgets, bands, classes, outages."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from validator.sla import arithmetic as ar


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- months and budgets ---


@pytest.mark.parametrize(
    ("year", "month", "minutes"),
    [
        (2026, 1, 44640),  # 31 days
        (2026, 2, 40320),  # 28 days
        (2024, 2, 41760),  # leap year: 29 days
        (2000, 2, 41760),  # divisible by 400: leap
        (1900, 2, 40320),  # divisible by 100 only: not leap
        (2026, 4, 43200),  # 30 days
        (2026, 12, 44640),  # December rolls into the next year
    ],
)
def test_month_minutes(year, month, minutes):
    assert ar.month_minutes(year, month) == minutes
    start, end = ar.month_bounds(year, month)
    assert (end - start) == timedelta(minutes=minutes)
    assert start.tzinfo is UTC


def test_budget_matches_spec_examples():
    assert ar.downtime_budget(Decimal("99.9"), 43200) == Fraction("43.2")
    assert ar.downtime_budget(Decimal("99.9"), 44640) == Fraction("44.64")
    assert ar.downtime_budget(Decimal("99.5"), 43200) == 216  # the annex's "3.6 hours"
    assert ar.downtime_budget(Decimal("99.95"), 40320) == Fraction("20.16")
    assert ar.downtime_budget(Decimal("99.99"), 41760) == Fraction("4.176")


def test_hmm_truncates_to_whole_minutes():
    assert ar.format_hmm(Fraction("43.2")) == "0:43"
    assert ar.format_hmm(Fraction("44.99")) == "0:44"
    assert ar.format_hmm(432) == "7:12"
    assert ar.format_hmm(0) == "0:00"


def test_decimal_display():
    assert str(ar.to_decimal(Fraction("43.2"), 4)) == "43.2"
    assert str(ar.to_decimal(Fraction(216), 4)) == "216"
    assert str(ar.floor_decimal(Fraction(1999999, 20000), 4)) == "99.9999"
    # just below an edge never displays as the edge
    assert str(ar.floor_decimal(Fraction(995, 10) - Fraction(1, 10**9), 4)) == "99.4999"


# --- credit bands ---


@pytest.mark.parametrize(
    ("tier", "availability", "credit"),
    [
        ("single-unprotected", "100", 0),
        ("single-unprotected", "99.5", 0),
        ("single-unprotected", "99.4999", 5),
        ("single-unprotected", "99.49999999999999999999", 5),
        ("single-unprotected", "99.0", 5),
        ("single-unprotected", "98.9999", 10),
        ("single-unprotected", "98.5", 10),
        ("single-unprotected", "98.4999", 20),
        ("single-unprotected", "0", 20),
        ("single-protected", "99.9", 0),
        ("single-protected", "99.8999", 5),
        ("single-protected", "99.5", 5),
        ("single-protected", "99.4999", 10),
        ("single-protected", "99.0", 10),
        ("single-protected", "98.9999", 20),
        ("dual-protected", "99.95", 0),
        ("dual-protected", "99.9499", 5),
        ("dual-protected", "99.5", 5),
        ("dual-protected", "99.4999", 10),
        ("dual-protected", "99.0", 10),
        ("dual-protected", "98.9999", 20),
    ],
)
def test_credit_band_edges(tier, availability, credit):
    band = ar.credit_band(tier, Decimal(availability))
    assert band is not None
    assert band.credit_percent == credit


def test_credit_band_on_exact_fraction():
    # 216 minutes down in a 30-day month is exactly 99.5%
    exact = 100 * (1 - Fraction(216, 43200))
    assert exact == Fraction("99.5")
    assert ar.credit_band("single-unprotected", exact).credit_percent == 0
    assert (
        ar.credit_band(
            "single-unprotected", 100 * (1 - Fraction(216 * 60 + 1, 43200 * 60))
        ).credit_percent
        == 5
    )


def test_highest_has_no_band_and_unknown_tier_fails():
    assert ar.credit_band("highest", Decimal("90")) is None
    with pytest.raises(KeyError):
        ar.credit_band("gold", Decimal("99"))


def test_band_downtime_ranges():
    table = ar.tables.credit_table("single-unprotected")
    ranges = [ar.band_downtime(b, 43200) for b in table.bands]
    assert ranges == [(None, 216), (216, 432), (432, 648), (648, 43200)]


def test_cap_applies_to_the_sum_of_a_sites_credits():
    assert ar.capped_credit([Decimal(5)]) == (5, 5, False)
    assert ar.capped_credit([Decimal(20)]) == (20, 20, False)
    assert ar.capped_credit([Decimal(10), Decimal(20)]) == (30, 20, True)
    assert ar.capped_credit([]) == (0, 0, False)


def test_credit_amount_rounds_half_up_to_cents():
    assert ar.credit_amount(Decimal("1200"), Decimal(5)) == Decimal("60.00")
    assert ar.credit_amount(Decimal("0.30"), Decimal(5)) == Decimal("0.02")  # 0.015 -> 0.02
    assert ar.credit_amount(Decimal("99.99"), Decimal(20)) == Decimal("20.00")


# --- latency and loss ---


@pytest.mark.parametrize(
    ("measured", "cls"),
    [
        ("20", "normal"),  # below the commitment
        ("32", "normal"),
        ("35.2", "normal"),  # exactly +10%
        ("35.2001", "degraded"),
        ("38.4", "degraded"),  # exactly +20%
        ("38.4001", "deteriorated"),
        ("41.6", "deteriorated"),  # exactly +30%
        ("41.6001", "severely-deteriorated"),
        ("100", "severely-deteriorated"),
    ],
)
def test_latency_classes(measured, cls):
    assert ar.latency_class(Decimal(32), Decimal(measured)).id == cls


def test_latency_excess_and_zero_commitment():
    assert ar.latency_excess_percent(Decimal(32), Decimal(36)) == Fraction("12.5")
    with pytest.raises(ValueError, match="greater than 0"):
        ar.latency_excess_percent(Decimal(0), Decimal(1))


@pytest.mark.parametrize(
    ("loss", "cls"), [("0", "meets"), ("1", "meets"), ("1.0001", "degraded"), ("5", "degraded")]
)
def test_loss_classes(loss, cls):
    assert ar.loss_class(Decimal(loss)) == cls


# --- outages ---


def test_merge_intervals_counts_overlaps_once():
    merged = ar.merge_intervals(
        [
            (utc(2026, 4, 1, 2), utc(2026, 4, 1, 3)),
            (utc(2026, 4, 1, 0), utc(2026, 4, 1, 1)),
            (utc(2026, 4, 1, 0, 30), utc(2026, 4, 1, 2)),  # bridges the two
            (utc(2026, 4, 1, 5), utc(2026, 4, 1, 5)),  # empty
        ]
    )
    assert merged == [(utc(2026, 4, 1, 0), utc(2026, 4, 1, 3))]


def test_clip():
    low, high = utc(2026, 2, 1), utc(2026, 3, 1)
    assert ar.clip(utc(2026, 1, 31, 23), utc(2026, 2, 1, 1), low, high) == (low, utc(2026, 2, 1, 1))
    assert ar.clip(utc(2026, 1, 1), utc(2026, 1, 2), low, high) is None
    assert ar.clip(utc(2026, 3, 1), utc(2026, 3, 2), low, high) is None


def test_service_period():
    assert ar.service_period(2026, 2) == (utc(2026, 2, 1), utc(2026, 3, 1))
    assert ar.service_period(2026, 2, utc(2026, 2, 10)) == (utc(2026, 2, 10), utc(2026, 3, 1))
    assert ar.service_period(2026, 2, utc(2025, 6, 1)) == (utc(2026, 2, 1), utc(2026, 3, 1))
    with pytest.raises(ValueError, match="after month 2026-02"):
        ar.service_period(2026, 2, utc(2026, 3, 1))


def test_normalize_and_exclusions():
    assert ar.is_excluded("Force Majeure")
    assert ar.is_excluded(" maintenance ")
    assert ar.is_excluded("customer_upgrade")
    assert not ar.is_excluded("fibre cut")
    assert not ar.is_excluded("")
    assert not ar.is_excluded("maintenance overrun")


def test_site_availability_spanning_two_months():
    outage = ar.Outage("hk", utc(2024, 1, 31, 23), utc(2024, 2, 1, 2), "fibre cut")
    february = ar.site_availability("hk", [outage], ar.service_period(2024, 2))
    january = ar.site_availability("hk", [outage], ar.service_period(2024, 1))
    assert february.counted_minutes == 120
    assert january.counted_minutes == 60
    assert february.period_minutes == 41760  # leap February
    assert february.availability == 100 * (1 - Fraction(120, 41760))


def test_site_availability_excluded_and_service_start():
    outages = [
        ar.Outage("hk", utc(2026, 4, 2), utc(2026, 4, 2, 6), "maintenance"),
        ar.Outage("hk", utc(2026, 4, 8), utc(2026, 4, 8, 0, 36), "router crash"),
        ar.Outage("hk", utc(2026, 4, 1), utc(2026, 4, 1, 5), "before service start"),
    ]
    result = ar.site_availability("hk", outages, ar.service_period(2026, 4, utc(2026, 4, 2)))
    assert result.counted_minutes == 36
    assert result.excluded_minutes == 360
    assert [o.cause for o in result.excluded] == ["maintenance"]
    assert result.period_minutes == 29 * 1440
    assert result.availability == 100 * (1 - Fraction(36, 29 * 1440))
