"""Committed PoP-PoP latencies from a topology plan, read with ccv's own loader."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from validator.load.document import InputError, load_document
from validator.model import Link, build_plan
from validator.redaction import quote
from validator.sla.errors import SlaInputError


def _latency(link: Link) -> Decimal:
    """A link's latency_ms as a Decimal; SlaInputError at the value when it is not a
    finite number (``ccv validate`` reports it as CCV100)."""
    number = link.latency_ms
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        value = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
        if value.is_finite():
            return value
    doc = link.origin.doc
    line, column = doc.locate((*link.origin.path, "latency_ms"))
    raise SlaInputError(
        f"{doc.name}:{line}:{column}",
        f"latency_ms {quote(number)} of link {link.id} is not a finite number",
        "correct it; `ccv validate` checks the whole plan",
    )


def committed_latencies(path: Path | str) -> dict[frozenset[str], Decimal]:
    """Committed latency per POP pair from a topology plan's ``backbone`` links (SPEC §2).

    Returns ``{frozenset({pop_a, pop_b}): latency_ms}``; when several links join the same
    pair, the smallest latency. Links without ``latency_ms`` commit nothing. The plan is
    read like ``ccv validate`` reads it (YAML or JSON); run that first to check it.
    """
    try:
        document = load_document(str(path))
    except InputError as exc:
        raise SlaInputError("", str(exc), "fix the plan so `ccv validate` can read it") from None
    if not isinstance(document.data, dict):
        raise SlaInputError(str(path), "a topology plan must be a mapping", "see `ccv schema`")
    committed: dict[frozenset[str], Decimal] = {}
    for link in build_plan([document]).links:
        if link.latency_ms is None:
            continue
        value = _latency(link)
        key = frozenset({link.a, link.b})
        committed[key] = min(committed.get(key, value), value)
    return committed
