"""``ccv sla`` output: each typed result of :mod:`validator.sla.results` as text or JSON.

Renderers decide nothing: they format what a result holds. JSON is deterministic
(fixed key order, 2-space indent); numbers are exact when they fit, else rounded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from validator.sla import arithmetic as ar
from validator.sla import tables
from validator.sla.results import (
    AvailabilityCredit,
    Credit,
    LatencyFigures,
    LossFigures,
    Measurement,
    OutageCredit,
    PairFigures,
    TierBudget,
)


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


def to_json(data: Any) -> str:
    """``data`` as the JSON ``ccv sla`` prints (2-space indent, UTF-8 kept)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


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


def _signed(value: float | int) -> str:
    return f"+{value}" if value > 0 else str(value)


# --- budget -------------------------------------------------------------------------


def budget_json(found: TierBudget) -> dict[str, Any]:
    """``ccv sla budget --format json``."""
    entry, table = found.tier, found.table
    return {
        "tier": found.tier_id,
        "scenario": entry.scenario,
        "availability": _num(entry.committed),
        "availability_clause": entry.clause,
        "special_scenario": entry.special_scenario,
        "month": found.label,
        "days": found.minutes // 1440,
        "month_minutes": found.minutes,
        "downtime_budget_minutes": _num(found.allowed),
        "downtime_budget_hmm": ar.format_hmm(found.allowed),
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
                for band, more_than, at_most in found.bands
            ],
        },
        "credit_note": tables.no_credit_table_note() if table is None else None,
        "credit_cap_percent": _num(found.cap),
        "credit_cap_clause": found.cap_clause,
    }


def budget_text(found: TierBudget) -> str:
    """``ccv sla budget``."""
    entry, label, minutes = found.tier, found.label, found.minutes
    out = [
        _table(
            None,
            [
                ["Tier", f"{found.tier_id}: {entry.scenario}"],
                ["Committed", f"{entry.committed}% POP access-port availability ({entry.clause})"],
                ["Month", f"{label} ({minutes // 1440} days, {minutes} min)"],
                ["Allowed downtime", _minutes_text(found.allowed)],
            ],
        )
    ]
    if entry.special_scenario:
        out.append(
            "Note: this tier is a commitment for specific scenarios, agreed with the carrier."
        )
    out.append("")
    if found.table is None:
        out.append(f"Credit: {tables.no_credit_table_note()}.")
    else:
        rows = []
        for band, more_than, at_most in found.bands:
            if more_than is None:
                downtime = f"<= {_minutes_text(at_most)}"
            elif band.min_availability == 0:
                downtime = f"> {_minutes_text(more_than)}"
            else:
                downtime = f"> {_minutes_text(more_than)}, <= {_minutes_text(at_most)}"
            rows.append([_band_text(band), downtime, f"{band.credit_percent}%"])
        out.append(f"Credit bands ({found.table.clause}):")
        out.append(_table(["availability A %", f"downtime in {label}", "credit"], rows, "  "))
    out.append(
        f"All credits of one site in one month are capped at {found.cap}% of its monthly fee "
        f"({found.cap_clause})."
    )
    return "\n".join(out)


# --- credit -------------------------------------------------------------------------


def availability_credit_json(found: AvailabilityCredit) -> dict[str, Any]:
    """``ccv sla credit --availability … --format json``."""
    credit, table, fee = found.credit, found.table, found.fee
    return {
        "tier": found.tier_id,
        "committed_availability": _num(found.tier.committed),
        "availability": _num(found.availability, 10, floor=True),
        "credit_table_published": table is not None,
        "clause": table.clause if table else tables.no_credit_table_note(),
        "band": None if credit.band is None else _band_json(credit.band),
        "credit_percent": _num(credit.percent),
        "credit_cap_percent": _num(found.cap),
        "credit_cap_clause": found.cap_clause,
        "monthly_fee": None if fee is None else _num(fee, 2),
        "credit_amount": None if credit.amount is None else _num(credit.amount, 2),
    }


def availability_credit_text(found: AvailabilityCredit) -> str:
    """``ccv sla credit --availability …``."""
    credit, table = found.credit, found.table
    rows = [
        ["Tier", f"{found.tier_id} (committed {found.tier.committed}%)"],
        ["Availability", f"{found.availability}%"],
    ]
    if credit.band is None:
        rows.append(["Credit", tables.no_credit_table_note()])
    else:
        rows.append(["Band", f"{_band_text(credit.band)} ({table.clause if table else ''})"])
        rows.append(
            [
                "Credit",
                f"{credit.percent}% of the site's monthly fee "
                f"(cap {found.cap}%, {found.cap_clause})",
            ]
        )
        if credit.amount is not None:
            rows.append(["Amount", f"{credit.amount} (monthly fee {found.fee})"])
    return _table(None, rows)


def _site_json(result: ar.SiteAvailability, credit: Credit) -> dict[str, Any]:
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
        "band": None if credit.band is None else _band_json(credit.band),
        "credit_percent": _num(credit.percent),
        "capped": credit.capped,
        "credit_amount": None if credit.amount is None else _num(credit.amount, 2),
    }


def outage_credit_json(found: OutageCredit) -> dict[str, Any]:
    """``ccv sla credit --outages … --format json``."""
    table, fee = found.table, found.fee
    return {
        "tier": found.tier_id,
        "committed_availability": _num(found.tier.committed),
        "month": found.label,
        "service_period": {
            "start": _iso(found.period[0]),
            "end": _iso(found.period[1]),
            "minutes": _num(found.period_minutes),
        },
        "credit_table_published": table is not None,
        "clause": table.clause if table else tables.no_credit_table_note(),
        "exclusions_clause": tables.exclusions_clause(),
        "credit_cap_percent": _num(found.cap),
        "credit_cap_clause": found.cap_clause,
        "monthly_fee": None if fee is None else _num(fee, 2),
        "sites": [_site_json(result, credit) for result, credit in found.sites],
    }


def outage_credit_text(found: OutageCredit) -> str:
    """``ccv sla credit --outages …``."""
    period = found.period
    out = [
        f"Credit for {found.label}, tier {found.tier_id} (committed {found.tier.committed}%), "
        f"from {found.source}",
        f"Service period {_iso(period[0])} .. {_iso(period[1])} ({_txt(found.period_minutes)} min)",
        "",
    ]
    rows = []
    for result, credit in found.sites:
        band = credit.band
        rows.append(
            [
                result.site,
                _txt(result.counted_minutes),
                str(ar.floor_decimal(result.availability, 4)),
                "-" if band is None else _band_text(band),
                "per agreement" if band is None else f"{credit.percent}%",
                "-" if credit.amount is None else str(credit.amount),
            ]
        )
    if rows:
        out.append(
            _table(["site", "counted min", "availability %", "band", "credit", "amount"], rows)
        )
    else:
        out.append("No outage records: no site lost availability (100%, no credit).")
    excluded = [(r.site, o) for r, _c in found.sites for o in r.excluded]
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
    if found.table is None:
        out.append(f"Credit: {tables.no_credit_table_note()}.")
    else:
        out.append(
            f"Bands: {found.table.clause}. Availability shown truncated to 4 decimals; "
            "the band is decided on the exact value."
        )
    out.append(f"Credits of one site in one month are capped at {found.cap}% ({found.cap_clause}).")
    return "\n".join(out)


# --- classify -----------------------------------------------------------------------


def latency_json(found: LatencyFigures) -> dict[str, Any]:
    """A latency classification as JSON."""
    return {
        "committed_ms": _num(found.committed, 3),
        "measured_ms": _num(found.measured, 3),
        "excess_percent": _num(found.excess_percent, 2),
        "class": found.latency_class.id,
        "label": found.latency_class.label,
        "clause": found.clause,
    }


def loss_json(found: LossFigures) -> dict[str, Any]:
    """A loss classification as JSON."""
    return {
        "measured_percent": _num(found.measured, 3),
        "committed_max_percent": _num(found.threshold),
        "class": found.loss_class,
        "clause": found.clause,
    }


def classify_json(latency: LatencyFigures | None, loss: LossFigures | None) -> dict[str, Any]:
    """``ccv sla classify --format json``."""
    return {
        "latency": None if latency is None else latency_json(latency),
        "loss": None if loss is None else loss_json(loss),
    }


def classify_text(latency: LatencyFigures | None, loss: LossFigures | None) -> str:
    """``ccv sla classify``."""
    rows = []
    if latency is not None:
        figures = latency_json(latency)
        rows.append(
            [
                "Latency",
                f"measured {latency.measured} ms vs committed {latency.committed} ms: "
                f"{_signed(figures['excess_percent'])}% over",
                f"{figures['class']}: {figures['label']}",
                figures["clause"],
            ]
        )
    if loss is not None:
        figures = loss_json(loss)
        rows.append(
            [
                "Loss",
                f"measured {loss.measured}% vs committed <= {figures['committed_max_percent']}%",
                figures["class"],
                figures["clause"],
            ]
        )
    return _table(["", "figures", "class", "clause"], rows)


# --- measure ------------------------------------------------------------------------


def _pair_json(pair: PairFigures, with_topology: bool) -> dict[str, Any]:
    item, commit = pair.item, pair.committed
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
        "latency_ms": _num(item.latency_ms, 3),
        "loss_percent": _num(item.loss_percent, 3),
        "loss_class": ar.loss_class(item.loss_percent),
        "committed_latency_ms": _num(commit, 3),
        "latency_note": None
        if not with_topology or commit is not None
        else "no committed latency: the plan has no backbone link with latency_ms "
        "between these POPs",
        "latency": None if pair.latency is None else latency_json(pair.latency),
    }


def measurement_json(found: Measurement) -> dict[str, Any]:
    """``ccv sla measure --format json``."""
    method = found.method
    with_topology = found.topology is not None
    return {
        "method": {
            "packet_sizes": list(method.packet_sizes),
            "packets_per_size": method.packets_per_size,
            "interval_minutes": method.interval_minutes,
            "loss_rtt_ms": _num(method.loss_rtt_ms),
            "clause": method.clause,
        },
        "topology": None if found.topology is None else str(found.topology),
        "pairs": [_pair_json(pair, with_topology) for pair in found.pairs],
    }


def _committed_text(item: dict[str, Any], with_topology: bool) -> str:
    if not with_topology:
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


def measurement_text(found: Measurement) -> str:
    """``ccv sla measure``."""
    method = found.method
    with_topology = found.topology is not None
    sizes = ", ".join(str(s) for s in method.packet_sizes)
    out = [
        f"Method: {method.packets_per_size} pings of each of {sizes} bytes every "
        f"{method.interval_minutes} min; no reply or RTT > {method.loss_rtt_ms} ms is lost "
        f"({method.clause})",
        "",
    ]
    rows = []
    notes = []
    for pair in found.pairs:
        item = _pair_json(pair, with_topology)
        latency = item["latency"]
        rows.append(
            [
                item["month"],
                f"{item['pop_a']}-{item['pop_b']}",
                f"{item['runs_seen']}/{item['runs_expected']}",
                "-" if item["latency_ms"] is None else str(item["latency_ms"]),
                str(item["loss_percent"]),
                item["loss_class"],
                _committed_text(item, with_topology),
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
    return "\n".join(out)
