"""The text format: one line per finding, its hint, a per-site table and a summary line.

Inputs that could not be checked are named in the summary line; the command prints their
``ccv: FILE:LINE:COL: message`` lines on standard error. When no input could be checked,
the text report is empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import click

from validator.formats import SITE_COLUMNS, RenderOptions
from validator.report import Budget, Report

_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "-"
    return str(value)


def site_table(sites: list[dict], budgets: Sequence[Budget] = ()) -> list[str]:
    """The per-site table: a column for every field some site has, then the downtime
    budgets the report carries, then the input; aligned."""
    base = [(key, title) for key, title in SITE_COLUMNS[:-1] if any(key in s for s in sites)]
    rows = [[title for _, title in base] + [f"budget {b.period} (min)" for b in budgets]]
    for i, site in enumerate(sites):
        rows.append(
            [_cell(site.get(key)) for key, _ in base] + [_cell(b.minutes[i]) for b in budgets]
        )
    last, title = SITE_COLUMNS[-1]
    if any(last in s for s in sites):
        rows[0].append(title)
        for row, site in zip(rows[1:], sites, strict=True):
            row.append(_cell(site.get(last)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def render(report: Report, options: RenderOptions) -> str:
    """The text report (coloured when ``options.color``)."""
    return "".join(chunks(report, options))


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render` as consecutive pieces: one per finding, then the table and summary."""
    color = options.color

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    not_checked = sorted({p.file for p in report.input_errors})
    if not_checked and len(not_checked) == len(report.inputs):
        return  # nothing was checked; the standard error lines say why
    for f in report.findings:
        loc = f.location
        where = f"{loc.file}:{loc.line}:{loc.column}" if loc else "-"
        severity = style(f.severity, fg=_COLORS[f.severity], bold=True)
        line = f"{where}: {severity} {style(f.rule, bold=True)} {f.name}: {f.message}\n"
        yield line + f"    hint: {f.hint}\n" if not options.quiet and f.hint else line
    if options.quiet:
        return
    out: list[str] = []
    if report.sites:
        if report.findings:
            out.append("")
        out.extend(site_table(report.sites, report.budgets))
    for note in report.notes:
        out.append(f"note: {note}")
    counts = report.summary
    summary = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    inputs = _plural(len(report.inputs), "input")
    if not_checked:
        inputs += f"; not checked: {', '.join(not_checked)}"
    if report.baseline:
        inputs += f"; {_plural(report.baseline[1], 'known finding')} in {report.baseline[0]}"
    if out or report.findings:
        out.append("")
    verdict = "no findings" if not report.findings else summary
    out.append(f"{verdict} ({inputs})" if report.findings else f"{verdict}: {summary} ({inputs})")
    yield "".join(line + "\n" for line in out)
