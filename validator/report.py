"""The report: findings, site and flow summaries, ordering and serialisation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from validator.load.batch import InputProblem
from validator.version import __version__

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding stands in an input: file name and 1-based line and column."""

    file: str
    line: int
    column: int

    def to_dict(self) -> dict:
        """JSON form: ``{"file", "line", "column"}``."""
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(slots=True)
class Finding:
    """One problem found in a plan."""

    rule: str
    name: str
    severity: str
    message: str
    objects: tuple[str, ...]
    path: str
    location: Location | None
    hint: str
    # RFC 6902 JSON Patch operations on the input document that remove this finding (SPEC §13)
    fix: list[dict] | None = None
    # The hint without a value, for when the fix is withdrawn (not in the report)
    fallback: str | None = field(default=None, repr=False, compare=False)
    # The fix as text replacements of the input, when every operation maps to a span:
    # (start line, start column, end line, end column, new text); for SARIF ``fixes``.
    edits: list[tuple[int, int, int, int, str]] | None = field(
        default=None, repr=False, compare=False
    )
    fingerprint: str = ""  # validator.fingerprint: rule, objects and values, no position

    def sort_key(self) -> tuple:
        """File, line, rule, objects (SPEC §6), then the rest for a total order."""
        loc = self.location
        return (
            loc.file if loc else "",
            loc.line if loc else 0,
            self.rule,
            self.objects,
            loc.column if loc else 0,
            self.path,
            self.message,
        )

    def to_dict(self) -> dict:
        """JSON form of the finding (SPEC §6)."""
        result = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "objects": list(self.objects),
            "path": self.path,
        }
        if self.location:
            result["location"] = self.location.to_dict()
        result["hint"] = self.hint
        if self.fingerprint:
            result["fingerprint"] = self.fingerprint
        if self.fix:
            result["fix"] = [dict(op) for op in self.fix]
        return result


@dataclass(frozen=True)
class Budget:
    """The downtime each site's tier allows in one period (SPEC §3), shown by the text format.

    ``period`` is ``"30 days"`` or a calendar month ``"YYYY-MM"``; ``minutes`` is parallel
    to ``Report.sites`` (rounded to 0.1 min; None for a site without a committed tier).
    """

    period: str
    minutes: tuple[Decimal | None, ...]


@dataclass
class Report:
    """The result of validating one plan (or several inputs checked one by one)."""

    inputs: list[str]
    findings: list[Finding] = field(default_factory=list)
    sites: list[dict] = field(default_factory=list)
    flows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Inputs that could not be checked (the command exits 2); the others are still reported.
    input_errors: list[InputProblem] = field(default_factory=list)
    # Findings left out because a baseline file already knows them: (baseline file, count).
    baseline: tuple[str, int] | None = None
    # Mermaid diagrams of the analysed plans, drawn only when a format asks (not in JSON).
    diagrams: list[Callable[[], str]] = field(default_factory=list, repr=False, compare=False)
    # Downtime budgets of the sites (not in JSON): a 30-day month, and the month asked for.
    budgets: list[Budget] = field(default_factory=list, repr=False, compare=False)

    @property
    def summary(self) -> dict[str, int]:
        """Number of findings per severity."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def worst(self) -> str | None:
        """The highest severity among the findings, or None when there are none."""
        ranks = [SEVERITY_RANK[f.severity] for f in self.findings]
        return SEVERITIES[2 - max(ranks)] if ranks else None

    def fails(self, fail_on: str) -> bool:
        """True when a finding is at or above the ``fail_on`` severity."""
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings)

    def to_dict(self) -> dict:
        """The JSON report (SPEC §6), described by schemas/report.schema.json."""
        result = self._head()
        result["findings"] = [f.to_dict() for f in self.findings]
        return result

    def to_json(self) -> str:
        """The JSON report as text, with a final newline; identical input, identical bytes.

        One line per top-level key, and one line per finding, site and flow: easy to
        read and to grep, and written by the json module's C encoder (an indented dump
        of a million-range report takes seconds).
        """
        return "".join(self.json_chunks())

    def json_chunks(self) -> Iterator[str]:
        """:meth:`to_json` as consecutive pieces of text, each finding encoded when its
        turn comes: written one by one, a million findings never exist as one string."""
        data = self._head()
        data["findings"] = _Items(len(self.findings), (f.to_dict() for f in self.findings))
        return json_chunks(data)

    def _head(self) -> dict:
        """The JSON report with an empty list of findings, in the report's key order."""
        result = {
            "tool": {"name": "ccv", "version": __version__},
            "inputs": list(self.inputs),
            "summary": self.summary,
            "findings": [],
            "sites": self.sites,
            "flows": self.flows,
        }
        if self.notes:
            result["notes"] = list(self.notes)
        if self.input_errors:
            result["input_errors"] = [problem.to_dict() for problem in self.input_errors]
        if self.baseline is not None:
            result["baseline"] = {"file": self.baseline[0], "known": self.baseline[1]}
        return result


class _Items:
    """A sized, one-pass sequence of report items, encoded as they come (so a million
    findings never exist as objects and as dicts at once)."""

    __slots__ = ("size", "items")

    def __init__(self, size: int, items) -> None:
        self.size = size
        self.items = items

    def __len__(self) -> int:
        return self.size

    def __iter__(self):
        return iter(self.items)


def render_json(data: dict) -> str:
    """``data`` as JSON: top-level keys on their own lines, list items one per line."""
    return "".join(json_chunks(data))


def _dumper() -> Callable[[object], str]:
    """``json.JSONEncoder(ensure_ascii=False).encode``, with its C encoder made once:
    ``encode`` makes it anew for every value (a third of the time of writing 100,000
    site entries). The pure-Python encoder where the C one is missing."""
    base = json.JSONEncoder(ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return base.encode
    encode = make(
        {},  # cycle markers, as base.iterencode passes (entries leave as containers end)
        base.default,
        json.encoder.encode_basestring,
        None,  # no indent: the C encoder
        base.key_separator,
        base.item_separator,
        base.sort_keys,
        base.skipkeys,
        base.allow_nan,
    )
    return lambda value: "".join(encode(value, 0))


def json_chunks(data: dict) -> Iterator[str]:
    """:func:`render_json` as consecutive pieces of text (one per 512 list items).

    A list may be any sized iterable (see :class:`_Items`): its items are encoded one at
    a time, as the pieces are asked for.
    """
    dump = _dumper()
    yield "{\n"
    for index, (key, value) in enumerate(data.items()):
        yield (",\n  " if index else "  ") + dump(key)
        if isinstance(value, (list, _Items)) and len(value):
            items = iter(value)
            yield ": [\n    " + dump(next(items))
            while batch := list(islice(items, 512)):  # a piece per 512 items, not per item
                yield ",\n    " + ",\n    ".join(map(dump, batch))
            yield "\n  ]"
        else:
            yield ": " + dump([] if isinstance(value, _Items) else value)
    yield "\n}\n"
