"""The text report's per-site table and its downtime budgets (SPEC §3 arithmetic)."""

from __future__ import annotations

from decimal import Decimal

from validator.formats.text import site_table, with_budgets

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
    january = with_budgets(SITES, 2026, 1)[0]
    april = with_budgets(SITES, 2026, 4)[0]
    february = with_budgets(SITES, 2028, 2)[0]  # a leap year: 29 days
    assert january["budget_month"] == Decimal("44.6")  # 31 days
    assert april["budget_month"] == Decimal("43.2")  # 30 days
    assert february["budget_month"] == Decimal("41.8")  # 41.76 minutes
    assert january["budget_30d"] == Decimal("43.2")


def test_a_site_without_tier_availability_has_no_budget():
    assert with_budgets(SITES, 2026, 1)[1]["budget_month"] is None


def test_table_is_aligned_and_names_the_month():
    lines = site_table(with_budgets(SITES, 2026, 1), "2026-01")
    assert lines[0].split("  ")[0] == "site"
    assert "budget 2026-01 (min)" in lines[0]
    assert lines[1].index("single-protected") == lines[0].index("tier")
    assert lines[2].split()[-2:] == ["-", "-"]
