"""The text format: one line per finding, its hint, a per-site table and a summary line.

Inputs that could not be checked are named in the summary line; the command prints their
``ccv: FILE:LINE:COL: message`` lines on standard error. When no input could be checked,
the text report is empty.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click

from validator.formats import SITE_COLUMNS as BASE_COLUMNS
from validator.formats import RenderOptions
from validator.report import Report
from validator.sla.arithmetic import downtime_budget, month_minutes, to_decimal

THIRTY_DAYS_MIN = 30 * 24 * 60

_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}

SITE_COLUMNS = (
    *BASE_COLUMNS[:-1],
    ("budget_month", "budget {month} (min)"),
    ("budget_30d", "budget 30 days (min)"),
    BASE_COLUMNS[-1],
)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "-"
    return str(value)


def with_budgets(sites: list[dict], year: int, month: int) -> list[dict]:
    """Sites with the downtime their tier allows in that month and in a 30-day month (SPEC §3)."""
    minutes = month_minutes(year, month)
    result = []
    for site in sites:
        availability = site.get("availability")
        if "tier" in site:
            site = dict(site)
            for key, span in (("budget_month", minutes), ("budget_30d", THIRTY_DAYS_MIN)):
                site[key] = (
                    None
                    if availability is None
                    else to_decimal(downtime_budget(availability, span), 1)
                )
        result.append(site)
    return result


def site_table(sites: list[dict], month_label: str = "") -> list[str]:
    """The per-site table: a column for every field some site has, aligned."""
    columns = [
        (key, title.format(month=month_label))
        for key, title in SITE_COLUMNS
        if any(key in s for s in sites)
    ]
    rows = [[title for _, title in columns]]
    rows += [[_cell(site.get(key)) for key, _ in columns] for site in sites]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def _this_month() -> tuple[int, int]:
    now = datetime.now(UTC)
    return now.year, now.month


def render(report: Report, options: RenderOptions) -> str:
    """The text report (coloured when ``options.color``)."""
    color = options.color

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    not_checked = sorted({p.file for p in report.input_errors})
    if not_checked and len(not_checked) == len(report.inputs):
        return ""  # nothing was checked; the standard error lines say why
    out: list[str] = []
    for f in report.findings:
        loc = f.location
        where = f"{loc.file}:{loc.line}:{loc.column}" if loc else "-"
        severity = style(f.severity, fg=_COLORS[f.severity], bold=True)
        out.append(f"{where}: {severity} {style(f.rule, bold=True)} {f.name}: {f.message}")
        if not options.quiet and f.hint:
            out.append(f"    hint: {f.hint}")
    if options.quiet:
        return "".join(line + "\n" for line in out)
    if report.sites:
        if out:
            out.append("")
        year, month = options.month or _this_month()
        out.extend(site_table(with_budgets(report.sites, year, month), f"{year}-{month:02d}"))
    for note in report.notes:
        out.append(f"note: {note}")
    counts = report.summary
    summary = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    inputs = _plural(len(report.inputs), "input")
    if not_checked:
        inputs += f"; not checked: {', '.join(not_checked)}"
    if report.baseline:
        inputs += f"; {_plural(report.baseline[1], 'known finding')} in {report.baseline[0]}"
    if out:
        out.append("")
    verdict = "no findings" if not report.findings else summary
    out.append(f"{verdict} ({inputs})" if report.findings else f"{verdict}: {summary} ({inputs})")
    return "".join(line + "\n" for line in out)
