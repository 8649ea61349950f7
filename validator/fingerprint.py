"""A finding's fingerprint: what it is about, not where it stands (SPEC §11).

The fingerprint hashes the rule, the objects and the values the finding's message
names, with every position taken out: ``(first on line 8)`` and ``FILE:18``
references, and the input's own name. The message is where a finding names its values
(the two overlapping ranges, the repeated ASN), so a changed value is a new finding.
Its words are hashed as a sorted bag, because moving objects in the file swaps the
roles of a pair ("A overlaps B" becomes "B overlaps A"); so a comment added above a
finding, objects moved within the file, or the file renamed keep the fingerprint.
Hints are left out: a suggested free range changes whenever the plan does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

LENGTH = 16
"""Hex digits of a fingerprint (64 bits)."""

_LINE_WORDS = re.compile(r"\b(on|at) line \d+(?::\d+)?")
_SEPARATORS = str.maketrans(dict.fromkeys(",;()[]{}\"'", " "))


def positionless(message: str, file_names: Iterable[str]) -> str:
    """``message`` without line numbers and without the names of the inputs."""
    text = _LINE_WORDS.sub(r"\1 line", message) if "line " in message else message
    for name in sorted(set(file_names), key=len, reverse=True):
        if name and name in text:
            text = re.sub(re.escape(name) + r"(?::\d+){0,2}", "<input>", text)
    return text


def fingerprint(rule: str, objects: Iterable[str], message: str, file_names: Iterable[str]) -> str:
    """The fingerprint of a finding of ``rule`` naming ``objects`` with ``message``.

    ``file_names`` are the names of the inputs checked together (their mentions in the
    message are not part of the identity). 16 lowercase hex digits.
    """
    text = positionless(message, file_names).translate(_SEPARATORS)
    words = sorted(word.rstrip(".:") for word in text.split())
    key = "\x1f".join((rule, *sorted(set(objects)), "\x1e", *words))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:LENGTH]
