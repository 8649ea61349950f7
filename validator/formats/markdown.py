"""The Markdown format: a pull-request comment.

A heading with the verdict and the counts, the inputs, a table of findings, the per-site
tier table, the notes, and the Mermaid diagram of each analysed plan in a ``<details>``
block. Text from the plan is escaped so that it cannot break the table or the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from validator.formats import SITE_COLUMNS, RenderOptions
from validator.report import SEVERITIES, Finding, Report

ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
MERMAID_MAX_CHARS = 50_000
"""GitHub renders Mermaid diagrams up to this many characters (Mermaid's maxTextSize)."""
OPEN_DIAGRAM_MAX_LINES = 60
"""Diagrams up to this many lines are shown open; larger ones start collapsed."""

# Underscores inside a word (``max_latency_ms``) never emphasise in GitHub Markdown.
_PUNCTUATION = re.compile(r"([\\`*\[\]<|~&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_DIAGRAM_NAME = re.compile(r"^\s*%% ccv graph of (.+)$", re.MULTILINE)


def escape(text: str) -> str:
    """``text`` for a table cell or a line of Markdown: the characters Markdown or HTML would
    act on (``\\ ` * [ ] < | ~ &``, ``_`` at a word's edge) backslash-escaped, line breaks
    as ``<br>``."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def heading(report: Report) -> str:
    """The verdict and the counts: ``## ❌ ccv: errors found (2 errors, 0 warnings, 0 info)``."""
    counts = ", ".join(_plural(report.summary[s], s) for s in SEVERITIES)
    worst = report.worst()
    if report.input_errors:
        verdict = "❌ ccv: inputs could not be checked"
    elif worst == "error":
        verdict = "❌ ccv: errors found"
    elif worst == "warning":
        verdict = "⚠️ ccv: warnings found"
    elif worst == "info":
        verdict = "✅ ccv: no errors or warnings"
    else:
        verdict = "✅ ccv: no findings"
    return f"## {verdict} ({counts})"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(titles: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(titles), _row(["---"] * len(titles)), *(_row(row) for row in rows)]


def finding_row(finding: Finding) -> list[str]:
    """The table cells of a finding: severity, rule, ``file:line``, message, hint."""
    loc = finding.location
    where = f"{loc.file}:{loc.line}" if loc else (finding.path or "/")
    return [
        f"{ICONS[finding.severity]} {finding.severity}",
        f"{finding.rule} {escape(finding.name)}",
        escape(where),
        escape(finding.message),
        escape(finding.hint) if finding.hint else "-",
    ]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value)) or "-"
    return escape(str(value))


def site_rows(sites: list[dict]) -> list[str]:
    """The per-site tier table: a column for every field some site has."""
    columns = [(key, title) for key, title in SITE_COLUMNS if any(key in s for s in sites)]
    rows = [[_cell(site.get(key)) for key, _ in columns] for site in sites]
    return _table([title for _, title in columns], rows)


def diagram_block(diagram: str, number: int, count: int) -> list[str]:
    """A Mermaid diagram in a ``<details>`` block (open when small), or a line saying why
    it is left out when GitHub would not render it."""
    diagram = diagram.rstrip("\n")
    match = _DIAGRAM_NAME.search(diagram)
    title = "Topology diagram" + (f" {number} of {count}" if count > 1 else "")
    if match:
        title += f": {match.group(1).strip()}"
    if len(diagram) > MERMAID_MAX_CHARS:
        return [
            f"_{escape(title)}: left out, {len(diagram)} characters is more than GitHub renders "
            f"({MERMAID_MAX_CHARS}); draw it with `ccv graph`._"
        ]
    longest = max((len(run) for run in re.findall(r"`+", diagram)), default=0)
    fence = "`" * max(3, longest + 1)
    opened = " open" if diagram.count("\n") + 1 <= OPEN_DIAGRAM_MAX_LINES else ""
    return [
        f"<details{opened}><summary>{html.escape(title)}</summary>",
        "",
        f"{fence}mermaid",
        diagram,
        fence,
        "",
        "</details>",
    ]


def render(report: Report, options: RenderOptions) -> str:
    """The Markdown comment; draws the report's diagrams."""
    return "".join(chunks(report, options))


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render` as consecutive pieces: the head, one table row per finding, the rest."""
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
        out += _table(titles, [])
        yield "".join(line + "\n" for line in out)
        for finding in report.findings:
            yield _row(finding_row(finding)) + "\n"
        out = [""]
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
    yield "".join(line + "\n" for line in out)
