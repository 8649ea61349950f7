"""Reading the records ``ccv sla`` works on: months, times, outage files, probe files.

Every problem raises :class:`~validator.sla.errors.SlaInputError` naming the file and
line (CSV) or entry (JSON) and how to fix it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from validator.redaction import quote
from validator.sla import tables
from validator.sla.arithmetic import Outage
from validator.sla.errors import SlaInputError

OUTAGE_COLUMNS = ("site", "start", "end", "cause")
PROBE_COLUMNS = ("timestamp", "pop_a", "pop_b", "size", "sent", "received", "rtt_ms")
PROBE_OPTIONAL_COLUMNS = ("rtt_max_ms",)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_DIGITS, MAX_EXPONENT = 40, 15
"""Decimal numbers ccv takes: at most 40 significant digits, magnitude below 10^15 and
not below 10^-15 (apart from zero). 1e999999999 would take exact arithmetic forever."""


def _short(text: str) -> str:
    """``text`` quoted for a message, cut to 40 characters."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


_TIME_EXAMPLE = "write it like 2026-02-03T10:15:00Z or 2026-02-03T18:15:00+08:00"


# --- values -------------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); ValueError with a readable message otherwise."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) == 0:
        raise ValueError(f"{_short(text)} is not a month; write it as YYYY-MM, e.g. 2026-02")
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) == (9999, 12):  # its end, 10000-01-01, is past what a datetime holds
        raise ValueError(f"{_short(text)} is out of range; the last month ccv can count is 9999-11")
    return year, month


def parse_time(text: str) -> datetime:
    """An ISO 8601 date-time with an offset or ``Z``, as an aware UTC datetime.

    ValueError for text that is not a date-time or has no offset (a naive time is
    ambiguous: ccv counts months in UTC and will not guess a time zone).
    """
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_short(value)} is not an ISO 8601 date-time; {_TIME_EXAMPLE}") from None
    if "T" not in value.upper() and " " not in value:
        raise ValueError(f"{_short(value)} is a date, not a date-time; {_TIME_EXAMPLE}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{_short(value)} has no UTC offset; {_TIME_EXAMPLE}")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00:00-14:00 is in year 10000 in UTC
        raise ValueError(
            f"{_short(value)} is out of range: in UTC it falls outside the years 1 to 9999"
        ) from None


def parse_service_start(text: str) -> datetime:
    """``--service-start``: a date ``YYYY-MM-DD`` (midnight UTC) or a date-time with offset."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{_short(value)} is not a valid date (YYYY-MM-DD)") from None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return parse_time(value)


def parse_decimal(text: str, what: str, *, low: Decimal | None = None) -> Decimal:
    """A decimal number (e.g. ``99.95``), exactly; ValueError naming ``what`` otherwise."""
    shown = _short(text)
    if len(text) > 200:
        raise ValueError(f"{what} {shown} is too long for a number")
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what} {shown} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{what} {shown} is not a finite number")
    if value and (
        len(value.as_tuple().digits) > MAX_DIGITS
        or not -MAX_EXPONENT <= value.adjusted() < MAX_EXPONENT
    ):
        raise ValueError(
            f"{what} {shown} is out of range; ccv takes numbers from 1e-{MAX_EXPONENT} to "
            f"1e{MAX_EXPONENT} with at most {MAX_DIGITS} digits"
        )
    if low is not None and value < low:
        raise ValueError(f"{what} {shown} must be at least {low}")
    return value


# --- files --------------------------------------------------------------------------


STDIN = Path("-")
"""The path that stands for standard input (``ccv sla measure -``)."""


def shown(path: Path) -> str:
    """``path`` as messages name it: ``<stdin>`` for standard input."""
    return "<stdin>" if path == STDIN else str(path)


def read_text(path: Path) -> str:
    """A file's text (UTF-8, BOM tolerated), or standard input's when ``path`` is ``-``;
    SlaInputError when unreadable, binary or past the input-bytes limit (docs/limits.md)."""
    from validator.load.document import InputError, load_bytes
    from validator.load.limits import DEFAULT_LIMITS

    try:
        raw = load_bytes(str(path), DEFAULT_LIMITS.input_bytes, "CSV or JSON records")
        if b"\x00" in raw:
            raise SlaInputError(shown(path), "binary file (NUL bytes)", "give CSV or JSON records")
        return raw.decode("utf-8").removeprefix("\ufeff")
    except InputError as exc:
        raise SlaInputError("", str(exc)) from None
    except UnicodeDecodeError as exc:
        raise SlaInputError(
            shown(path), f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise SlaInputError(shown(path), f"cannot read: {exc.strerror}") from None


def _csv_rows(
    path: Path, text: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line numbers, after checking the header."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        yield from _checked_rows(path, reader, required, optional)
    except csv.Error as exc:
        raise SlaInputError(
            f"{shown(path)}:{reader.line_num}",
            f"not readable as CSV ({exc})",
            "save it as plain CSV",
        ) from None


def _checked_rows(
    path: Path, reader: csv.DictReader, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise SlaInputError(
            f"{shown(path)}:1",
            "empty file",
            f"the first line must be the header {','.join(required)}",
        )
    reader.fieldnames = header
    missing = [name for name in required if name not in header]
    if missing:
        raise SlaInputError(
            f"{shown(path)}:1",
            f"header lacks column(s) {', '.join(missing)}",
            f"the header must be {','.join(required)}"
            + (f" (optional: {','.join(optional)})" if optional else ""),
        )
    for row in reader:
        if None in row:
            raise SlaInputError(
                f"{shown(path)}:{reader.line_num}",
                f"{len(header) + len(row[None])} fields but the header has {len(header)}",
                "quote values that contain commas",
            )
        if all(not (value or "").strip() for value in row.values()):
            continue
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def _field_time(where: str, row: dict[str, str], column: str) -> datetime:
    try:
        return parse_time(row[column])
    except ValueError as exc:
        raise SlaInputError(where, f"{column}: {exc}") from None


def _outage(where: str, row: dict[str, str]) -> Outage:
    site = row["site"]
    if not site:
        raise SlaInputError(where, "site is empty", "name the affected site")
    start = _field_time(where, row, "start")
    end = _field_time(where, row, "end")
    if end < start:
        raise SlaInputError(
            where,
            f"end {row['end']} is before start {row['start']}",
            "swap them or correct the times",
        )
    return Outage(site=site, start=start, end=end, cause=row["cause"], origin=where)


def read_outages(path: Path) -> list[Outage]:
    """Outage records from a CSV (header ``site,start,end,cause``) or JSON file (SPEC §9).

    JSON is a list of objects with the keys ``site``, ``start``, ``end``, ``cause``; a file
    is JSON when its name ends in ``.json`` or its text starts with ``[``.
    """
    text = read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        return _read_outages_json(path, text)
    return [
        _outage(f"{shown(path)}:{line}", row) for line, row in _csv_rows(path, text, OUTAGE_COLUMNS)
    ]


def _read_outages_json(path: Path, text: str) -> list[Outage]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SlaInputError(
            f"{shown(path)}:{exc.lineno}:{exc.colno}",
            f"not valid JSON ({exc.msg})",
            "fix the JSON syntax",
        ) from None
    except RecursionError:
        raise SlaInputError(
            shown(path), "nested too deeply to read", "outage records are a flat list of objects"
        ) from None
    except ValueError as exc:  # an integer past Python's int-string limit
        raise SlaInputError(
            shown(path), f"a number too long to read ({str(exc).split(';')[0]})", "correct it"
        ) from None
    if not isinstance(data, list):
        raise SlaInputError(
            shown(path),
            "JSON outage records must be a list",
            'write [{"site": ..., "start": ..., "end": ..., "cause": ...}, ...]',
        )
    outages = []
    for index, item in enumerate(data, start=1):
        where = f"{shown(path)}: entry {index}"
        if not isinstance(item, dict):
            raise SlaInputError(where, "not an object", "each entry is {site, start, end, cause}")
        missing = [key for key in OUTAGE_COLUMNS if key not in item]
        if missing:
            raise SlaInputError(
                where,
                f"lacks key(s) {', '.join(missing)}",
                "each entry needs site, start, end, cause",
            )
        row = {}
        for key in OUTAGE_COLUMNS:
            value = item[key]
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise SlaInputError(where, f"{key} must be a string, not {quote(value)}")
            row[key] = value.strip()
        outages.append(_outage(where, row))
    return outages


@dataclass(frozen=True)
class ProbeRecord:
    """One probe row, normalised: packets sent, replies within the loss threshold and the
    sum of their round-trip times. ``late`` counts replies the 2000 ms rule made lost."""

    timestamp: datetime
    pair: tuple[str, str]
    size: int
    sent: int
    replies: int
    rtt_sum: Fraction
    late: int
    origin: str


def _int_field(where: str, row: dict[str, str], column: str, low: int) -> int:
    text = row[column]
    if len(text) > 18 or not text.lstrip("+-").isdigit():
        raise SlaInputError(
            where, f"{column} {_short(text)} is not a whole number below 10^18"
        ) from None
    value = int(text)
    if value < low:
        raise SlaInputError(where, f"{column} {value} must be at least {low}")
    return value


def _ms_field(where: str, row: dict[str, str], column: str) -> Decimal | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        return parse_decimal(text, column, low=Decimal(0))
    except ValueError as exc:
        raise SlaInputError(where, str(exc), "give milliseconds, e.g. 32.4") from None


def _probe(where: str, row: dict[str, str]) -> ProbeRecord:
    method = tables.measurement()
    limit = method.loss_rtt_ms
    timestamp = _field_time(where, row, "timestamp")
    pop_a, pop_b = row["pop_a"], row["pop_b"]
    if not pop_a or not pop_b:
        raise SlaInputError(where, "pop_a and pop_b must both be given", "name the two POPs")
    if pop_a == pop_b:
        raise SlaInputError(where, f"pop_a and pop_b are both {pop_a}", "name two different POPs")
    size = _int_field(where, row, "size", 1)
    if size not in method.packet_sizes:
        sizes = ", ".join(str(s) for s in method.packet_sizes)
        raise SlaInputError(
            where, f"size {size} is not one the annex measures", f"use one of {sizes} bytes"
        )
    sent = _int_field(where, row, "sent", 1)
    received = _int_field(where, row, "received", 0)
    if received > sent:
        raise SlaInputError(where, f"received {received} exceeds sent {sent}")
    rtt = _ms_field(where, row, "rtt_ms")
    rtt_max = _ms_field(where, row, "rtt_max_ms")
    if received and rtt is None:
        raise SlaInputError(where, "rtt_ms is empty but replies were received", "give the RTT")
    pair = (min(pop_a, pop_b), max(pop_a, pop_b))
    if sent == 1:
        # one packet: a reply slower than the threshold is a lost packet (annex art. 2.1(3))
        late = 1 if received and rtt is not None and rtt > limit else 0
        replies = received - late
        rtt_sum = Fraction(rtt) if replies and rtt is not None else Fraction(0)
        return ProbeRecord(timestamp, pair, size, sent, replies, rtt_sum, late, where)
    slowest = max((v for v in (rtt, rtt_max) if v is not None), default=None)
    if received and slowest is not None and slowest > limit:
        raise SlaInputError(
            where,
            f"this {sent}-packet row includes replies slower than {limit} ms, which the annex "
            "counts as lost",
            "give per-packet rows (sent=1) for this run, or count only replies within "
            f"{limit} ms in received and rtt_ms",
        )
    rtt_sum = Fraction(rtt) * received if received and rtt is not None else Fraction(0)
    return ProbeRecord(timestamp, pair, size, sent, received, rtt_sum, 0, where)


def read_probes(path: Path) -> list[ProbeRecord]:
    """Probe records from a CSV file (header ``timestamp,pop_a,pop_b,size,sent,received,
    rtt_ms`` and optionally ``rtt_max_ms``; format in docs/sla.md)."""
    text = read_text(path)
    rows = _csv_rows(path, text, PROBE_COLUMNS, PROBE_OPTIONAL_COLUMNS)
    return [_probe(f"{shown(path)}:{line}", row) for line, row in rows]
