"""Committed PoP-PoP latencies from a topology plan: the one seam to the plan loader."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from validator.sla.errors import SlaInputError
from validator.sla.records import read_text


def committed_latencies(path: Path | str) -> dict[frozenset[str], Decimal]:
    """Committed latency per POP pair from a topology plan's ``backbone`` links (SPEC §2).

    Returns ``{frozenset({pop_a, pop_b}): latency_ms}``; when several links join the same
    pair, the smallest latency. Links without ``latency_ms`` commit nothing.

    This reads the YAML/JSON plan directly (top-level ``backbone`` list of ``{a, b,
    latency_ms}``); it is the one place to switch to the main plan loader once it exists.
    """
    path = Path(path)
    text = read_text(path)
    try:
        plan = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise SlaInputError(where, "not valid YAML/JSON", "fix the plan's syntax") from None
    if not isinstance(plan, dict):
        raise SlaInputError(str(path), "a topology plan must be a mapping", "see SPEC §2")
    backbone = plan.get("backbone") or []
    if not isinstance(backbone, list):
        raise SlaInputError(str(path), "backbone must be a list of links", "see SPEC §2")
    committed: dict[frozenset[str], Decimal] = {}
    for index, link in enumerate(backbone):
        where = f"{path}: /backbone/{index}"
        if not isinstance(link, dict) or "a" not in link or "b" not in link:
            raise SlaInputError(where, "a backbone link needs a and b", "write {a: POP, b: POP}")
        latency = link.get("latency_ms")
        if latency is None:
            continue
        if isinstance(latency, bool) or not isinstance(latency, int | float):
            raise SlaInputError(where, f"latency_ms {latency!r} is not a number")
        value = Decimal(str(latency))
        key = frozenset({str(link["a"]), str(link["b"])})
        committed[key] = min(committed.get(key, value), value)
    return committed
