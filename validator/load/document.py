"""Reading an input: bytes from a file or standard input, decoded, handed to its loader.

The types (``Document``, ``InputError``, ``Path_``…) live in :mod:`validator.load.types`
and are imported here too, so ``from validator.load.document import Document`` works.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from validator.load import json_loader, yaml_loader
from validator.load.limits import DEFAULT_LIMITS, LimitError, Limits
from validator.load.terraform import FORMAT as TERRAFORM
from validator.load.terraform import check_version, looks_like_terraform, marked_sensitive
from validator.load.types import (
    STDIN_NAME,
    Document,
    DuplicateKey,
    InputError,
    Locator,
    Path_,
    pointer,
)
from validator.redaction import Redactor, secret_values, sensitive_keys

_TERRAFORM_START = re.compile(
    r'\s*\{\s*"(?:format_version|terraform_version|planned_values|values)"\s*:'
)

__all__ = [
    "Document",
    "DuplicateKey",
    "InputError",
    "Locator",
    "Path_",
    "STDIN_NAME",
    "decode_text",
    "gc_paused",
    "load_bytes",
    "load_document",
    "parse_document",
    "pointer",
    "sniff_format",
]


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


_CHUNK = 1 << 20
_TOPOLOGY = "a YAML or JSON topology"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 text has NULs; decode_text reads it


def _read_bounded(name: str, stream, limit: int, expected: str = _TOPOLOGY) -> bytes:
    """At most ``limit`` bytes of ``stream``; LimitError past them, InputError for binary
    data (NUL bytes in the first chunk): ``/dev/zero`` stops at once, not at the limit."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        if not chunks and b"\x00" in chunk[:8192] and chunk[:2] not in _UTF16_BOMS:
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
    """UTF-8 text of ``raw`` (a BOM is dropped); InputError for binary or non-UTF-8 bytes.

    UTF-16 with a byte-order mark (as PowerShell's ``>`` writes ``terraform show -json``)
    is decoded too.
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: not valid UTF-16 text despite its byte-order mark") from None
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: binary file (NUL bytes); expected a YAML or JSON topology")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8")) + 1  # characters, as elsewhere
        raise InputError(
            f"{name}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8"
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
    if "\\u" not in text and not any(key in text for key in sensitive_keys()):
        return frozenset()
    return frozenset(secret_values(data))


def load_document(
    source: str, input_format: str = "auto", limits: Limits | None = None
) -> Document:
    """Read ``source`` (a path, or ``-`` for standard input) into a Document.

    ``input_format`` is ``auto``, ``yaml``, ``json`` or ``terraform-plan``; JSON that is
    ``terraform show -json`` output (a plan or a state) is read as a Terraform plan
    (``validator.terraform``). ``limits`` bounds what the input may hold
    (validator.load.limits, the defaults when None). Raises InputError when the bytes
    cannot be read or are not YAML/JSON at all, LimitError (an InputError) past a limit.
    """
    limits = limits or DEFAULT_LIMITS
    name, raw = _read_bytes(source, limits.input_bytes)
    return parse_document(name, raw, input_format, limits)


def parse_document(
    name: str, raw: bytes, input_format: str = "auto", limits: Limits | None = None
) -> Document:
    """Parse ``raw`` bytes named ``name`` into a Document (see load_document)."""
    limits = limits or DEFAULT_LIMITS
    if len(raw) > limits.input_bytes:
        raise LimitError("input-bytes", name, f"{len(raw):,} bytes", limits.input_bytes)
    text = decode_text(name, raw)
    forced = input_format == "terraform-plan"
    fmt = "json" if forced else sniff_format(name, text) if input_format == "auto" else input_format
    with gc_paused():
        if fmt == "json" and (forced or _TERRAFORM_START.match(text)):
            # Terraform's own output: no duplicate keys to look for, so parse at full speed
            data = json_loader.parse_plain(name, text, limits)
            if forced or looks_like_terraform(data):  # one test decides, forced or detected
                json_loader.check_shape(name, text, limits, raw)
                return _terraform(name, text, data, forced)
            # it only begins like Terraform's output: a topology, whose schema explains it
        if fmt == "json":
            document = json_loader.load(name, text, limits, raw)
        else:
            document = yaml_loader.load(name, text, limits)
        if fmt == "json" and looks_like_terraform(document.data):
            return _terraform(name, text, document.data, forced)
    document.secrets = _secrets(text, document.data)
    return document


def _terraform(name: str, text: str, data: object, forced: bool) -> Document:
    """The Document of Terraform JSON (read into sites by ``validator.terraform``)."""
    if not isinstance(data, dict) or (forced and not looks_like_terraform(data)):
        raise InputError(
            f"{name}: not the JSON of `terraform show -json` (no planned_values or values); "
            "drop --input-format terraform-plan to read a topology file"
        )
    check_version(name, data)
    document = Document(name, data, TERRAFORM, json_loader.JsonLocator(text))
    redactor = Redactor(_secrets(text, data))
    redactor.add(marked_sensitive(data))
    document.secrets = redactor.values()
    return document
