"""The Python interface: ``from validator import validate``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from os import PathLike

from validator.config import ConfigError, Settings, load_config
from validator.engine import validate_documents
from validator.load.document import Document, load_document
from validator.load.limits import Limits
from validator.load.terraform import FORMAT as TERRAFORM
from validator.load.terraform import check_version, looks_like_terraform
from validator.load.types import NoPositions
from validator.report import Report


def _document(
    source: str | PathLike | Mapping, input_format: str, index: int, limits: Limits
) -> Document:
    if isinstance(source, Mapping):
        data = json.loads(json.dumps(source))  # a private, JSON-shaped copy
        name = f"<data {index}>" if index else "<data>"
        if input_format == "terraform-plan" or (
            input_format == "auto" and looks_like_terraform(data)
        ):
            check_version(name, data)
            return Document(name, data, TERRAFORM, NoPositions())
        return Document(name, data, "json", NoPositions())
    return load_document(str(source), input_format, limits)


def validate(
    *sources: str | PathLike | Mapping,
    merge: bool = False,
    input_format: str = "auto",
    ignore: Iterable[str] = (),
    severity: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    config: str | PathLike | None = None,
    month: tuple[int, int] | None = None,
    limits: Mapping[str, int] | None = None,
) -> Report:
    """Validate topology files (paths, ``"-"`` for stdin) or already-parsed plans (mappings).

    Returns the same report as ``ccv validate --format json``: ``report.findings``,
    ``report.sites``, ``report.flows``, ``report.to_dict()`` and ``report.to_json()``.
    Settings are only what the caller gives: ``settings``, or the file named by
    ``config`` (a ``.ccv.yaml`` or a ``pyproject.toml`` with ``[tool.ccv]``), with
    ``ignore``, ``severity`` and ``limits`` (what one input may hold, by limit name:
    ``{"depth": 100}``; docs/limits.md) on top. No configuration is discovered: a
    ``.ccv.yaml`` in the current folder is not read (``validator.config.find_config``
    finds one, as ``ccv validate`` does). ``month`` (year, month) adds that month's
    downtime budgets to ``report.budgets``, after the 30-day month's.

    Pure: one process, no clock, nothing written, no file read but the named ones.

    Raises ``validator.InputError`` for unreadable or non-YAML/JSON input or input past
    a limit, and ``validator.ConfigError`` for unknown rule ids or levels (or both
    ``settings`` and ``config``).

    >>> report = validate("examples/three-clouds.yaml")
    >>> report.summary["error"]
    0
    """
    if settings is not None and config is not None:
        raise ConfigError("give validate() settings or a config file, not both")
    if settings is None:
        settings = load_config(config) if config is not None else Settings()
    settings = settings.merged(ignore, severity, None, limits)
    documents = [
        _document(s, input_format, i, settings.limits) for i, s in enumerate(sources or ("-",))
    ]
    return validate_documents(documents, settings, merge, month)
