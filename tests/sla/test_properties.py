"""Property tests of the arithmetic (hypothesis)."""

from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from validator.sla import arithmetic as ar
from validator.sla import tables

MONTH = (2024, 2)
START, END = ar.month_bounds(*MONTH)

moments = st.integers(min_value=-3 * 1440, max_value=33 * 1440).map(
    lambda minute: START + timedelta(minutes=minute)
)
outages = st.lists(
    st.tuples(
        moments,
        st.integers(min_value=0, max_value=5 * 1440),
        st.sampled_from(["fibre cut", "maintenance", "customer", "power"]),
    ).map(lambda t: ar.Outage("hk", t[0], t[0] + timedelta(minutes=t[1]), t[2])),
    max_size=25,
)
availabilities = st.decimals(min_value=0, max_value=100, places=6, allow_nan=False)


@given(outages)
def test_counted_minutes_never_exceed_the_month(records):
    result = ar.site_availability("hk", records, ar.service_period(*MONTH))
    assert 0 <= result.counted_minutes <= ar.month_minutes(*MONTH)
    assert 0 <= result.availability <= 100
    # merged intervals are disjoint, sorted and inside the month
    for (_s1, e1), (s2, _e2) in zip(result.counted, result.counted[1:], strict=False):
        assert e1 < s2
    assert all(START <= s < e <= END for s, e in result.counted)


@given(outages)
def test_merging_is_order_independent_and_never_more_than_the_sum(records):
    period = ar.service_period(*MONTH)
    forward = ar.site_availability("hk", records, period)
    backward = ar.site_availability("hk", list(reversed(records)), period)
    assert forward.counted == backward.counted
    clipped = [ar.clip(o.start, o.end, START, END) for o in records if not ar.is_excluded(o.cause)]
    total = sum(((p[1] - p[0]) for p in clipped if p), timedelta())
    assert forward.counted_minutes <= ar.minutes_of(total)


@given(
    st.sampled_from(["single-unprotected", "single-protected", "dual-protected"]),
    availabilities,
    availabilities,
)
def test_credit_is_monotone_non_increasing_in_availability(tier, a, b):
    low, high = sorted((a, b))
    assert ar.credit_band(tier, low).credit_percent >= ar.credit_band(tier, high).credit_percent


@given(
    st.sampled_from(tables.tier_ids()),
    st.integers(min_value=1970, max_value=2400),
    st.integers(1, 12),
)
def test_budget_agrees_with_the_band_edge(tier_id, year, month):
    tier = tables.tier(tier_id)
    minutes = ar.month_minutes(year, month)
    budget = ar.downtime_budget(tier.committed, minutes)
    # using exactly the budget keeps the committed availability; one second more breaks it
    at_budget = 100 * (1 - budget / minutes)
    assert at_budget == tier.committed
    table = tables.credit_table(tier_id)
    if table is not None:
        assert ar.credit_band(tier_id, at_budget).credit_percent == 0
        over = 100 * (1 - (budget + ar.minutes_of(timedelta(seconds=1))) / minutes)
        assert ar.credit_band(tier_id, over).credit_percent > 0


@given(st.lists(st.decimals(min_value=0, max_value=20, places=2, allow_nan=False), max_size=5))
def test_cap_never_exceeded(percents):
    total, capped, was_capped = ar.capped_credit(percents)
    assert capped <= 20
    assert capped == min(total, 20)
    assert was_capped == (total > 20)


@given(
    st.decimals(min_value=Decimal("0.1"), max_value=500, places=3, allow_nan=False),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False),
)
def test_latency_class_is_monotone(committed, a, b):
    order = [c.id for c in tables.latency_classes()]
    low, high = sorted((a, b))
    assert order.index(ar.latency_class(committed, low).id) <= order.index(
        ar.latency_class(committed, high).id
    )
