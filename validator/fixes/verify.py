"""The safety net behind every fix: applied alone, it removes its finding and adds none.

The suggestion code proposes values the rules accept (``validator.fixes.suggest``); this
module checks the whole claim with the whole rule set as the judge: the fix is applied to
a copy of the input, the plan is checked again, and the fix is kept only when its finding
is gone and no other finding appeared (findings compared by rule, severity, objects and
JSON pointer, pointers shifted past list items a fix removes). A withdrawn fix's hint
falls back to words without the value. Plans too large to re-check once per fix keep the
suggestion code's fixes (each is chosen to pass the rules; the property test holds them
to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from validator.fixes.patch import PatchError, apply_patch, shift_pointer
from validator.load.document import Document
from validator.load.types import NoPositions
from validator.report import Finding

WORK_LIMIT = 200_000
"""Re-check only while (fixes to verify) × (ranges, lines, POPs, links and flows of the
plan) stays below this."""

UNCHECKED_WITHDRAWN = ("CCV100", "CCV101", "CCV102", "CCV103")
"""Rules whose fixes are kept only when verified: fixing the last input error lets the
path, capacity and tier checks run, whose findings no local reasoning can foresee."""


def identity(finding: Finding, pointer: str | None = None) -> tuple:
    """What makes two findings the same finding before and after a fix."""
    return (
        finding.rule,
        finding.severity,
        finding.objects,
        finding.path if pointer is None else pointer,
    )


def patched(document: Document, ops: list[dict]) -> Document:
    """A copy of ``document`` with ``ops`` applied (no positions); PatchError if they fail."""
    data = apply_patch(document.data, ops)
    return Document(document.name, data, document.format, NoPositions())


def holds(before: list[Finding], finding: Finding, after: list[Finding]) -> bool:
    """True when ``after`` (the findings with ``finding.fix`` applied) lacks ``finding`` and
    holds nothing that ``before`` did not."""
    ops = finding.fix or []
    expected: Counter = Counter()
    for other in before:
        moved = shift_pointer(other.path, ops)
        if moved is not None:
            expected[identity(other, moved)] += 1
    own = shift_pointer(finding.path, ops)
    found = Counter(identity(f) for f in after)
    if own is not None and found[identity(finding, own)] >= expected[identity(finding, own)]:
        return False
    return all(count <= expected[key] for key, count in found.items())


def verify(
    documents: list[Document],
    findings: list[Finding],
    recheck: Callable[[list[Document]], list[Finding]],
    items: int,
) -> None:
    """Withdraw, in place, every fix of ``findings`` that fails :func:`holds`.

    ``recheck(documents)`` gives the findings of a changed plan (without verification).
    """
    fixed = [f for f in findings if f.fix]
    if not fixed:
        return
    if len(fixed) * max(items, 1) > WORK_LIMIT:
        # Too large to re-check per fix: the value fixes stay (the rules chose them), but
        # an input fix can start every check that input errors held back: withdrawn.
        for finding in fixed:
            if finding.rule in UNCHECKED_WITHDRAWN:
                _withdraw(finding)
        return
    by_name = {doc.name: i for i, doc in enumerate(documents)}
    for finding in fixed:
        where = by_name.get(finding.location.file) if finding.location else None
        ok = False
        if where is not None:
            try:
                changed = list(documents)
                changed[where] = patched(documents[where], finding.fix or [])
            except (PatchError, KeyError, ValueError, TypeError):
                changed = None
            if changed is not None:
                mine = [
                    f for f in findings if f.location and f.location.file == finding.location.file
                ]
                after = [
                    f
                    for f in recheck(changed)
                    if f.location and f.location.file == finding.location.file
                ]
                ok = holds(mine, finding, after)
        if not ok:
            _withdraw(finding)


def _withdraw(finding: Finding) -> None:
    finding.fix = None
    if finding.fallback is not None:
        finding.hint = finding.fallback
