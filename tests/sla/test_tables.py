"""The annex's tables as data: shape, values and clauses."""

from decimal import Decimal

from validator.sla import tables


def test_tiers_keep_their_committed_availability():
    assert [(t.id, t.committed) for t in tables.tiers()] == [
        ("single-unprotected", Decimal("99.5")),
        ("single-protected", Decimal("99.9")),
        ("dual-protected", Decimal("99.95")),
        ("highest", Decimal("99.99")),
    ]


def test_credit_tables_match_the_annex():
    expected = {
        "single-unprotected": [("99.5", 0), ("99.0", 5), ("98.5", 10), ("0", 20)],
        "single-protected": [("99.9", 0), ("99.5", 5), ("99.0", 10), ("0", 20)],
        "dual-protected": [("99.95", 0), ("99.5", 5), ("99.0", 10), ("0", 20)],
    }
    for tier_id, rows in expected.items():
        table = tables.credit_table(tier_id)
        assert table is not None
        assert table.clause.startswith("annex art. 2.2(1)")
        got = [(b.min_availability, b.credit_percent) for b in table.bands]
        assert got == [(Decimal(a), Decimal(c)) for a, c in rows]
        # each band's upper edge is the lower edge of the better band
        assert table.bands[0].max_availability is None
        for better, worse in zip(table.bands, table.bands[1:], strict=False):
            assert worse.max_availability == better.min_availability


def test_highest_tier_has_no_credit_table():
    assert tables.credit_table("highest") is None
    assert "per the specific agreement" in tables.no_credit_table_note()


def test_cap_latency_loss_measurement_and_exclusions():
    assert tables.credit_cap() == (Decimal(20), "annex art. 2.4")
    assert [(c.id, c.max_excess_percent) for c in tables.latency_classes()] == [
        ("normal", Decimal(10)),
        ("degraded", Decimal(20)),
        ("deteriorated", Decimal(30)),
        ("severely-deteriorated", None),
    ]
    assert tables.latency_clause() == "annex art. 2.2(2)"
    assert tables.loss_threshold() == (Decimal(1), "annex art. 2.2(3)")
    method = tables.measurement()
    assert method.packet_sizes == (64, 128, 512)
    assert method.packets_per_size == 100
    assert method.interval_minutes == 30
    assert method.loss_rtt_ms == Decimal(2000)
    assert [e.id for e in tables.exclusions()] == [
        "maintenance",
        "force-majeure",
        "customer",
        "customer-upgrade",
        "suspension",
        "third-party",
    ]
    assert all(e.clause.startswith("annex art. 2.3") for e in tables.exclusions())
