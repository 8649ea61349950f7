"""The report's downtime budgets (SPEC §3 arithmetic) and the text table that shows them."""

from __future__ import annotations

from decimal import Decimal

from ccv_test_helpers import fixture, run

from validator.formats.text import site_table
from validator.summary import site_budgets

SITES = [
    {
        "id": "aws-hk",
        "tier": "single-protected",
        "availability": 99.9,
        "target": 99.9,
        "lines": 1,
        "pops": ["HKG1"],
    },
    {"id": "dc-x", "tier": "none", "availability": None, "target": None, "lines": 0, "pops": []},
]


def test_budgets_follow_the_month_length():
    january, thirty = site_budgets(SITES, (2026, 1))
    (april, _) = site_budgets(SITES, (2026, 4))
    (february, _) = site_budgets(SITES, (2028, 2))  # a leap year: 29 days
    assert (january.period, thirty.period) == ("2026-01", "30 days")
    assert january.minutes[0] == Decimal("44.6")  # 31 days
    assert april.minutes[0] == Decimal("43.2")  # 30 days
    assert february.minutes[0] == Decimal("41.8")  # 41.76 minutes
    assert thirty.minutes[0] == Decimal("43.2")


def test_without_a_month_only_the_30_day_budget():
    (only,) = site_budgets(SITES)
    assert only.period == "30 days" and only.minutes == (Decimal("43.2"), None)


def test_a_site_without_tier_availability_has_no_budget():
    assert [b.minutes[1] for b in site_budgets(SITES, (2026, 1))] == [None, None]


def test_table_is_aligned_and_names_the_month():
    lines = site_table(SITES, site_budgets(SITES, (2026, 1)))
    assert lines[0].split("  ")[0] == "site"
    assert "budget 2026-01 (min)" in lines[0] and "budget 30 days (min)" in lines[0]
    assert lines[0].index("budget 2026-01") < lines[0].index("budget 30 days")
    assert lines[1].index("single-protected") == lines[0].index("tier")
    assert lines[1].split()[-2:] == ["44.6", "43.2"]
    assert lines[2].split()[-2:] == ["-", "-"]


def test_text_output_never_depends_on_the_clock():
    plain = run("validate", fixture("valid.yaml")).stdout
    assert "budget 30 days (min)" in plain and "budget 20" not in plain
    with_month = run("validate", "--month", "2026-02", fixture("valid.yaml")).stdout
    assert "budget 2026-02 (min)" in with_month and "budget 30 days (min)" in with_month


def test_a_bad_month_is_a_usage_error():
    result = run("validate", "--month", "2026-13", fixture("valid.yaml"))
    assert result.exit_code == 2 and "YYYY-MM" in result.stderr
    result = run("validate", "--month", "0000-02", fixture("valid.yaml"))  # no year 0
    assert result.exit_code == 2 and "YYYY-MM" in result.stderr
