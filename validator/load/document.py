"""A loaded input file: its data, its format, and where each node stands in its text."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from validator.load.limits import Limits

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
    # Text forms of the secret values it holds (validator.redaction), for masking output.
    secrets: frozenset[str] = frozenset()

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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large plan is built and checked.

    Loading and checking create millions of small objects and no reference cycles;
    with the collector running, each generation-2 pass rescans all of them, which
    made a 1,000,000-range plan several times slower. Reference counting still frees
    everything; the collector is restored (if it was on) on the way out.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Hand the survivors straight to the oldest generation (freeze, then unfreeze):
        # otherwise the first collection after re-enabling scans them all once more.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def pointer(path: Path_) -> str:
    """The JSON pointer (RFC 6901) of ``path``: ``("sites", 1, "cidrs")`` -> ``/sites/1/cidrs``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


_CHUNK = 1 << 20


_TOPOLOGY = "a YAML or JSON topology"


def _read_bounded(name: str, stream, limit: int, expected: str = _TOPOLOGY) -> bytes:
    """At most ``limit`` bytes of ``stream``; LimitError past them, InputError for binary
    data (NUL bytes in the first chunk): ``/dev/zero`` stops at once, not at the limit."""
    from validator.load.limits import LimitError

    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        if not chunks and b"\x00" in chunk[:8192]:
            raise InputError(f"{name}: binary file (NUL bytes); expected {expected}")
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise LimitError("input-bytes", name, f"more than {limit:,} bytes", limit)


def load_bytes(source: str, limit: int, expected: str = _TOPOLOGY) -> bytes:
    """The bytes of ``source`` (a path, or ``-``), at most ``limit`` of them: InputError
    when unreadable or binary (the message says ``expected`` instead), LimitError
    (validator.load.limits) past the limit."""
    return _read_bytes(source, limit, expected)[1]


def _read_bytes(source: str, limit: int, expected: str = _TOPOLOGY) -> tuple[str, bytes]:
    if source == "-":
        return STDIN_NAME, _read_bounded(STDIN_NAME, sys.stdin.buffer, limit, expected)
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(f"{source}: is a directory, not a topology file")
        with path.open("rb") as stream:
            return source, _read_bounded(source, stream, limit, expected)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from None


def decode_text(name: str, raw: bytes) -> str:
    """UTF-8 text of ``raw`` (a BOM is dropped); InputError for binary or non-UTF-8 bytes."""
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: binary file (NUL bytes); expected a YAML or JSON topology")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start});"
            " save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def sniff_format(name: str, text: str) -> str:
    """Guess "json" or "yaml" from the file name, then from the first character."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _secrets(text: str, data: object) -> frozenset[str]:
    """The secret values in ``data``; the walk runs only when the text names a sensitive
    key (or has an escape that could spell one), so most plans pay one substring search."""
    from validator.redaction import secret_values, sensitive_keys

    if "\\u" not in text and not any(key in text for key in sensitive_keys()):
        return frozenset()
    return frozenset(secret_values(data))


def load_document(
    source: str, input_format: str = "auto", limits: Limits | None = None
) -> Document:
    """Read ``source`` (a path, or ``-`` for standard input) into a Document.

    ``input_format`` is ``auto``, ``yaml`` or ``json``; ``limits`` bounds what the input
    may hold (validator.load.limits, the defaults when None). Raises InputError when the
    bytes cannot be read or are not YAML/JSON at all, LimitError (an InputError) past a
    limit.
    """
    from validator.load.limits import DEFAULT_LIMITS

    limits = limits or DEFAULT_LIMITS
    name, raw = _read_bytes(source, limits.input_bytes)
    return parse_document(name, raw, input_format, limits)


def parse_document(
    name: str, raw: bytes, input_format: str = "auto", limits: Limits | None = None
) -> Document:
    """Parse ``raw`` bytes named ``name`` into a Document (see load_document)."""
    from validator.load import json_loader, yaml_loader
    from validator.load.limits import DEFAULT_LIMITS, LimitError

    limits = limits or DEFAULT_LIMITS
    if len(raw) > limits.input_bytes:
        raise LimitError("input-bytes", name, f"{len(raw):,} bytes", limits.input_bytes)
    text = decode_text(name, raw)
    fmt = sniff_format(name, text) if input_format == "auto" else input_format
    with gc_paused():
        if fmt == "json":
            document = json_loader.load(name, text, limits, raw)
        else:
            document = yaml_loader.load(name, text, limits)
    data = document.data
    document.secrets = _secrets(text, data)
    if isinstance(data, dict) and "terraform_version" in data and "format_version" in data:
        raise InputError(
            f"{name}: this is a Terraform plan (terraform show -json); this version of ccv "
            "reads topology files only (version: 1, see `ccv schema`)"
        )
    return document
