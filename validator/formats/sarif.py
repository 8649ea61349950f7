"""The SARIF 2.1.0 format, for GitHub code scanning and other SARIF consumers.

One run whose driver is ccv with every registered rule, and one result per finding. The
mapping is described in docs/formats.md; tests validate the output against the official
SARIF 2.1.0 schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

from validator.formats import RenderOptions
from validator.report import Finding, InputProblem, Report
from validator.rules.registry import Rule, all_rules
from validator.version import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
URI_BASE_ID = "EXECUTIONROOT"
"""Relative file names are relative to the directory ccv ran in (as given on its command line)."""
FINGERPRINT_KEY = "ccvFinding/v2"
"""partialFingerprints key; its value is the finding's fingerprint (validator.fingerprint)."""
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def level(severity: str) -> str:
    """The SARIF level of a ccv severity: error → error, warning → warning, info → note."""
    return LEVELS[severity]


def is_pseudo_file(name: str) -> bool:
    """True for input names that are no file: ``<stdin>``, ``<data>``, ``<data 2>``."""
    return name.startswith("<") and name.endswith(">")


def artifact_location(name: str) -> dict:
    """The SARIF artifactLocation of an input named ``name`` as given to ccv.

    A relative path stays relative (``/`` separators, no leading ``./``, characters a URI
    cannot hold percent-encoded) under the base id ``EXECUTIONROOT``; an absolute path becomes
    a ``file://`` URI; a pseudo-file such as ``<stdin>`` is its percent-encoded name
    (``%3Cstdin%3E``) without a base id.
    """
    if is_pseudo_file(name):
        return {"uri": quote(name, safe="")}
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 2 and path[1] == ":" and path[2] == "/"):
        absolute = path if path.startswith("/") else "/" + path
        return {"uri": "file://" + quote(absolute, safe="/:")}
    while path.startswith("./"):
        path = path[2:]
    return {"uri": quote(path, safe="/"), "uriBaseId": URI_BASE_ID}


def rule_descriptor(entry: Rule) -> dict:
    """The SARIF reportingDescriptor of a registered rule."""
    explanation = entry.explanation or entry.summary
    help_text = f"{explanation}\n\nHint: {entry.hint}" if entry.hint else explanation
    help_markdown = f"{explanation}\n\n**Hint:** {entry.hint}" if entry.hint else explanation
    return {
        "id": entry.id,
        "name": entry.name,
        "shortDescription": {"text": entry.summary},
        "fullDescription": {"text": explanation},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": level(entry.severity)},
        "properties": {"tags": ["ccv", entry.family]},
    }


def notification(problem: InputProblem) -> dict:
    """The SARIF toolExecutionNotification of an input that could not be checked."""
    location: dict = {"artifactLocation": artifact_location(problem.file)}
    if problem.line is not None:
        location["region"] = {"startLine": problem.line}
        if problem.column is not None:
            location["region"]["startColumn"] = problem.column
    return {
        "descriptor": {"id": "input-error"},
        "level": "error",
        "message": {"text": f"{problem.file} could not be checked: {problem.message}"},
        "locations": [{"physicalLocation": location}],
    }


def invocation(report: Report) -> dict:
    """The run's invocation: successful unless an input could not be checked."""
    entry: dict = {"executionSuccessful": not report.input_errors}
    if report.input_errors:
        entry["toolExecutionNotifications"] = [notification(p) for p in report.input_errors]
    return entry


def result(finding: Finding, rule_index: int | None) -> dict:
    """The SARIF result of a finding."""
    text = f"{finding.message} Hint: {finding.hint}" if finding.hint else finding.message
    entry: dict = {"ruleId": finding.rule}
    if rule_index is not None:
        entry["ruleIndex"] = rule_index
    entry["level"] = level(finding.severity)
    entry["message"] = {"text": text}
    loc = finding.location
    if loc is not None:
        entry["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(loc.file),
                    "region": {"startLine": loc.line, "startColumn": loc.column},
                }
            }
        ]
    if finding.edits and loc is not None:
        entry["fixes"] = [sarif_fix(finding, loc.file)]
    if finding.fingerprint:
        entry["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    entry["properties"] = {
        "name": finding.name,
        "path": finding.path,
        "objects": list(finding.objects),
        "hint": finding.hint,
    }
    return entry


def sarif_fix(finding: Finding, file: str) -> dict:
    """The SARIF fix of a finding whose fix maps to text replacements of its input."""
    return {
        "description": {"text": finding.hint},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(file),
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        },
                        "insertedContent": {"text": text},
                    }
                    for line, column, end_line, end_column, text in finding.edits or ()
                ],
            }
        ],
    }


def to_sarif(report: Report) -> dict:
    """The SARIF log of ``report`` as a JSON-ready dict."""
    log = _skeleton(report)
    log["runs"][0]["results"] = list(_results(report))
    return log


def _skeleton(report: Report) -> dict:
    """The SARIF log with an empty list of results."""
    rules = all_rules()
    run: dict = {
        "tool": {
            "driver": {
                "name": "ccv",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(entry) for entry in rules],
            }
        },
        "originalUriBaseIds": {
            URI_BASE_ID: {"description": {"text": "The directory in which ccv was run."}}
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation(report)],
        "results": [],
        "properties": {"inputs": list(report.inputs), "summary": report.summary},
    }
    if report.notes:
        run["properties"]["notes"] = list(report.notes)
    if report.baseline:
        run["properties"]["baseline"] = {"file": report.baseline[0], "known": report.baseline[1]}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _results(report: Report) -> Iterator[dict]:
    index = {entry.id: i for i, entry in enumerate(all_rules())}
    for finding in report.findings:
        yield result(finding, index.get(finding.rule))


def render(report: Report, options: RenderOptions) -> str:
    """The SARIF log as JSON text with a final newline; same report, same bytes."""
    return "".join(chunks(report, options))


_HOLE = "\x00results\x00"


def chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """:func:`render` as consecutive pieces, one per result: the same bytes as one
    ``json.dumps(to_sarif(report), indent=2)``, without holding every result (as
    dicts and as text) at once."""
    log = _skeleton(report)
    log["runs"][0]["results"] = _HOLE
    text = json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    hole = json.dumps(_HOLE)
    at = text.index(hole)
    indent = at - text.rindex("\n", 0, at) - 1 - len('"results": ')
    yield text[:at]
    inner = "\n" + " " * (indent + 2)
    first = True
    for entry in _results(report):
        yield ("[" if first else ",") + inner
        yield json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", inner)
        first = False
    yield "[]" if first else "\n" + " " * indent + "]"
    yield text[at + len(hole) :]
