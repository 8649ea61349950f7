"""``ccv sla``: the service agreement's SLA arithmetic as commands.

The main CLI adds this group with ``from validator.sla.cli import sla`` and
``cli.add_command(sla)``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from validator.sla import arithmetic as ar
from validator.sla import tables
from validator.sla.errors import SlaInputError
from validator.sla.measure import PairMonth, monthly
from validator.sla.plan import committed_latencies
from validator.sla.records import (
    parse_decimal,
    parse_month,
    parse_service_start,
    read_outages,
    read_probes,
)

# --- option helpers -----------------------------------------------------------------


def _format_option(func: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format. json is deterministic (fixed key order, 2-space indent).",
    )(func)


def _tier_option(func: Callable) -> Callable:
    return click.option(
        "--tier",
        "tier_id",
        required=True,
        type=click.Choice(tables.tier_ids()),
        help="Protection tier: single-unprotected (99.5), single-protected (99.9), "
        "dual-protected (99.95) or highest (99.99). Example: --tier dual-protected",
    )(func)


def _month_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _decimal_callback(what: str, low: Decimal | None = None, high: Decimal | None = None):
    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Decimal | None:
        if value is None:
            return None
        try:
            number = parse_decimal(value, what, low=low)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        if high is not None and number > high:
            raise click.BadParameter(f"{what} {value!r} must be at most {high}")
        return number

    return callback


def _service_start_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_service_start(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)

# --- output helpers -----------------------------------------------------------------


def _num(
    value: Decimal | Fraction | int | None, places: int = 4, *, floor: bool = False
) -> int | float | None:
    """A number for JSON: exact when it fits ``places`` decimals, else rounded (half-up,
    or truncated with ``floor`` so a value below a band edge never shows as the edge)."""
    if value is None:
        return None
    dec = ar.floor_decimal(value, places) if floor else ar.to_decimal(value, places)
    return int(dec) if dec == dec.to_integral_value() else float(dec)


def _txt(value: Decimal | Fraction | int, places: int = 4) -> str:
    return str(ar.to_decimal(value, places))


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Rows as left-aligned columns separated by two spaces; ``header`` None: no header."""
    every = rows if header is None else [header, *rows]
    widths = [max(len(str(r[i])) for r in every) for i in range(len(every[0]))]
    lines = []
    for row in every:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append((indent + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _band_text(band: tables.CreditBand) -> str:
    if band.max_availability is None:
        return f"A >= {band.min_availability}"
    if band.min_availability == 0:
        return f"A < {band.max_availability}"
    return f"{band.min_availability} <= A < {band.max_availability}"


def _band_json(band: tables.CreditBand) -> dict[str, Any]:
    return {
        "availability_min": _num(band.min_availability),
        "availability_below": _num(band.max_availability),
        "credit_percent": _num(band.credit_percent),
    }


def _minutes_text(minutes: Fraction) -> str:
    return f"{_txt(minutes)} min ({ar.format_hmm(minutes)})"


# --- the group ----------------------------------------------------------------------


@click.group(name="sla")
def sla() -> None:
    """The service agreement's SLA arithmetic: downtime budgets, credits, latency and
    loss classes, monthly figures from outage and probe records.

    Every figure comes from the agreement's SLA annex (validator/data/sla.yaml cites the
    clause of each). Months are calendar months in UTC.

    \b
    Examples:
      ccv sla budget --tier single-protected --month 2026-02
      ccv sla credit --tier dual-protected --availability 99.93
      ccv sla credit --tier single-protected --outages outages.csv --month 2026-02
      ccv sla classify --committed-latency 32 --measured-latency 36.1 --measured-loss 0.4
      ccv sla measure probes.csv --topology plan.yaml
    """


# --- budget -------------------------------------------------------------------------


@sla.command()
@_tier_option
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="Calendar month (UTC) to compute for; default: the current month. "
    "Example: --month 2024-02 (a leap February: 29 days).",
)
@_format_option
def budget(tier_id: str, month: tuple[int, int] | None, fmt: str) -> None:
    """Allowed downtime of a tier in a month, and the downtime range of each credit band.

    Budget = minutes of the month × (100 − committed availability) / 100, computed from
    the real month length (the annex's hour figures are rounded, for reference only).

    \b
    Example:
      ccv sla budget --tier single-protected --month 2026-03
      → 44.64 min (0:44) in a 31-day month
    """
    if month is None:
        now = datetime.now(UTC)
        month = (now.year, now.month)
    year, mon = month
    entry = tables.tier(tier_id)
    minutes = ar.month_minutes(year, mon)
    allowed = ar.downtime_budget(entry.committed, minutes)
    table = tables.credit_table(tier_id)
    cap, cap_clause = tables.credit_cap()
    bands = []
    if table is not None:
        for band in table.bands:
            more_than, at_most = ar.band_downtime(band, minutes)
            bands.append((band, more_than, at_most))
    label = f"{year}-{mon:02d}"
    if fmt == "json":
        _emit_json(
            {
                "tier": tier_id,
                "scenario": entry.scenario,
                "availability": _num(entry.committed),
                "availability_clause": entry.clause,
                "special_scenario": entry.special_scenario,
                "month": label,
                "days": minutes // 1440,
                "month_minutes": minutes,
                "downtime_budget_minutes": _num(allowed),
                "downtime_budget_hmm": ar.format_hmm(allowed),
                "credit_table": None
                if table is None
                else {
                    "clause": table.clause,
                    "bands": [
                        {
                            **_band_json(band),
                            "downtime_more_than_minutes": _num(more_than),
                            "downtime_at_most_minutes": None
                            if band.min_availability == 0
                            else _num(at_most),
                            "annex_downtime": band.annex_downtime,
                        }
                        for band, more_than, at_most in bands
                    ],
                },
                "credit_note": tables.no_credit_table_note() if table is None else None,
                "credit_cap_percent": _num(cap),
                "credit_cap_clause": cap_clause,
            }
        )
        return
    out = [
        _table(
            None,
            [
                ["Tier", f"{tier_id}: {entry.scenario}"],
                ["Committed", f"{entry.committed}% POP access-port availability ({entry.clause})"],
                ["Month", f"{label} ({minutes // 1440} days, {minutes} min)"],
                ["Allowed downtime", _minutes_text(allowed)],
            ],
        )
    ]
    if entry.special_scenario:
        out.append(
            "Note: this tier is a commitment for specific scenarios, agreed with the carrier."
        )
    out.append("")
    if table is None:
        out.append(f"Credit: {tables.no_credit_table_note()}.")
    else:
        rows = []
        for band, more_than, at_most in bands:
            if more_than is None:
                downtime = f"<= {_minutes_text(at_most)}"
            elif band.min_availability == 0:
                downtime = f"> {_minutes_text(more_than)}"
            else:
                downtime = f"> {_minutes_text(more_than)}, <= {_minutes_text(at_most)}"
            rows.append([_band_text(band), downtime, f"{band.credit_percent}%"])
        out.append(f"Credit bands ({table.clause}):")
        out.append(_table(["availability A %", f"downtime in {label}", "credit"], rows, "  "))
    out.append(
        f"All credits of one site in one month are capped at {cap}% of its monthly fee "
        f"({cap_clause})."
    )
    click.echo("\n".join(out))


# --- credit -------------------------------------------------------------------------


@sla.command()
@_tier_option
@click.option(
    "--availability",
    metavar="PERCENT",
    callback=_decimal_callback("availability", Decimal(0), Decimal(100)),
    help="Measured monthly availability in percent, read exactly (99.5 is in the 0% band "
    "of single-unprotected, 99.4999 in the 5% band). Example: --availability 99.93",
)
@click.option(
    "--outages",
    type=_FILE,
    metavar="FILE",
    help="Outage records, CSV with header site,start,end,cause or a JSON list of such "
    "objects; times ISO 8601 with offset or Z. Causes maintenance, force-majeure, customer, "
    "customer-upgrade, suspension, third-party are excluded (annex art. 2.3). "
    "Example: --outages outages.csv --month 2026-02",
)
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="With --outages (required there): the calendar month (UTC) to assess. "
    "Outages are clipped to it. Example: --month 2026-02",
)
@click.option(
    "--service-start",
    callback=_service_start_callback,
    metavar="DATE",
    help="With --outages: the service start date; when inside the month, the service "
    "period (and the availability denominator) starts there. YYYY-MM-DD means midnight "
    "UTC; a date-time needs an offset. Example: --service-start 2026-02-10",
)
@click.option(
    "--monthly-fee",
    callback=_decimal_callback("monthly fee", Decimal(0)),
    metavar="AMOUNT",
    help="Monthly fee of one site, in any currency; the credit amount is shown, rounded "
    "half-up to 0.01. Example: --monthly-fee 1200",
)
@_format_option
def credit(
    tier_id: str,
    availability: Decimal | None,
    outages: Path | None,
    month: tuple[int, int] | None,
    service_start: datetime | None,
    monthly_fee: Decimal | None,
    fmt: str,
) -> None:
    """Credit band and percentage for a measured availability, or per site from outages.

    Give either --availability, or --outages with --month. From outages: per site,
    overlapping outages count once, outages are clipped to the month (and the service
    start), excluded causes are listed apart, the band is decided on the exact
    availability, and the credit is capped at 20% per site per month (annex art. 2.4).
    The highest tier has no published credit table: the credit is per the specific
    agreement.

    \b
    Examples:
      ccv sla credit --tier single-unprotected --availability 99.4999
      ccv sla credit --tier single-protected --outages outages.csv --month 2026-02 \\
          --service-start 2026-02-10 --monthly-fee 1200
    """
    if (availability is None) == (outages is None):
        raise click.UsageError("give exactly one of --availability PERCENT or --outages FILE")
    if availability is not None:
        if month is not None or service_start is not None:
            raise click.UsageError(
                "--month and --service-start go with --outages, not --availability"
            )
        _credit_for_availability(tier_id, availability, monthly_fee, fmt)
        return
    if month is None:
        raise click.UsageError("--outages needs --month YYYY-MM (the month to assess)")
    assert outages is not None
    _credit_for_outages(tier_id, outages, month, service_start, monthly_fee, fmt)


def _credit_figures(tier_id: str, value: Decimal | Fraction, fee: Decimal | None) -> dict[str, Any]:
    band = ar.credit_band(tier_id, value)
    if band is None:
        return {"band": None, "credit_percent": None, "capped": False, "amount": None}
    _total, capped, was_capped = ar.capped_credit([band.credit_percent])
    amount = None if fee is None else ar.credit_amount(fee, capped)
    return {"band": band, "credit_percent": capped, "capped": was_capped, "amount": amount}


def _credit_for_availability(
    tier_id: str, availability: Decimal, fee: Decimal | None, fmt: str
) -> None:
    entry = tables.tier(tier_id)
    table = tables.credit_table(tier_id)
    figures = _credit_figures(tier_id, availability, fee)
    band = figures["band"]
    cap, cap_clause = tables.credit_cap()
    if fmt == "json":
        _emit_json(
            {
                "tier": tier_id,
                "committed_availability": _num(entry.committed),
                "availability": _num(availability, 10, floor=True),
                "credit_table_published": table is not None,
                "clause": table.clause if table else tables.no_credit_table_note(),
                "band": None if band is None else _band_json(band),
                "credit_percent": _num(figures["credit_percent"]),
                "credit_cap_percent": _num(cap),
                "credit_cap_clause": cap_clause,
                "monthly_fee": None if fee is None else _num(fee, 2),
                "credit_amount": None if figures["amount"] is None else _num(figures["amount"], 2),
            }
        )
        return
    rows = [
        ["Tier", f"{tier_id} (committed {entry.committed}%)"],
        ["Availability", f"{availability}%"],
    ]
    if band is None:
        rows.append(["Credit", tables.no_credit_table_note()])
    else:
        rows.append(["Band", f"{_band_text(band)} ({table.clause if table else ''})"])
        rows.append(
            [
                "Credit",
                f"{figures['credit_percent']}% of the site's monthly fee "
                f"(cap {cap}%, {cap_clause})",
            ]
        )
        if figures["amount"] is not None:
            rows.append(["Amount", f"{figures['amount']} (monthly fee {fee})"])
    click.echo(_table(None, rows))


def _credit_for_outages(
    tier_id: str,
    path: Path,
    month: tuple[int, int],
    service_start: datetime | None,
    fee: Decimal | None,
    fmt: str,
) -> None:
    year, mon = month
    try:
        period = ar.service_period(year, mon, service_start)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--service-start") from None
    records = read_outages(path)
    by_site: dict[str, list[ar.Outage]] = defaultdict(list)
    for outage in records:
        by_site[outage.site].append(outage)
    entry = tables.tier(tier_id)
    table = tables.credit_table(tier_id)
    cap, cap_clause = tables.credit_cap()
    results = []
    for site in sorted(by_site):
        result = ar.site_availability(site, by_site[site], period)
        results.append((result, _credit_figures(tier_id, result.availability, fee)))
    label = f"{year}-{mon:02d}"
    period_minutes = ar.minutes_of(period[1] - period[0])
    if fmt == "json":
        _emit_json(
            {
                "tier": tier_id,
                "committed_availability": _num(entry.committed),
                "month": label,
                "service_period": {
                    "start": _iso(period[0]),
                    "end": _iso(period[1]),
                    "minutes": _num(period_minutes),
                },
                "credit_table_published": table is not None,
                "clause": table.clause if table else tables.no_credit_table_note(),
                "exclusions_clause": tables.exclusions_clause(),
                "credit_cap_percent": _num(cap),
                "credit_cap_clause": cap_clause,
                "monthly_fee": None if fee is None else _num(fee, 2),
                "sites": [_site_json(result, figures) for result, figures in results],
            }
        )
        return
    out = [
        f"Credit for {label}, tier {tier_id} (committed {entry.committed}%), from {path}",
        f"Service period {_iso(period[0])} .. {_iso(period[1])} ({_txt(period_minutes)} min)",
        "",
    ]
    rows = []
    for result, figures in results:
        band = figures["band"]
        rows.append(
            [
                result.site,
                _txt(result.counted_minutes),
                str(ar.floor_decimal(result.availability, 4)),
                "-" if band is None else _band_text(band),
                "per agreement" if band is None else f"{figures['credit_percent']}%",
                "-" if figures["amount"] is None else str(figures["amount"]),
            ]
        )
    if rows:
        out.append(
            _table(["site", "counted min", "availability %", "band", "credit", "amount"], rows)
        )
    else:
        out.append("No outage records: no site lost availability (100%, no credit).")
    excluded = [(r.site, o) for r, _f in results for o in r.excluded]
    if excluded:
        out += ["", f"Excluded outages, not counted ({tables.exclusions_clause()}):"]
        out.append(
            _table(
                ["site", "start", "end", "min", "cause", "record"],
                [
                    [
                        site,
                        _iso(o.start),
                        _iso(o.end),
                        _txt(ar.minutes_of(o.end - o.start)),
                        o.cause,
                        o.origin,
                    ]
                    for site, o in excluded
                ],
                "  ",
            )
        )
    out.append("")
    if table is None:
        out.append(f"Credit: {tables.no_credit_table_note()}.")
    else:
        out.append(
            f"Bands: {table.clause}. Availability shown truncated to 4 decimals; "
            "the band is decided on the exact value."
        )
    out.append(f"Credits of one site in one month are capped at {cap}% ({cap_clause}).")
    click.echo("\n".join(out))


def _site_json(result: ar.SiteAvailability, figures: dict[str, Any]) -> dict[str, Any]:
    band = figures["band"]
    return {
        "site": result.site,
        "counted_outages": result.counted_outages,
        "counted_intervals": [
            {"start": _iso(s), "end": _iso(e), "minutes": _num(ar.minutes_of(e - s))}
            for s, e in result.counted
        ],
        "counted_minutes": _num(result.counted_minutes),
        "excluded": [
            {
                "start": _iso(o.start),
                "end": _iso(o.end),
                "minutes": _num(ar.minutes_of(o.end - o.start)),
                "cause": o.cause,
                "record": o.origin,
            }
            for o in result.excluded
        ],
        "excluded_minutes": _num(result.excluded_minutes),
        "availability": _num(ar.floor_decimal(result.availability, 4)),
        "band": None if band is None else _band_json(band),
        "credit_percent": _num(figures["credit_percent"]),
        "capped": figures["capped"],
        "credit_amount": None if figures["amount"] is None else _num(figures["amount"], 2),
    }


# --- classify -----------------------------------------------------------------------


@sla.command()
@click.option(
    "--committed-latency",
    metavar="MS",
    callback=_decimal_callback("committed latency", Decimal(0)),
    help="The PoP-PoP latency the carrier commits, in ms (with --measured-latency). "
    "Example: --committed-latency 32",
)
@click.option(
    "--measured-latency",
    metavar="MS",
    callback=_decimal_callback("measured latency", Decimal(0)),
    help="Monthly average PoP-PoP latency measured, in ms. Example: --measured-latency 36.1",
)
@click.option(
    "--measured-loss",
    metavar="PERCENT",
    callback=_decimal_callback("measured loss", Decimal(0), Decimal(100)),
    help="Monthly average PoP-PoP packet loss, in percent (1 = 1%). Example: --measured-loss 0.4",
)
@_format_option
def classify(
    committed_latency: Decimal | None,
    measured_latency: Decimal | None,
    measured_loss: Decimal | None,
    fmt: str,
) -> None:
    """Latency class and packet-loss class of monthly averages (annex art. 2.2(2), (3)).

    Latency: excess over the commitment ≤ 10% normal, (10, 20] degraded, (20, 30]
    deteriorated, > 30 severely deteriorated. Loss: ≤ 1% meets the commitment, above it
    is degraded. Give the latency pair, the loss, or both.

    \b
    Example:
      ccv sla classify --committed-latency 32 --measured-latency 36 --measured-loss 1.2
      → latency +12.5%: degraded; loss 1.2%: degraded
    """
    if (committed_latency is None) != (measured_latency is None):
        raise click.UsageError("--committed-latency and --measured-latency go together")
    if committed_latency is None and measured_loss is None:
        raise click.UsageError(
            "give --committed-latency MS --measured-latency MS, --measured-loss PERCENT, or both"
        )
    if committed_latency is not None and committed_latency == 0:
        raise click.BadParameter("must be greater than 0", param_hint="--committed-latency")
    latency = None
    if committed_latency is not None and measured_latency is not None:
        latency = _latency_json(committed_latency, measured_latency)
    loss = None if measured_loss is None else _loss_json(measured_loss)
    if fmt == "json":
        _emit_json({"latency": latency, "loss": loss})
        return
    rows = []
    if latency is not None:
        rows.append(
            [
                "Latency",
                f"measured {measured_latency} ms vs committed {committed_latency} ms: "
                f"{_signed(latency['excess_percent'])}% over",
                f"{latency['class']}: {latency['label']}",
                latency["clause"],
            ]
        )
    if loss is not None:
        rows.append(
            [
                "Loss",
                f"measured {measured_loss}% vs committed <= {loss['committed_max_percent']}%",
                loss["class"],
                loss["clause"],
            ]
        )
    click.echo(_table(["", "figures", "class", "clause"], rows))


def _signed(value: float | int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _latency_json(committed: Decimal | Fraction, measured: Decimal | Fraction) -> dict[str, Any]:
    cls = ar.latency_class(committed, measured)
    return {
        "committed_ms": _num(committed, 3),
        "measured_ms": _num(measured, 3),
        "excess_percent": _num(ar.latency_excess_percent(committed, measured), 2),
        "class": cls.id,
        "label": cls.label,
        "clause": tables.latency_clause(),
    }


def _loss_json(loss: Decimal | Fraction) -> dict[str, Any]:
    threshold, clause = tables.loss_threshold()
    return {
        "measured_percent": _num(loss, 3),
        "committed_max_percent": _num(threshold),
        "class": ar.loss_class(loss),
        "clause": clause,
    }


# --- measure ------------------------------------------------------------------------


@sla.command()
@click.argument("probes", type=_FILE, metavar="FILE")
@click.option(
    "--topology",
    type=_FILE,
    metavar="PLAN",
    help="Topology plan (YAML/JSON, SPEC §2); each pair's latency is classified against "
    "the latency_ms of the backbone link joining the two POPs (the smallest when several "
    "do). Example: --topology plan.yaml",
)
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="Only this calendar month (UTC); default: every month the records cover. "
    "Example: --month 2026-02",
)
@_format_option
def measure(probes: Path, topology: Path | None, month: tuple[int, int] | None, fmt: str) -> None:
    """Monthly PoP-PoP latency and loss per POP pair from raw probe records.

    FILE is CSV with header timestamp,pop_a,pop_b,size,sent,received,rtt_ms[,rtt_max_ms]:
    one row per packet (sent=1, received 0/1, rtt_ms of the reply) or per ping run of one
    size (sent=100, received=replies, rtt_ms=mean RTT of the replies, as ping's summary
    prints). A reply over 2000 ms counts as lost. Rows are grouped into runs by POP pair
    (either order) and 30-minute slot; a run's figure is the mean over the sizes 64, 128,
    512; the month's is the mean over its runs. Runs seen and expected are reported.

    \b
    Example:
      ccv sla measure examples/sla/probes.csv --topology examples/sla/plan.yaml
    """
    records = read_probes(probes)
    if not records:
        raise SlaInputError(str(probes), "no probe records", "add rows under the header")
    figures = monthly(records, month)
    if month is not None and not figures:
        raise SlaInputError(
            str(probes),
            f"no probe records fall in {month[0]}-{month[1]:02d}",
            "check --month or the timestamps",
        )
    committed = committed_latencies(topology) if topology is not None else None
    method = tables.measurement()
    pairs = [_pair_json(item, committed) for item in figures]
    if fmt == "json":
        _emit_json(
            {
                "method": {
                    "packet_sizes": list(method.packet_sizes),
                    "packets_per_size": method.packets_per_size,
                    "interval_minutes": method.interval_minutes,
                    "loss_rtt_ms": _num(method.loss_rtt_ms),
                    "clause": method.clause,
                },
                "topology": None if topology is None else str(topology),
                "pairs": pairs,
            }
        )
        return
    sizes = ", ".join(str(s) for s in method.packet_sizes)
    out = [
        f"Method: {method.packets_per_size} pings of each of {sizes} bytes every "
        f"{method.interval_minutes} min; no reply or RTT > {method.loss_rtt_ms} ms is lost "
        f"({method.clause})",
        "",
    ]
    rows = []
    notes = []
    for item in pairs:
        latency = item["latency"]
        rows.append(
            [
                item["month"],
                f"{item['pop_a']}-{item['pop_b']}",
                f"{item['runs_seen']}/{item['runs_expected']}",
                "-" if item["latency_ms"] is None else str(item["latency_ms"]),
                str(item["loss_percent"]),
                item["loss_class"],
                _committed_text(item, committed),
                "-" if latency is None else f"{_signed(latency['excess_percent'])}",
                "-" if latency is None else latency["class"],
            ]
        )
        notes += _pair_notes(item)
    out.append(
        _table(
            [
                "month",
                "pair",
                "runs",
                "latency ms",
                "loss %",
                "loss class",
                "committed ms",
                "excess %",
                "latency class",
            ],
            rows,
        )
    )
    if notes:
        out += ["", "Notes:", *(f"  {note}" for note in notes)]
    click.echo("\n".join(out))


def _committed_text(item: dict[str, Any], committed: dict | None) -> str:
    if committed is None:
        return "-"
    if item["committed_latency_ms"] is None:
        return "no committed latency"
    return str(item["committed_latency_ms"])


def _pair_notes(item: dict[str, Any]) -> list[str]:
    where = f"{item['month']} {item['pop_a']}-{item['pop_b']}"
    notes = []
    if item["runs_missing"]:
        notes.append(
            f"{where}: {item['runs_missing']} of {item['runs_expected']} runs missing "
            "(not invented: the figures are the mean of the runs seen)"
        )
    if item["incomplete_runs"]:
        notes.append(
            f"{where}: {item['incomplete_runs']} run(s) lack a packet size; "
            "their mean uses the sizes present"
        )
    if item["runs_without_reply"]:
        notes.append(
            f"{where}: {item['runs_without_reply']} run(s) got no reply at all "
            "(100% loss; no latency)"
        )
    if item["late_packets"]:
        notes.append(
            f"{where}: {item['late_packets']} packet(s) answered after the loss threshold, "
            "counted as lost"
        )
    return notes


def _pair_json(item: PairMonth, committed: dict | None) -> dict[str, Any]:
    latency_ms = item.latency_ms
    commit = None if committed is None else committed.get(frozenset(item.pair))
    return {
        "month": f"{item.year}-{item.month:02d}",
        "pop_a": item.pair[0],
        "pop_b": item.pair[1],
        "runs_seen": item.runs_seen,
        "runs_expected": item.runs_expected,
        "runs_missing": item.runs_missing,
        "incomplete_runs": item.incomplete_runs,
        "runs_without_reply": item.runs_without_reply,
        "late_packets": item.late_packets,
        "latency_ms": _num(latency_ms, 3),
        "loss_percent": _num(item.loss_percent, 3),
        "loss_class": ar.loss_class(item.loss_percent),
        "committed_latency_ms": _num(commit, 3),
        "latency_note": None
        if committed is None or commit is not None
        else "no committed latency: the plan has no backbone link with latency_ms "
        "between these POPs",
        "latency": None
        if commit is None or latency_ms is None or commit == 0
        else _latency_json(commit, latency_ms),
    }
