"""Autonomous system numbers in the notations a plan may use."""

from __future__ import annotations

import re

_PLAIN = re.compile(r"^(?:[Aa][Ss])?([0-9]+)$")
_DOT = re.compile(r"^(?:[Aa][Ss])?([0-9]+)\.([0-9]+)$")


def parse_asn(value: object) -> int | None:
    """The asplain value of ``value``, or None when it is not an ASN notation.

    Accepts an integer (``64512``), ``"AS64512"`` / ``"64512"``, and asdot
    ``"1.10"`` (= 65546, RFC 5396). Range checks are left to the ASN rules: the
    result may be negative or larger than 32 bits. A bool or a float is not an ASN.

    >>> parse_asn("64086.59905")
    4200000001
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _PLAIN.match(text)
    if match:
        return int(match.group(1))
    match = _DOT.match(text)
    if match:
        high, low = int(match.group(1)), int(match.group(2))
        if high > 0xFFFF or low > 0xFFFF:
            return -1  # out of range for asdot: CCV401 reports it
        return high * 65536 + low
    return None
