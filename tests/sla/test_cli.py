"""``ccv sla`` through click's CliRunner: outputs, errors and exit codes."""

import json
from datetime import UTC, datetime

import pytest

# --- budget ---


@pytest.mark.parametrize(
    ("tier", "month", "minutes", "hmm", "days"),
    [
        ("single-protected", "2026-04", 43.2, "0:43", 30),
        ("single-protected", "2026-03", 44.64, "0:44", 31),
        ("single-unprotected", "2026-02", 201.6, "3:21", 28),
        ("dual-protected", "2024-02", 20.88, "0:20", 29),
        ("highest", "2026-01", 4.464, "0:04", 31),
    ],
)
def test_budget_json(run_json, tier, month, minutes, hmm, days):
    data = run_json("budget", "--tier", tier, "--month", month)
    assert data["month"] == month
    assert data["days"] == days
    assert data["downtime_budget_minutes"] == minutes
    assert data["downtime_budget_hmm"] == hmm


def test_budget_bands_in_a_30_day_month(run_json):
    data = run_json("budget", "--tier", "single-unprotected", "--month", "2026-04")
    bands = data["credit_table"]["bands"]
    assert [
        (b["credit_percent"], b["downtime_more_than_minutes"], b["downtime_at_most_minutes"])
        for b in bands
    ] == [(0, None, 216), (5, 216, 432), (10, 432, 648), (20, 648, None)]
    # the annex's own (rounded, once inconsistent) figure is kept for reference only
    assert "超过8小时" in bands[2]["annex_downtime"]


def test_budget_text(run):
    result = run("budget", "--tier", "single-protected", "--month", "2026-03")
    assert result.exit_code == 0
    assert "Allowed downtime  44.64 min (0:44)" in result.output
    assert "99.5 <= A < 99.9  > 44.64 min (0:44), <= 223.2 min (3:43)  5%" in result.output
    assert "capped at 20%" in result.output


def test_budget_highest_has_budget_but_no_credit_table(run, run_json):
    data = run_json("budget", "--tier", "highest", "--month", "2026-04")
    assert data["downtime_budget_minutes"] == 4.32
    assert data["credit_table"] is None
    assert "per the specific agreement" in data["credit_note"]
    text = run("budget", "--tier", "highest", "--month", "2026-04").output
    assert "per the specific agreement" in text
    assert "specific scenarios" in text


def test_budget_defaults_to_the_current_month_and_prints_it(run_json):
    now = datetime.now(UTC)
    data = run_json("budget", "--tier", "single-protected")
    assert data["month"] in {f"{now.year}-{now.month:02d}", _next_month(now)}


def _next_month(now: datetime) -> str:  # the test may straddle a month boundary
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return f"{year}-{month:02d}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tier", "gold", "--month", "2026-04"], "'gold' is not one of"),
        (["--tier", "highest", "--month", "2026-13"], "is not a month"),
        (["--tier", "highest", "--month", "April"], "YYYY-MM"),
        (["--month", "2026-04"], "Missing option '--tier'"),
    ],
)
def test_budget_usage_errors_exit_2(run, args, message):
    result = run("budget", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# --- credit from an availability ---


@pytest.mark.parametrize(
    ("tier", "availability", "credit"),
    [
        ("single-unprotected", "99.5", 0),
        ("single-unprotected", "99.4999", 5),
        ("single-unprotected", "99.49999999999", 5),
        ("single-unprotected", "98.5", 10),
        ("single-unprotected", "98.4999", 20),
        ("single-protected", "99.9", 0),
        ("single-protected", "99.8999", 5),
        ("dual-protected", "99.95", 0),
        ("dual-protected", "99.9499", 5),
        ("dual-protected", "99", 10),
        ("dual-protected", "0", 20),
    ],
)
def test_credit_from_availability(run_json, tier, availability, credit):
    data = run_json("credit", "--tier", tier, "--availability", availability)
    assert data["credit_percent"] == credit
    assert data["band"]["credit_percent"] == credit


def test_credit_amount_and_text(run, run_json):
    data = run_json(
        "credit", "--tier", "dual-protected", "--availability", "99.93", "--monthly-fee", "1200"
    )
    assert data["band"] == {
        "availability_min": 99.5,
        "availability_below": 99.95,
        "credit_percent": 5,
    }
    assert data["credit_amount"] == 60
    result = run("credit", "--tier", "single-unprotected", "--availability", "99.4999")
    assert result.exit_code == 0
    assert "Band          99.0 <= A < 99.5" in result.output
    assert "Credit        5%" in result.output


def test_credit_highest_says_per_specific_agreement(run, run_json):
    data = run_json("credit", "--tier", "highest", "--availability", "95")
    assert data["credit_percent"] is None
    assert data["band"] is None
    assert data["credit_table_published"] is False
    result = run("credit", "--tier", "highest", "--availability", "95")
    assert result.exit_code == 0
    assert "per the specific agreement" in result.output
    assert "%  of" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--availability", "100.1"], "must be at most 100"),
        (["--availability", "-1"], "must be at least 0"),
        (["--availability", "high"], "is not a number"),
        (["--availability", "NaN"], "not a finite number"),
        ([], "give exactly one of --availability"),
        (["--availability", "99", "--month", "2026-04"], "go with --outages"),
        (["--availability", "99", "--monthly-fee", "-5"], "must be at least 0"),
    ],
)
def test_credit_usage_errors_exit_2(run, args, message):
    result = run("credit", "--tier", "single-protected", *args)
    assert result.exit_code == 2
    assert message in result.output


# --- credit from outage records ---


def test_outage_spanning_two_months_is_clipped(run_json, fixtures):
    path = fixtures / "outages_span.csv"
    feb = run_json("credit", "--tier", "single-protected", "--outages", path, "--month", "2024-02")
    jan = run_json("credit", "--tier", "single-protected", "--outages", path, "--month", "2024-01")
    mar = run_json("credit", "--tier", "single-protected", "--outages", path, "--month", "2024-03")
    [feb_hk], [jan_hk], [mar_hk] = feb["sites"], jan["sites"], mar["sites"]
    assert feb["service_period"]["minutes"] == 41760  # leap February
    assert feb_hk["counted_minutes"] == 120
    assert feb_hk["counted_intervals"][0]["start"] == "2024-02-01T00:00:00Z"
    assert feb_hk["availability"] == 99.7126  # 100 × (1 − 120/41760) = 99.71264…
    assert jan_hk["counted_minutes"] == 60
    assert jan_hk["availability"] == 99.8655  # 100 × (1 − 60/44640) = 99.86559…, truncated
    assert feb_hk["credit_percent"] == 5 and jan_hk["credit_percent"] == 5
    assert mar_hk["counted_minutes"] == 0 and mar_hk["availability"] == 100  # entirely outside


def test_overlapping_outages_count_once(run_json, fixtures):
    data = run_json(
        "credit",
        "--tier",
        "single-protected",
        "--outages",
        fixtures / "outages_overlap.csv",
        "--month",
        "2026-04",
    )
    hk, sg = data["sites"]
    assert hk["site"] == "hk" and hk["counted_outages"] == 3
    assert hk["counted_minutes"] == 180  # 00:00-02:00, 01:00-03:00, 00:00-02:30 → 00:00-03:00
    assert hk["counted_intervals"] == [
        {"start": "2026-04-10T00:00:00Z", "end": "2026-04-10T03:00:00Z", "minutes": 180}
    ]
    assert hk["availability"] == 99.5833
    assert hk["credit_percent"] == 5
    assert sg["counted_minutes"] == 30


def test_excluded_outages_are_listed_separately(run, run_json, fixtures):
    path = fixtures / "outages_excluded.json"
    args = ("credit", "--outages", path, "--month", "2026-04")
    data = run_json(*args, "--tier", "single-protected")
    [hk] = data["sites"]
    assert [e["cause"] for e in hk["excluded"]] == [
        "maintenance",
        "force-majeure",
        "customer",
        "customer-upgrade",
        "suspension",
        "third-party",
    ]
    assert hk["excluded_minutes"] == 11 * 60
    assert hk["counted_minutes"] == 36
    assert hk["availability"] == 99.9166
    assert hk["credit_percent"] == 0  # single-protected: ≥ 99.9
    dual = run_json(*args, "--tier", "dual-protected")
    assert dual["sites"][0]["credit_percent"] == 5  # dual-protected: < 99.95
    text = run(*args, "--tier", "single-protected").output
    assert "Excluded outages, not counted (annex art. 2.3):" in text
    assert "force-majeure" in text


def test_cap_and_amount_per_site(run_json, fixtures):
    path = fixtures / "outages_cap.csv"
    args = ("credit", "--outages", path, "--month", "2026-04", "--monthly-fee", "1000")
    data = run_json(*args, "--tier", "single-unprotected")
    hk, sg = data["sites"]
    assert hk["availability"] == 83.3333  # 5 days down
    assert hk["credit_percent"] == 20 and hk["credit_amount"] == 200
    assert data["credit_cap_percent"] == 20 and data["credit_cap_clause"] == "annex art. 2.4"
    # 216 minutes in a 30-day month is exactly 99.5%: the 0% band of single-unprotected
    assert sg["availability"] == 99.5 and sg["credit_percent"] == 0 and sg["credit_amount"] == 0
    protected = run_json(*args, "--tier", "single-protected")
    assert protected["sites"][1]["credit_percent"] == 5
    assert protected["sites"][1]["credit_amount"] == 50


def test_service_start_shortens_the_period(run_json, fixtures):
    data = run_json(
        "credit",
        "--tier",
        "single-protected",
        "--outages",
        fixtures / "outages_overlap.csv",
        "--month",
        "2026-04",
        "--service-start",
        "2026-04-10T01:00:00+00:00",
    )
    assert data["service_period"] == {
        "start": "2026-04-10T01:00:00Z",
        "end": "2026-05-01T00:00:00Z",
        "minutes": 43200 - 9 * 1440 - 60,
    }
    hk, sg = data["sites"]
    assert hk["counted_minutes"] == 120  # 01:00-03:00; the hour before the start is not counted


def test_highest_tier_from_outages(run, fixtures):
    result = run(
        "credit",
        "--tier",
        "highest",
        "--outages",
        fixtures / "outages_cap.csv",
        "--month",
        "2026-04",
    )
    assert result.exit_code == 0
    assert "per agreement" in result.output
    assert "per the specific agreement" in result.output


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("outages_bad_header.csv", [], "outages_bad_header.csv:1: header lacks column(s) start"),
        ("outages_naive.csv", [], "outages_naive.csv:3: start: '2026-04-02T00:00:00' has no UTC"),
        ("outages_reversed.csv", [], "outages_reversed.csv:4: end 2026-04-03T04:00:00Z is before"),
        ("outages_bad.json", [], "outages_bad.json: entry 1: lacks key(s) cause"),
        ("outages_span.csv", ["--service-start", "2026-05-01"], "after month 2026-04"),
        ("outages_span.csv", ["--service-start", "2026-04-31"], "not a valid date"),
        ("does_not_exist.csv", [], "does not exist"),
    ],
)
def test_outage_input_errors_exit_2_in_one_line(run, fixtures, name, extra, message):
    result = run(
        "credit",
        "--tier",
        "single-protected",
        "--outages",
        fixtures / name,
        "--month",
        "2026-04",
        *extra,
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_outages_need_a_month(run, fixtures):
    result = run("credit", "--tier", "single-protected", "--outages", fixtures / "outages_span.csv")
    assert result.exit_code == 2
    assert "--outages needs --month" in result.output


# --- classify ---


@pytest.mark.parametrize(
    ("measured", "cls", "excess"),
    [
        ("35.2", "normal", 10),
        ("35.21", "degraded", 10.03),
        ("41.6", "deteriorated", 30),
        ("42", "severely-deteriorated", 31.25),
    ],
)
def test_classify_latency(run_json, measured, cls, excess):
    data = run_json("classify", "--committed-latency", "32", "--measured-latency", measured)
    assert data["latency"]["class"] == cls
    assert data["latency"]["excess_percent"] == excess
    assert data["loss"] is None


def test_classify_loss_and_text(run, run_json):
    assert run_json("classify", "--measured-loss", "1")["loss"]["class"] == "meets"
    assert run_json("classify", "--measured-loss", "1.01")["loss"]["class"] == "degraded"
    result = run(
        "classify",
        "--committed-latency",
        "32",
        "--measured-latency",
        "36",
        "--measured-loss",
        "0.4",
    )
    assert result.exit_code == 0
    assert "+12.5% over" in result.output
    assert "degraded" in result.output and "meets" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --committed-latency"),
        (["--committed-latency", "32"], "go together"),
        (["--committed-latency", "0", "--measured-latency", "3"], "greater than 0"),
        # a negative one is told the same: "at least 0" would send the user to 0, refused too
        (["--committed-latency", "-3", "--measured-latency", "3"], "greater than 0"),
        (["--measured-loss", "101"], "at most 100"),
    ],
)
def test_classify_usage_errors(run, args, message):
    result = run("classify", *args)
    assert result.exit_code == 2
    assert message in result.output


# --- measure ---


def test_measure_with_topology(run_json, fixtures):
    data = run_json("measure", fixtures / "probes_runs.csv", "--topology", fixtures / "plan.yaml")
    [pair] = data["pairs"]
    assert (pair["pop_a"], pair["pop_b"], pair["month"]) == ("HKG1", "SIN1", "2026-04")
    assert pair["latency_ms"] == 36.5
    assert pair["loss_percent"] == 0.667
    assert pair["loss_class"] == "meets"
    assert pair["committed_latency_ms"] == 30  # the smaller of two parallel links
    assert pair["latency"]["class"] == "deteriorated"  # +21.67%
    assert pair["latency"]["excess_percent"] == 21.67
    assert (pair["runs_seen"], pair["runs_expected"], pair["runs_missing"]) == (2, 1440, 1438)


def test_measure_pair_without_commitment(run, run_json, fixtures, tmp_path):
    probes = tmp_path / "tyo.csv"
    probes.write_text(
        "timestamp,pop_a,pop_b,size,sent,received,rtt_ms\n"
        "2026-04-01T00:00:00Z,TYO1,HKG1,64,100,100,50\n"
    )
    data = run_json("measure", probes, "--topology", fixtures / "plan.yaml")
    [pair] = data["pairs"]
    assert pair["committed_latency_ms"] is None and pair["latency"] is None
    assert pair["latency_note"].startswith("no committed latency")
    assert pair["incomplete_runs"] == 1
    text = run("measure", probes, "--topology", fixtures / "plan.yaml").output
    assert "no committed latency" in text
    assert "1 run(s) lack a packet size" in text


def test_measure_text_reports_missing_runs_and_late_packets(run, fixtures):
    result = run("measure", fixtures / "probes_late.csv")
    assert result.exit_code == 0
    assert "1/1440" in result.output
    assert "1439 of 1440 runs missing" in result.output
    assert "1 packet(s) answered after the loss threshold" in result.output
    assert "16.667" in result.output  # loss %


def test_measure_month_filter_and_errors(run, run_json, fixtures):
    data = run_json("measure", fixtures / "probes_incomplete.csv", "--month", "2026-02")
    assert [p["month"] for p in data["pairs"]] == ["2026-02"]
    assert data["pairs"][0]["runs_without_reply"] == 1
    empty = run("measure", fixtures / "probes_incomplete.csv", "--month", "2026-07")
    assert empty.exit_code == 2
    assert "no probe records fall in 2026-07" in empty.output
    late = run("measure", fixtures / "probes_aggregate_late.csv")
    assert late.exit_code == 2
    assert "probes_aggregate_late.csv:3" in late.output


# --- every command ---


@pytest.mark.parametrize(
    "args",
    [
        ["budget", "--tier", "dual-protected", "--month", "2026-02"],
        ["credit", "--tier", "dual-protected", "--availability", "99.9"],
        ["classify", "--committed-latency", "10", "--measured-latency", "12"],
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_same_input_same_bytes(run, args, fmt):
    first = run(*args, "--format", fmt)
    second = run(*args, "--format", fmt)
    assert first.exit_code == 0
    assert first.output == second.output
    assert first.output.endswith("\n")
    if fmt == "json":
        assert json.loads(first.output)
        assert first.output.startswith('{\n  "')


def test_outage_json_is_deterministic_and_keeps_unicode(run, fixtures):
    args = [
        "credit",
        "--tier",
        "dual-protected",
        "--outages",
        fixtures / "outages_overlap.csv",
        "--month",
        "2026-04",
        "--format",
        "json",
    ]
    assert run(*args).output == run(*args).output
    assert "骨干侧带保护的双线" in run(*args).output  # ensure_ascii=False


@pytest.mark.parametrize("command", [[], ["budget"], ["credit"], ["classify"], ["measure"]])
def test_help_teaches_with_an_example(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "ccv sla" in result.output


def test_empty_record_files(run, tmp_path):
    outages = tmp_path / "outages.csv"
    outages.write_text("site,start,end,cause\n")
    result = run("credit", "--tier", "dual-protected", "--outages", outages, "--month", "2026-04")
    assert result.exit_code == 0
    assert "No outage records" in result.output
    probes = tmp_path / "probes.csv"
    probes.write_text("timestamp,pop_a,pop_b,size,sent,received,rtt_ms\n")
    result = run("measure", probes)
    assert result.exit_code == 2
    assert "no probe records" in result.output


@pytest.mark.parametrize("month", ["0000-02", "9999-12"])
def test_months_a_calendar_cannot_count_are_usage_errors(run, tmp_path, month):
    # 9999-12 ended in "internal error: OverflowError"; 0000-02 blamed --service-start
    outages = tmp_path / "outages.csv"
    outages.write_text("site,start,end,cause\n")
    result = run("credit", "--tier", "dual-protected", "--outages", outages, "--month", month)
    assert result.exit_code == 2
    assert "'--month'" in result.output and "service-start" not in result.output
