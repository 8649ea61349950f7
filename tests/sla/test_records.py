"""Reading outage and probe records, months and times; errors name file and line."""

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from validator.sla.errors import SlaInputError
from validator.sla.plan import committed_latencies
from validator.sla.records import (
    parse_month,
    parse_service_start,
    parse_time,
    read_outages,
    read_probes,
)


def test_parse_month():
    assert parse_month("2024-02") == (2024, 2)
    for bad in ("2024-13", "2024-2", "24-02", "2024/02", "february", "0000-02"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            parse_month(bad)
    assert parse_month("0001-01") == (1, 1) and parse_month("9999-11") == (9999, 11)
    with pytest.raises(ValueError, match="last month ccv can count is 9999-11"):
        parse_month("9999-12")  # it ends at 10000-01-01, which no datetime holds


def test_parse_time_requires_an_offset():
    assert parse_time("2026-02-20T10:00:00+08:00") == datetime(2026, 2, 20, 2, tzinfo=UTC)
    assert parse_time("2026-02-20T02:00:00Z") == datetime(2026, 2, 20, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_time("2026-02-20T02:00:00")
    with pytest.raises(ValueError, match="a date, not a date-time"):
        parse_time("2026-02-20")
    with pytest.raises(ValueError, match="not an ISO 8601"):
        parse_time("20 Feb 2026")


def test_parse_service_start():
    assert parse_service_start("2026-02-10") == datetime(2026, 2, 10, tzinfo=UTC)
    assert parse_service_start("2026-02-10T08:00:00+08:00") == datetime(2026, 2, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a valid date"):
        parse_service_start("2026-02-30")
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_service_start("2026-02-10T08:00")


def test_read_outages_csv_and_json(fixtures):
    csv_outages = read_outages(fixtures / "outages_overlap.csv")
    assert [o.site for o in csv_outages] == ["hk", "hk", "hk", "sg"]
    assert csv_outages[2].start == datetime(2026, 4, 10, tzinfo=UTC)
    assert csv_outages[0].origin.endswith("outages_overlap.csv:2")
    json_outages = read_outages(fixtures / "outages_excluded.json")
    assert len(json_outages) == 7
    assert json_outages[1].cause == "Force Majeure"
    assert json_outages[1].origin.endswith("outages_excluded.json: entry 2")


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("outages_bad_header.csv", "outages_bad_header.csv:1", "header lacks column(s) start"),
        ("outages_naive.csv", "outages_naive.csv:3", "start: '2026-04-02T00:00:00' has no UTC"),
        ("outages_reversed.csv", "outages_reversed.csv:4", "end 2026-04-03T04:00:00Z is before"),
        ("outages_bad.json", "outages_bad.json: entry 1", "lacks key(s) cause"),
    ],
)
def test_bad_outage_files(fixtures, name, where, message):
    with pytest.raises(SlaInputError) as caught:
        read_outages(fixtures / name)
    text = str(caught.value)
    assert where in text
    assert message in text
    assert "\n" not in text


def test_outage_file_not_utf8_and_not_json(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"site,start,end,cause\nh\xe9,2026-04-01T00:00:00Z,2026-04-01T01:00:00Z,x\n")
    with pytest.raises(SlaInputError, match="not UTF-8"):
        read_outages(latin)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"site": "hk",}]')
    with pytest.raises(SlaInputError, match=r"broken.json:1:16: not valid JSON"):
        read_outages(broken)


def test_read_probes_applies_the_2000_ms_rule_per_packet(fixtures):
    records = read_probes(fixtures / "probes_late.csv")
    size64 = [r for r in records if r.size == 64]
    assert [(r.replies, r.late) for r in size64] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    assert size64[1].rtt_sum == 2000  # exactly 2000 ms is not "over 2000 ms"
    assert all(r.pair == ("HKG1", "SIN1") for r in records)


def test_read_probes_per_run_rows(fixtures):
    records = read_probes(fixtures / "probes_runs.csv")
    first = records[0]
    assert (first.sent, first.replies, first.rtt_sum) == (100, 100, Fraction(3000))
    assert records[3].pair == ("HKG1", "SIN1")  # written SIN1,HKG1


def test_aggregate_row_with_late_replies_is_rejected(fixtures):
    with pytest.raises(SlaInputError) as caught:
        read_probes(fixtures / "probes_aggregate_late.csv")
    text = str(caught.value)
    assert "probes_aggregate_late.csv:3" in text
    assert "slower than 2000 ms" in text
    assert "per-packet rows" in text


def test_probe_size_must_be_an_annex_size(fixtures):
    with pytest.raises(SlaInputError, match=r"probes_bad_size.csv:2: size 56 .*64, 128, 512"):
        read_probes(fixtures / "probes_bad_size.csv")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-04-01T00:00:00Z,HKG1,HKG1,64,1,1,3", "both HKG1"),
        ("2026-04-01T00:00:00Z,HKG1,SIN1,64,1,2,3", "received 2 exceeds sent 1"),
        ("2026-04-01T00:00:00Z,HKG1,SIN1,64,0,0,", "sent 0 must be at least 1"),
        ("2026-04-01T00:00:00Z,HKG1,SIN1,64,1,1,", "rtt_ms is empty"),
        ("2026-04-01T00:00:00Z,HKG1,SIN1,64,1,1,fast", "rtt_ms 'fast' is not a number"),
        ("2026-04-01 00:00:00,HKG1,SIN1,64,1,1,3", "no UTC offset"),
        ("2026-04-01T00:00:00Z,HKG1,SIN1,64,1,1,3,extra", "8 fields but the header has 7"),
    ],
)
def test_bad_probe_rows(tmp_path, row, message):
    path = tmp_path / "probes.csv"
    path.write_text("timestamp,pop_a,pop_b,size,sent,received,rtt_ms\n" + row + "\n")
    with pytest.raises(SlaInputError) as caught:
        read_probes(path)
    assert f"{path}:2:" in str(caught.value)
    assert message in str(caught.value)


def test_committed_latencies_takes_the_smallest_parallel_link(fixtures):
    committed = committed_latencies(fixtures / "plan.yaml")
    assert committed == {frozenset({"HKG1", "SIN1"}): Decimal(30)}


def test_committed_latencies_bad_plans(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text("backbone:\n  - {a: HKG1}\n  - {a: HKG1, b: SIN1, latency_ms: 31}\n")
    # A malformed link commits nothing (`ccv validate` reports it); the rest still counts.
    assert committed_latencies(bad) == {frozenset({"HKG1", "SIN1"}): Decimal(31)}
    bad.write_text("backbone: [\n")
    with pytest.raises(SlaInputError, match="not valid YAML"):
        committed_latencies(bad)
    bad.write_text("- just a list\n")
    with pytest.raises(SlaInputError, match="must be a mapping"):
        committed_latencies(bad)
