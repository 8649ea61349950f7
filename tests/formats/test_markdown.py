"""The Markdown format: a pull-request comment with findings, sites, notes and diagrams."""

from __future__ import annotations

import re

from tests.formats.helpers import example, report_of, run
from validator.formats import render
from validator.formats.markdown import MERMAID_MAX_CHARS, escape
from validator.report import Finding, Location, Report

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def cells(row: str) -> list[str]:
    """The cells of a table row, split on the pipes Markdown sees."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return [c.strip() for c in UNESCAPED_PIPE.split(row)[1:-1]]


def section(text: str, title: str) -> list[str]:
    """The lines of a ``### title`` section up to the next blank line after its table."""
    lines = [*text.splitlines(), ""]
    start = lines.index(f"### {title}") + 2
    return lines[start : lines.index("", start)]


def test_heading_findings_and_sites(typical):
    text = render(typical, "markdown")
    assert text.startswith("## ❌ ccv: errors found (3 errors, 2 warnings, 1 info)\n")
    assert f"Checked 1 input: {escape(typical.inputs[0])}" in text
    rows = section(text, "Findings")
    assert cells(rows[0]) == ["severity", "rule", "location", "message", "hint"]
    assert len(rows) == 2 + len(typical.findings)
    first = cells(rows[2])
    finding = typical.findings[0]
    assert first == [
        "❌ error",
        "CCV701 sla-unreachable",
        f"{escape(finding.location.file)}:10",
        escape(finding.message),
        escape(finding.hint),
    ]
    assert sum(cells(r)[0] == "⚠️ warning" for r in rows[2:]) == 2
    assert sum(cells(r)[0] == "ℹ️ info" for r in rows[2:]) == 1
    sites = section(text, "Sites")
    assert cells(sites[0]) == ["site", "tier", "committed %", "target %", "lines", "POPs"]
    assert cells(sites[-1]) == ["ali-sh", "none", "-", "99.95", "0", "-"]
    assert len(sites) == 2 + len(typical.sites)


def test_diagram_in_a_mermaid_block(typical):
    text = render(typical, "markdown")
    assert "<details open><summary>Topology diagram: globex-first-draft</summary>" in text
    block = text.split("```mermaid\n", 1)[1].split("\n```\n", 1)[0]
    assert block == typical.diagrams[0]().rstrip("\n")
    assert block.startswith("flowchart LR")
    assert text.endswith("```\n\n</details>\n")


def test_clean_plan_says_so_and_shows_notes(clean):
    text = render(clean, "markdown")
    assert text.startswith("## ✅ ccv: no findings (0 errors, 0 warnings, 0 info)\n")
    assert "\nNo findings.\n" in text
    assert "### Findings" not in text
    assert "### Notes\n\n- highest (99.99 %) is a special-scenario commitment" in text
    assert "```mermaid" in text


def test_input_errors_only_no_sites_no_diagram(malformed):
    text = render(malformed, "markdown")
    assert text.startswith("## ❌ ccv: errors found (4 errors, 0 warnings, 0 info)\n")
    assert "### Sites" not in text
    assert "```mermaid" not in text
    assert len(section(text, "Findings")) == 2 + 4


def test_special_characters_stay_in_their_cell(escaping):
    text = render(escaping, "markdown")
    rows = section(text, "Findings")
    assert len(rows) == 3  # the newline in the message did not break the row
    row = cells(rows[2])
    assert len(row) == 5
    assert row[3].startswith("key 'x-50%,a:b<br>c\\|\\<b>\\*d\\*\\</b>' is repeated")


def test_escape():
    assert escape("a|b") == "a\\|b"
    assert escape("one\r\ntwo\nthree") == "one<br>two<br>three"
    assert escape("<script>") == "\\<script>"
    assert escape("max_latency_ms _x_") == "max_latency_ms \\_x\\_"
    assert escape("[link](u) `c` *e* ~s~ &amp; \\") == (
        "\\[link\\](u) \\`c\\` \\*e\\* \\~s\\~ \\&amp; \\\\"
    )


def _finding(severity: str) -> Finding:
    return Finding(
        "CCV206", "cidr-public", severity, "m", ("s",), "/sites/0", Location("p.yaml", 3, 5), ""
    )


def test_verdict_follows_the_worst_severity():
    warning = render(Report(["p.yaml"], [_finding("warning")]), "markdown")
    info = render(Report(["p.yaml"], [_finding("info")]), "markdown")
    assert warning.startswith("## ⚠️ ccv: warnings found (0 errors, 1 warning, 0 info)\n")
    assert info.startswith("## ✅ ccv: no errors or warnings (0 errors, 0 warnings, 1 info)\n")
    assert cells(section(info, "Findings")[2])[4] == "-"  # no hint


def test_large_and_awkward_diagrams():
    big = "flowchart LR\n" + "  a --- b\n" * (MERMAID_MAX_CHARS // 10)
    report = Report(["p.yaml"], diagrams=[lambda: big, lambda: 'flowchart LR\n  a["```"]\n'])
    text = render(report, "markdown")
    assert "Topology diagram 1 of 2: left out" in text
    assert "a --- b" not in text
    assert '\n````mermaid\nflowchart LR\n  a["```"]\n````\n' in text


def test_many_lines_start_collapsed():
    diagram = "flowchart LR\n" + "".join(f"  n{i}\n" for i in range(80))
    text = render(Report(["p.yaml"], diagrams=[lambda: diagram]), "markdown")
    assert "<details><summary>Topology diagram</summary>" in text


def test_cli_and_determinism(typical_example):
    result = run("validate", "--format", "markdown", example("typical-mistakes.yaml"))
    assert result.exit_code == 1
    assert result.stdout == render(typical_example, "markdown")
    assert render(report_of(example("typical-mistakes.yaml")), "markdown") == result.stdout
