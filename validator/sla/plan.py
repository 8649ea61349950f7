"""Committed PoP-PoP latencies from a topology plan, read with ccv's own loader."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from validator.load.document import InputError, load_document
from validator.model import build_plan
from validator.sla.errors import SlaInputError


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
        value = Decimal(str(link.latency_ms))
        key = frozenset({link.a, link.b})
        committed[key] = min(committed.get(key, value), value)
    return committed
