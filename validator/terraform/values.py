"""Reading one attribute of a resource: known, unknown until apply, sensitive, or absent."""

from __future__ import annotations

from validator.load.terraform import SECRET_ATTRIBUTES
from validator.terraform.plan import Resource

KNOWN, UNKNOWN, SENSITIVE, ABSENT = "known", "unknown", "sensitive", "absent"


def _step(node: object, part: str | int) -> object:
    if node is True:
        return True
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def lookup(resource: Resource, *path: str | int) -> tuple[str, object]:
    """(status, value) of the attribute at ``path`` (``("bgp", 0, "asn")``).

    A sensitive value (marked in the plan, or one of the BGP secrets) is never returned:
    its status is SENSITIVE and its value None. UNKNOWN values come from ``after_unknown``.
    """
    if len(path) == 1:  # the common case, without the general walk
        name = path[0]
        if name in SECRET_ATTRIBUTES:
            return SENSITIVE, None
        marks = resource.sensitive
        if marks is True or (type(marks) is dict and marks.get(name) is True):
            return SENSITIVE, None
        marks = resource.unknown
        if marks is True or (type(marks) is dict and marks.get(name) is True):
            return UNKNOWN, None
        value = resource.values.get(name)
        return (ABSENT, None) if value is None else (KNOWN, value)
    if any(part in SECRET_ATTRIBUTES for part in path if isinstance(part, str)):
        return SENSITIVE, None
    sensitive: object = resource.sensitive
    unknown: object = resource.unknown
    value: object = resource.values
    for part in path:
        sensitive = _step(sensitive, part)
        if sensitive is True:
            return SENSITIVE, None
        unknown = _step(unknown, part)
        value = _step(value, part)
    if unknown is True:
        return UNKNOWN, None
    if value is None:
        return ABSENT, None
    return KNOWN, value
