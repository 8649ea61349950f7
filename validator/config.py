"""Tuning: which rules to ignore, severity overrides and the failure threshold.

Settings come from a config file (``.ccv.yaml``, or ``[tool.ccv]`` in
``pyproject.toml``, the nearest one from the current directory upward, or the file
named by ``--config``), then the command line on top. A config file may also name the
files that form the whole plan (``plan:``), which ``ccv validate --from-config`` checks.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from validator.load.limits import DEFAULT_LIMITS, Limits, parse_limit
from validator.report import SEVERITIES

LEVELS = (*SEVERITIES, "off")


class ConfigError(Exception):
    """A usage problem in settings: unknown rule id, bad level, unreadable config (exit 2)."""


@dataclass(frozen=True)
class Settings:
    """Global tuning of one run."""

    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    source: str | None = None  # the config file these came from
    # The files of the whole plan, as written under ``plan:`` (relative to the config file).
    plan: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS  # what one input may hold (validator.load.limits)

    def merged(
        self,
        ignore: Iterable[str] = (),
        severity: Mapping[str, str] | None = None,
        fail_on: str | None = None,
        limits: Mapping[str, int] | None = None,
    ) -> Settings:
        """These settings with command-line values on top (``limits`` by limit name)."""
        return Settings(
            self.ignore | {i.upper() for i in ignore},
            {**self.severity, **{k.upper(): v for k, v in (severity or {}).items()}},
            fail_on or self.fail_on,
            self.source,
            self.plan,
            self.limits.with_values(dict(limits or {})),
        )

    def check(self, known: Iterable[str]) -> None:
        """ConfigError when a rule id or level is unknown."""
        known = set(known)
        where = f" (in {self.source})" if self.source else ""
        for rule_id in sorted(self.ignore | set(self.severity)):
            if rule_id not in known:
                raise ConfigError(f"unknown rule id '{rule_id}'{where}; `ccv rules` lists them")
        for rule_id, level in sorted(self.severity.items()):
            if level not in LEVELS:
                raise ConfigError(
                    f"severity '{level}' for {rule_id}{where} is not one of {', '.join(LEVELS)}"
                )
        if self.fail_on not in SEVERITIES:
            raise ConfigError(
                f"fail-on '{self.fail_on}'{where} is not one of {', '.join(SEVERITIES)}"
            )


def parse_severity_option(value: str) -> tuple[str, str]:
    """``CCV206=error`` -> ("CCV206", "error"); ConfigError otherwise."""
    rule_id, sep, level = value.partition("=")
    if not sep or not rule_id.strip() or not level.strip():
        raise ConfigError(f"--severity '{value}': write it as ID=LEVEL, e.g. CCV206=error")
    return rule_id.strip().upper(), level.strip().lower()


def _from_mapping(data: object, source: str) -> Settings:
    if data is None:
        return Settings(source=source)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the ccv settings must be a mapping")
    allowed = {"ignore", "severity", "fail-on", "fail_on", "plan", "limits"}
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise ConfigError(
            f"{source}: unknown setting '{unknown[0]}'; "
            "allowed: ignore, severity, fail-on, plan, limits"
        )
    plan = data.get("plan") or []
    if not isinstance(plan, list) or not all(isinstance(p, str) and p for p in plan):
        raise ConfigError(
            f"{source}: 'plan' must be a list of file names (relative to the config file), "
            "e.g. plan: [carrier.yaml, aws/tfplan.json]"
        )
    ignore = data.get("ignore") or []
    severity = data.get("severity") or {}
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise ConfigError(f"{source}: 'ignore' must be a list of rule ids")
    if not isinstance(severity, dict):
        raise ConfigError(f"{source}: 'severity' must map rule ids to levels")
    fail_on = data.get("fail-on", data.get("fail_on", "error"))
    limits = data.get("limits") or {}
    if not isinstance(limits, dict):
        raise ConfigError(f"{source}: 'limits' must map limit names to numbers, e.g. depth: 100")
    try:
        values = dict(parse_limit(k, v, f"{source}: limits") for k, v in limits.items())
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return Settings(
        frozenset(i.upper() for i in ignore),
        {str(k).upper(): str(v).lower() for k, v in severity.items()},
        str(fail_on).lower(),
        source,
        tuple(plan),
        DEFAULT_LIMITS.with_values(values),
    )


def load_config(path: str | Path) -> Settings:
    """Settings from a ``.ccv.yaml`` file or a ``pyproject.toml`` with ``[tool.ccv]``."""
    from validator.load.document import InputError, decode_text, load_bytes

    path = Path(path)
    try:  # bounded like every input: a config of /dev/zero stops at the limit
        raw = load_bytes(str(path), DEFAULT_LIMITS.input_bytes, "a config file")
        text = decode_text(str(path), raw)
    except InputError as exc:
        raise ConfigError(f"cannot read the config file: {exc}") from None
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(_toml_error_text(path, text, exc)) from None
        return _from_mapping(data.get("tool", {}).get("ccv"), str(path))
    from validator.load.document import InputError, parse_document

    try:  # ccv's own bounded loader: a config file is input from a commit too
        data = parse_document(str(path), text.encode("utf-8"), "yaml").data
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    return _from_mapping(data, str(path))


def _toml_error_text(path: Path, source: str, exc: Exception) -> str:
    """``PATH:LINE:COL: not valid TOML: problem`` (tomllib puts the place in its text)."""
    text = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
    if found:
        return f"{path}:{found[1]}:{found[2]}: not valid TOML: {text[: found.start()]}"
    if text.endswith(" (at end of document)"):
        lines = source.split("\n")
        where = f"{path}:{len(lines)}:{len(lines[-1]) + 1}"
        return f"{where}: not valid TOML: {text.removesuffix(' (at end of document)')}"
    return f"{path}: not valid TOML: {text}"


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.ccv.yaml`` (or ``pyproject.toml`` with ``[tool.ccv]``) upward."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / ".ccv.yaml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                if "ccv" in tomllib.loads(text).get("tool", {}):
                    return pyproject
            except tomllib.TOMLDecodeError:
                if "tool.ccv" in text:  # ours but broken: load_config says where
                    return pyproject
    return None
