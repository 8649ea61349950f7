"""JSON input: parsed at C speed, positions found lazily and only for the paths asked.

A topology of a million ranges is tens of megabytes; building a position table for
every node would cost more than the parse itself. ``json.loads`` parses, and the
locator walks the text only when a finding needs a line and column, skipping the
subtrees no finding points into with the C scanner.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re

from validator.load.limits import DEFAULT_LIMITS, LimitError, Limits
from validator.load.types import Document, DuplicateKey, InputError, Path_

_WS = re.compile(r"[ \t\n\r]*")
_WS_CHARS = frozenset(" \t\n\r")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring


class JsonLocator:
    """Positions in a JSON text, computed on demand and cached per path."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts: list[int] | None = None
        self._values: dict[Path_, int] = {}
        self._keys: dict[Path_, list[int]] = {}
        self._done: set[Path_] = set()

    # -- public -------------------------------------------------------------
    def value(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of the value at ``path``."""
        self.prepare([path])
        offset = self._values.get(tuple(path))
        return None if offset is None else self._position(offset)

    def key(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of the (last) key that ends ``path``."""
        self.prepare([path])
        offsets = self._keys.get(tuple(path))
        return None if not offsets else self._position(offsets[-1])

    def span(self, path: Path_) -> tuple[tuple[int, int], tuple[int, int], str] | None:
        """(start, end, quote) of the scalar value at ``path``: 1-based line and column
        of its first character and of the character after it; ``quote`` is ``'"'`` for a
        string. None for a mapping, a list, or a path not in the text."""
        self.prepare([path])
        offset = self._values.get(tuple(path))
        if offset is None or self._text[offset] in "[{":
            return None
        end = self._skip_value(offset)
        quote = '"' if self._text[offset] == '"' else ""
        return self._position(offset), self._position(end), quote

    def key_occurrences(self, path: Path_) -> list[tuple[int, int]]:
        """Positions of every occurrence of the key ending ``path``, in text order."""
        self.prepare([path])
        return [self._position(o) for o in self._keys.get(tuple(path), [])]

    def prepare(self, paths) -> None:
        """Find the positions of many paths in one walk of the text."""
        wanted = [tuple(p) for p in paths if tuple(p) not in self._done]
        if not wanted:
            return
        trie: dict = {}
        for path in wanted:
            node = trie
            for part in path:
                node = node.setdefault(part, {})
            node[_END] = True
        with contextlib.suppress(ValueError, IndexError):  # positions stay unknown
            self._walk(self._skip_ws(0), (), trie)
        self._done.update(wanted)

    # -- internals ----------------------------------------------------------
    def _position(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            starts = [0]
            find = self._text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _skip_ws(self, idx: int) -> int:
        # Compact JSON has no whitespace between most tokens: skip the regex then.
        text = self._text
        if idx < len(text) and text[idx] not in _WS_CHARS:
            return idx
        return _WS.match(text, idx).end()

    def _skip_value(self, idx: int) -> int:
        return _DECODER.raw_decode(self._text, idx)[1]

    def _walk(self, idx: int, path: Path_, trie: dict) -> int:
        """Record positions under ``trie`` for the value at ``idx``; return the end offset."""
        self._values.setdefault(path, idx)
        children = {k: v for k, v in trie.items() if k is not _END}
        if not children:
            return self._skip_value(idx)
        text = self._text
        char = text[idx]
        if char == "{":
            idx = self._skip_ws(idx + 1)
            if text[idx] == "}":
                return idx + 1
            while True:
                key_at = idx
                key, idx = _scanstring(text, idx + 1)
                idx = self._skip_ws(idx)
                idx = self._skip_ws(idx + 1)  # the colon
                child_path = (*path, key)
                if key in children:
                    self._keys.setdefault(child_path, []).append(key_at)
                    self._values[child_path] = idx  # the last occurrence wins, as in json
                    idx = self._walk(idx, child_path, children[key])
                else:
                    idx = self._skip_value(idx)
                idx = self._skip_ws(idx)
                if text[idx] == "}":
                    return idx + 1
                idx = self._skip_ws(idx + 1)
        if char == "[":
            idx = self._skip_ws(idx + 1)
            if text[idx] == "]":
                return idx + 1
            position = 0
            last = max((k for k in children if isinstance(k, int)), default=-1)
            while True:
                if position in children:
                    idx = self._walk(idx, (*path, position), children[position])
                elif position > last:
                    return self._skip_rest_of_array(idx)
                else:
                    idx = self._skip_value(idx)
                idx = self._skip_ws(idx)
                if text[idx] == "]":
                    return idx + 1
                idx = self._skip_ws(idx + 1)
                position += 1
        return self._skip_value(idx)

    def _skip_rest_of_array(self, idx: int) -> int:
        # Nothing more is wanted in this array; callers above still need its end, so
        # find it by decoding the remaining elements at C speed.
        text = self._text
        while True:
            idx = self._skip_ws(self._skip_value(idx))
            if text[idx] == "]":
                return idx + 1
            idx = self._skip_ws(idx + 1)


_END = object()


def _find_paths(data: object, targets: set[int]) -> dict[int, Path_]:
    """Paths of the dicts whose id() is in ``targets`` (used only when duplicates exist)."""
    found: dict[int, Path_] = {}
    stack: list[tuple[object, Path_]] = [(data, ())]
    while stack and len(found) < len(targets):
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in targets:
                found[id(node)] = path
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return found


# Everything but brackets, commas and quotes, deleted in one C pass (bytes.translate).
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'[]{},"')
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_LONE_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)


def shape(text: str, raw: bytes | None = None) -> tuple[int, int]:
    """(depth, items) of a valid JSON text, measured at C speed on its structure alone.

    Strings are dropped (escaped backslashes and quotes first, then every string without
    a bracket or comma as an adjacent pair of quotes), leaving brackets and commas; the
    depth is the number of passes that delete innermost pairs, the items (list items and
    mapping entries; an empty list or mapping counts as one) the commas plus the
    containers. A million-range plan (55 MB) takes about 0.15 s.
    """
    if raw is None:
        raw = text.encode("utf-8", "surrogatepass")
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    rest = raw.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in rest:  # strings holding brackets or commas: drop them the slow way
        rest = b"".join(rest.split(b'"')[::2])
    items = rest.count(b",") + rest.count(b"[") + rest.count(b"{")
    rest = rest.translate(_BRACKETS, b",")
    depth = 0
    while rest:
        depth += 1
        shorter = rest.replace(b"[]", b"")
        if len(shorter) == len(rest):  # not valid JSON after all: nothing more to count
            break
        rest = shorter
    return depth, items


def check_shape(name: str, text: str, limits: Limits, raw: bytes | None = None) -> None:
    """LimitError when valid JSON ``text`` is nested deeper or holds more values than
    ``limits`` allow."""
    depth, items = shape(text, raw)
    if depth > limits.depth:
        raise LimitError("depth", name, f"nested {depth} levels deep", limits.depth)
    if items > limits.items:
        raise LimitError("items", name, f"{items:,} values", limits.items)


def _check_surrogates(name: str, text: str, locator: JsonLocator) -> None:
    """InputError at a ``\\ud800``-style escape that is half of a UTF-16 pair: Python can
    hold it, but no output (UTF-8) can carry it."""
    if "\\u" not in text:
        return
    found = _LONE_SURROGATE.search(text)
    if found:
        escape = found.group(0).lstrip("\\")
        line, column = locator._position(found.end() - 6)
        raise InputError(
            f"{name}:{line}:{column}: the escape \\{escape} is half of a UTF-16 surrogate pair "
            "and stands for no character; remove it or write the whole pair"
        )


_LONG_NUMBER = re.compile(r"-?[0-9]{4000,}")


def _long_number(name: str, text: str, locator: JsonLocator, exc: ValueError) -> InputError:
    found = _LONG_NUMBER.search(text)
    if not found:
        return InputError(f"{name}: not valid JSON: {str(exc).split(';')[0]}")
    line, column = locator._position(found.start())
    digits = len(found.group(0).lstrip("-"))
    return InputError(
        f"{name}:{line}:{column}: a number of {digits:,} digits, too long to read (Python reads"
        " integers of up to 4,300 digits); correct it, or quote it to make it text"
    )


def load(
    name: str, text: str, limits: Limits = DEFAULT_LIMITS, raw: bytes | None = None
) -> Document:
    """Parse JSON ``text`` named ``name`` (``raw``: its bytes, when at hand); InputError
    when it is not JSON or holds a value no output can carry, LimitError when it is
    nested deeper or holds more values than ``limits`` allow."""
    repeated: list[tuple[dict, list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            dups = [k for k, _ in pairs if k in seen or seen.add(k)]
            repeated.append((result, dups))
        return result

    locator = JsonLocator(text)
    if not text.strip():
        return Document(name, None, "json", locator, empty=True)
    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise LimitError("depth", name, "nested too deeply to read", limits.depth) from None
    except ValueError as exc:  # an integer past Python's int-string limit
        raise _long_number(name, text, locator, exc) from None
    check_shape(name, text, limits, raw)
    _check_surrogates(name, text, locator)
    duplicates: list[DuplicateKey] = []
    if repeated:
        paths = _find_paths(data, {id(d) for d, _ in repeated})
        for mapping, keys in repeated:
            base = paths.get(id(mapping))
            if base is None:
                continue
            for key in dict.fromkeys(keys):
                occurrences = locator.key_occurrences((*base, key))
                for later in occurrences[1:] or [None]:
                    duplicates.append(
                        DuplicateKey((*base, key), occurrences[0] if occurrences else None, later)
                    )
    return Document(name, data, "json", locator, duplicate_keys=duplicates)


def parse_plain(name: str, text: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """``json.loads(text)`` with InputError for text that is not JSON (no duplicate-key
    bookkeeping: for machine-written JSON such as Terraform's), LimitError past
    ``limits`` (depth and items, checked as load() does)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise LimitError("depth", name, "nested too deeply to read", limits.depth) from None
    except ValueError as exc:  # an integer past Python's int-string limit
        raise _long_number(name, text, JsonLocator(text), exc) from None
    _check_surrogates(name, text, JsonLocator(text))
    return data
