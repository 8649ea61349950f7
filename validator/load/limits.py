"""Limits on what one input may cost to read: bytes, nesting depth, items, alias expansion.

ccv runs on whatever a commit contains, so reading an input must stay bounded in time
and memory whatever its bytes are: a YAML "billion laughs" file of 200 bytes would
otherwise expand to billions of nodes. Each limit has a name used on the command line
(``--limit NAME=N``) and in the settings file (``limits: {NAME: N}``); docs/limits.md
lists them. The defaults leave room for a plan of a million ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from validator.load.types import InputError

# name on the command line and in settings -> (attribute, what it bounds, default)
_LIMITS: dict[str, tuple[str, str, int]] = {
    "input-bytes": ("input_bytes", "bytes in one input", 256 * 1024 * 1024),
    "depth": ("depth", "levels of nesting of lists and mappings", 64),
    "items": ("items", "values in one input (list items and mapping entries)", 20_000_000),
    "alias-nodes": (
        "alias_nodes",
        "values that YAML aliases (*name) and merge keys (<<) add when expanded",
        1_000_000,
    ),
}
LIMIT_NAMES = tuple(_LIMITS)


@dataclass(frozen=True)
class Limits:
    """How much one input may hold; past any of these, reading stops with LimitError."""

    input_bytes: int = _LIMITS["input-bytes"][2]
    depth: int = _LIMITS["depth"][2]
    items: int = _LIMITS["items"][2]
    alias_nodes: int = _LIMITS["alias-nodes"][2]

    def with_values(self, values: dict[str, int]) -> Limits:
        """These limits with ``values`` (keyed by limit name, e.g. ``depth``) on top."""
        return replace(self, **{_LIMITS[name][0]: value for name, value in values.items()})


DEFAULT_LIMITS = Limits()


class LimitError(InputError):
    """An input past one of its limits (exit 2); the message names the limit and how to
    raise it."""

    def __init__(self, name: str, where: str, found: str, limit: int) -> None:
        """``name`` is the limit's name (``depth``...), ``where`` the file (and position),
        ``found`` what was found in words."""
        self.limit_name = name
        super().__init__(
            f"{where}: {found}, past the {name} limit of {limit:,} {_LIMITS[name][1]}; "
            f"if the input is trusted, raise it with --limit {name}=N "
            f"(or limits: {{{name}: N}} in .ccv.yaml)"
        )


def parse_limit(name: str, value: object, where: str = "--limit") -> tuple[str, int]:
    """A (name, value) pair checked: a known limit name and a positive whole number.

    Raises ValueError with a readable message otherwise.
    """
    key = str(name).strip().lower().replace("_", "-")
    if key not in _LIMITS:
        raise ValueError(f"{where}: unknown limit '{name}'; limits are {', '.join(LIMIT_NAMES)}")
    text = str(value).strip().replace("_", "")
    if isinstance(value, bool) or not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise ValueError(f"{where}: limit {key} must be a whole number from 1, not {value!r}")
    return key, int(text)


def parse_limit_option(text: str) -> tuple[str, int]:
    """``depth=100`` -> ("depth", 100); ValueError otherwise."""
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"--limit '{text}': write it as NAME=N, e.g. --limit depth=100")
    return parse_limit(name, value)


def limit_table() -> list[tuple[str, int, str]]:
    """(name, default, what it bounds) for each limit, for docs and --help."""
    return [(name, default, words) for name, (_, words, default) in _LIMITS.items()]
