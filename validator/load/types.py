"""What a loaded input is: its data, its format and where each node stands in its text.

The loaders (``json_loader``, ``yaml_loader``) build these; ``document`` reads bytes
and picks a loader. Nothing here imports either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

Path_ = tuple[str | int, ...]
"""A path into a document: keys and list indexes from the top level down."""

STDIN_NAME = "<stdin>"


class InputError(Exception):
    """An input that cannot be read as YAML or JSON at all (the command exits 2)."""


class Locator(Protocol):
    """Maps paths into a document to 1-based (line, column) positions."""

    def value(self, path: Path_) -> tuple[int, int] | None:
        """Position of the value at ``path``, or None when it is not in the text."""

    def key(self, path: Path_) -> tuple[int, int] | None:
        """Position of the mapping key that ends ``path``, or None."""


class NoPositions:
    """The locator of a document that has no text (a parsed dict handed to ``validate()``,
    a patched copy): every position is unknown."""

    def value(self, path: Path_) -> None:
        return None

    def key(self, path: Path_) -> None:
        return None

    def prepare(self, paths) -> None:
        return None


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key written twice; ``path`` ends with the repeated key."""

    path: Path_
    first: tuple[int, int] | None
    second: tuple[int, int] | None


@dataclass
class Document:
    """One input: its display name, parsed data, format and node positions."""

    name: str
    data: object
    format: str  # "yaml" or "json"
    locator: Locator
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)
    empty: bool = False
    extra_documents: int = 0  # YAML documents after the first one
    # Text forms of the secret values it holds, kept only so that validator.redaction can
    # mask them in output; never shown (not even by repr).
    secrets: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def json_pointer(self, path: Path_) -> str:
        """The JSON pointer (RFC 6901) a finding at ``path`` reports."""
        return pointer(path)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` (its key when ``key``), else of its nearest ancestor; (1, 1)."""
        if key:
            found = self.locator.key(path)
            if found:
                return found
        probe = tuple(path)
        while True:
            found = self.locator.value(probe)
            if found:
                return found
            if not probe:
                return (1, 1)
            probe = probe[:-1]


def pointer(path: Path_) -> str:
    """The JSON pointer (RFC 6901) of ``path``: ``("sites", 1, "cidrs")`` -> ``/sites/1/cidrs``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
