"""The text, GitHub and Markdown renderers as they were before they streamed (main at
155aeea): the whole report built as one list of lines, then joined. Kept as the oracle
that the streamed pieces (``validator.formats.*.chunks``) make the same bytes; the
helpers they call (one finding's line, the site table…) are the shipped ones."""

from __future__ import annotations

import click

from validator.formats import RenderOptions
from validator.formats.github import command, input_error_command, summary_line
from validator.formats.markdown import (
    _plural,
    _table,
    diagram_block,
    escape,
    finding_row,
    heading,
    site_rows,
)
from validator.formats.text import _COLORS, site_table
from validator.formats.text import _plural as plural
from validator.report import Report


def text(report: Report, options: RenderOptions) -> str:
    color = options.color

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    not_checked = sorted({p.file for p in report.input_errors})
    if not_checked and len(not_checked) == len(report.inputs):
        return ""
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
        out.extend(site_table(report.sites, report.budgets))
    for note in report.notes:
        out.append(f"note: {note}")
    counts = report.summary
    summary = ", ".join(plural(counts[s], s) for s in ("error", "warning", "info"))
    inputs = plural(len(report.inputs), "input")
    if not_checked:
        inputs += f"; not checked: {', '.join(not_checked)}"
    if report.baseline:
        inputs += f"; {plural(report.baseline[1], 'known finding')} in {report.baseline[0]}"
    if out:
        out.append("")
    verdict = "no findings" if not report.findings else summary
    out.append(f"{verdict} ({inputs})" if report.findings else f"{verdict}: {summary} ({inputs})")
    return "".join(line + "\n" for line in out)


def github(report: Report, options: RenderOptions) -> str:
    lines = [input_error_command(problem) for problem in report.input_errors]
    lines += [command(finding) for finding in report.findings]
    lines.append(summary_line(report))
    return "".join(line + "\n" for line in lines)


def markdown(report: Report, options: RenderOptions) -> str:
    out = [heading(report), ""]
    inputs = ", ".join(escape(name) for name in report.inputs)
    out += [f"Checked {_plural(len(report.inputs), 'input')}: {inputs}", ""]
    if report.input_errors:
        out += ["### Inputs not checked", ""]
        out += [f"- ❌ {escape(p.where())}: {escape(p.message)}" for p in report.input_errors]
        out.append("")
    if report.baseline:
        known = _plural(report.baseline[1], "known finding")
        out += [f"{known} left out (baseline {escape(report.baseline[0])}).", ""]
    if report.findings:
        out += ["### Findings", ""]
        titles = ["severity", "rule", "location", "message", "hint"]
        out += _table(titles, [finding_row(f) for f in report.findings])
        out.append("")
    else:
        out += ["No findings.", ""]
    if report.sites:
        out += ["### Sites", "", *site_rows(report.sites), ""]
    if report.notes:
        out += ["### Notes", "", *(f"- {escape(note)}" for note in report.notes), ""]
    diagrams = [draw() for draw in report.diagrams]
    for number, diagram in enumerate(diagrams, 1):
        out += [*diagram_block(diagram, number, len(diagrams)), ""]
    while out and out[-1] == "":
        out.pop()
    return "".join(line + "\n" for line in out)
