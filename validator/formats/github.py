"""The GitHub Actions format: one workflow command per finding, then a summary line.

``::error file=F,line=L,col=C,title=CCV201 cidr-overlap::message (hint: ...)``; warnings
are ``::warning`` and info findings ``::notice``. Values are escaped as the Actions runner
expects, so a message with ``%``, ``,``, ``:`` or a line break arrives intact.
"""

from __future__ import annotations

from collections.abc import Iterator

from validator.formats import RenderOptions
from validator.report import SEVERITIES, Finding, InputProblem, Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command: ``%``, ``\\r`` and ``\\n``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as the message, and ``:`` and ``,`` as well."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """The workflow command of one finding.

    A finding in a pseudo-file (``<stdin>``, ``<data>``) has no ``file``, ``line`` or ``col``:
    GitHub then shows the annotation on the run rather than on a file it cannot find.
    """
    properties = []
    loc = finding.location
    if loc is not None and not (loc.file.startswith("<") and loc.file.endswith(">")):
        properties += [("file", loc.file), ("line", str(loc.line)), ("col", str(loc.column))]
    properties.append(("title", f"{finding.rule} {finding.name}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = f"{finding.message} (hint: {finding.hint})" if finding.hint else finding.message
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def input_error_command(problem: InputProblem) -> str:
    """The ``::error`` of an input that could not be checked."""
    properties = []
    if not (problem.file.startswith("<") and problem.file.endswith(">")):
        properties.append(("file", problem.file))
        properties += [(k, str(v)) for k, v in (("line", problem.line), ("col", problem.column))
                       if v is not None]  # fmt: skip
    properties.append(("title", "ccv input error"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return (
        f"::error {props}::{escape_data(f'{problem.file} could not be checked: {problem.message}')}"
    )


def summary_line(report: Report) -> str:
    """``ccv: 2 errors, 1 warning, 0 info``."""
    counts = report.summary
    parts = []
    for severity in SEVERITIES:
        n = counts[severity]
        plural = "" if n == 1 or severity == "info" else "s"
        parts.append(f"{n} {severity}{plural}")
    line = "ccv: " + ", ".join(parts)
    if report.input_errors:
        count = len({p.file for p in report.input_errors})
        line += f"; {count} input{'' if count == 1 else 's'} not checked"
    if report.baseline:
        line += f"; {report.baseline[1]} known in {report.baseline[0]}"
    return line


def render(report: Report, options: RenderOptions) -> str:
    """One workflow command per finding, in report order, then the summary line."""
    return "".join(chunks(report, options))


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render` as consecutive pieces, one line each."""
    for problem in report.input_errors:
        yield input_error_command(problem) + "\n"
    for finding in report.findings:
        yield command(finding) + "\n"
    yield summary_line(report) + "\n"
