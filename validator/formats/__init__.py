"""Output formats: each renders a Report to text and decides nothing.

``FORMATS`` maps a format name to its renderer; adding a format is adding a module
and a line here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from validator.report import Report


@dataclass(frozen=True)
class RenderOptions:
    """How to render: colours, and only the findings (text)."""

    color: bool = False
    quiet: bool = False


Renderer = Callable[[Report, RenderOptions], str]

SITE_COLUMNS = (
    ("id", "site"),
    ("tier", "tier"),
    ("availability", "committed %"),
    ("target", "target %"),
    ("lines", "lines"),
    ("pops", "POPs"),
    ("input", "input"),
)
"""Columns of the per-site tier table: (key in the report's ``sites`` entry, title)."""


def _text(report: Report, options: RenderOptions) -> str:
    from validator.formats.text import render

    return render(report, options)


def _json(report: Report, options: RenderOptions) -> str:
    return report.to_json()


def _sarif(report: Report, options: RenderOptions) -> str:
    from validator.formats.sarif import render

    return render(report, options)


def _junit(report: Report, options: RenderOptions) -> str:
    from validator.formats.junit import render

    return render(report, options)


def _github(report: Report, options: RenderOptions) -> str:
    from validator.formats.github import render

    return render(report, options)


def _markdown(report: Report, options: RenderOptions) -> str:
    from validator.formats.markdown import render

    return render(report, options)


FORMATS: dict[str, Renderer] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
    "markdown": _markdown,
}


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt``."""
    return FORMATS[fmt](report, options or RenderOptions())


def render_chunks(report: Report, fmt: str, options: RenderOptions | None = None) -> Iterable[str]:
    """:func:`render` as consecutive pieces of text to write one after another.

    Every format comes one finding at a time (a million findings never exist as one
    string); the same bytes as :func:`render`.
    """
    if fmt == "json":
        return report.json_chunks()
    module = import_module(f"validator.formats.{fmt}")
    return module.chunks(report, options or RenderOptions())
