"""Secrets never leave ccv: the one place values are quoted and messages are cleaned.

A plan carries secrets (``auth_key``, a BGP MD5 key; Terraform plans add their own
sensitive attributes). Every user value a message quotes goes through :func:`quote`,
which masks the value of a sensitive key wherever it stands in a container and never
shows a value whose own key is sensitive; every finding's message and hint, and every
one-line input error, then goes through a :class:`Redactor` holding the secret values
of the inputs, which masks any of them that got into the text some other way.

Readers of other input kinds register what they know is secret:
``register_sensitive_key("bgp_auth_key")`` for a key name, ``Redactor.add(value)`` for
one value (a Terraform attribute marked sensitive).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

MASK = "***"
MIN_TEXT_SECRET = 4
"""Secret values shorter than this are masked where they are quoted (:func:`quote`) but
not searched for in free text, where "10" or "abc" would mask half of every message."""

# auth_key: the topology's BGP MD5 key; bgp_auth_key and shared_key: the same secret in
# Terraform plans (AWS Direct Connect, Azure ExpressRoute/VPN), masked even unmarked.
_SENSITIVE_KEYS: set[str] = {"auth_key", "bgp_auth_key", "shared_key"}


def register_sensitive_key(name: str) -> None:
    """Treat the values of every mapping key called ``name`` as secrets from now on."""
    _SENSITIVE_KEYS.add(name)


def sensitive_keys() -> frozenset[str]:
    """The key names whose values are secrets."""
    return frozenset(_SENSITIVE_KEYS)


def is_sensitive_path(path: Iterable[str | int]) -> bool:
    """True when a value at ``path`` (keys and indexes from the top) is, or is inside, the
    value of a sensitive key."""
    return any(isinstance(part, str) and part in _SENSITIVE_KEYS for part in path)


def masked(value: object, depth: int = 8) -> object:
    """A copy of ``value`` fit to print: sensitive keys' values masked, containers below
    ``depth`` levels shown as ``…``. Never recursive past
    ``depth``, so any value can be quoted."""
    if isinstance(value, dict):
        if depth <= 0:
            return "{…}"
        return {
            str(k): MASK if k in _SENSITIVE_KEYS else masked(v, depth - 1)
            for k, v in list(value.items())[:20]
        }
    if isinstance(value, list):
        if depth <= 0:
            return "[…]"
        return [masked(v, depth - 1) for v in value[:20]]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def quote(value: object, path: Iterable[str | int] = (), width: int = 60) -> str:
    """``value`` as a message shows it (JSON-like, at most ``width`` characters); ``MASK``
    when ``path`` is, or is inside, a sensitive key's value."""
    if is_sensitive_path(path):
        return MASK
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"(a number of about {int(value.bit_length() * 0.30103) + 1:,} digits)"
    text = json.dumps(masked(value), ensure_ascii=False, default=str)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= width else text[: width - 3] + "..."


def secret_values(data: object) -> set[str]:
    """The text forms of every value held under a sensitive key anywhere in ``data``."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _SENSITIVE_KEYS:
                    _collect(value, found)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found


def _text(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 14000:
        return ""  # too long to print: no message can quote it either
    return str(value)


def _collect(value: object, found: set[str]) -> None:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif node is not None and not isinstance(node, bool):
            for text in {_text(node), json.dumps(_text(node), ensure_ascii=False)}:
                if len(text.strip()) >= MIN_TEXT_SECRET:
                    found.add(text)


class Redactor:
    """Masks known secret values in any text; ``redactor(text)`` returns the clean text."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        """``values``: secret values in their text form."""
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        for value in values:
            self.add(value)

    def add(self, value: object) -> None:
        """Register one more secret (any scalar or container of them)."""
        before = len(self._values)
        if isinstance(value, str):
            if len(value.strip()) >= MIN_TEXT_SECRET:
                self._values.add(value)
        else:
            _collect(value, self._values)
        if len(self._values) != before:
            self._pattern = None

    def add_data(self, data: object) -> None:
        """Register every value held under a sensitive key in ``data``."""
        for value in secret_values(data):
            self.add(value)

    def values(self) -> frozenset[str]:
        """The text forms of the secrets registered."""
        return frozenset(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def __call__(self, text: str) -> str:
        """``text`` with every registered secret value replaced by ``MASK``."""
        if not self._values or not text:
            return text
        if self._pattern is None:
            ordered = sorted(self._values, key=lambda v: (-len(v), v))
            self._pattern = re.compile("|".join(map(re.escape, ordered)))
        return self._pattern.sub(MASK, text)


_SEEN = Redactor()


def seen_secrets() -> Redactor:
    """The command line's last resort: a Redactor holding the secrets of every input this
    process has read (``seen_secrets().add(...)``), for the one-line errors it prints
    outside any report."""
    return _SEEN
