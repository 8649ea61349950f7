"""JSON Patch (RFC 6902) operations: building them from origins and applying them.

Only the operations ccv's fixes use: ``replace``, ``add``, ``remove`` and ``move``
(a key renamed in place: the key keeps its position in the mapping).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from validator.load.document import Path_, pointer
from validator.model import Origin


class PatchError(ValueError):
    """An operation whose target does not exist in the document."""


def replace(at: Origin, value: object) -> dict:
    """``{"op": "replace", "path": …, "value": value}`` for the node at ``at``."""
    return {"op": "replace", "path": pointer(at.path), "value": value}


def remove(at: Origin) -> dict:
    """``{"op": "remove", "path": …}`` for the node at ``at``."""
    return {"op": "remove", "path": pointer(at.path)}


def add(at: Origin, value: object) -> dict:
    """``{"op": "add", "path": …, "value": value}``: insert before list index / set a key."""
    return {"op": "add", "path": pointer(at.path), "value": value}


def rename(at: Origin, new_key: str) -> dict:
    """``{"op": "move", "from": …, "path": …}`` renaming the key that ends ``at``."""
    return {"op": "move", "from": pointer(at.path), "path": pointer((*at.path[:-1], new_key))}


def parse_pointer(text: str) -> list[str]:
    """The reference tokens of a JSON pointer (RFC 6901); ``""`` is the whole document."""
    if text == "":
        return []
    if not text.startswith("/"):
        raise PatchError(f"not a JSON pointer: {text!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in text[1:].split("/")]


def _step(node: object, token: str) -> tuple[object, object]:
    """(container-key, child) for one token below ``node``."""
    if isinstance(node, dict):
        if token not in node:
            raise PatchError(f"no key {token!r}")
        return token, node[token]
    if isinstance(node, list):
        if not token.isdigit() or int(token) >= len(node):
            raise PatchError(f"no list item {token!r}")
        return int(token), node[int(token)]
    raise PatchError(f"cannot descend into a scalar at {token!r}")


def _parent(data: object, tokens: list[str]) -> object:
    node = data
    for token in tokens[:-1]:
        _, node = _step(node, token)
    return node


def _rename_key(mapping: dict, old: str, new: str) -> None:
    """Rename ``old`` to ``new`` keeping its position (ruamel's CommentedMap: ``insert``)."""
    value = mapping[old]
    position = list(mapping).index(old)
    if hasattr(mapping, "insert"):
        del mapping[old]
        mapping.insert(position, new, value)  # type: ignore[attr-defined]
        return
    items = list(mapping.items())
    items[position] = (new, value)
    mapping.clear()
    mapping.update(items)


def apply_op(data: object, op: dict) -> object:
    """Apply one operation to ``data`` in place; returns the (possibly new) root."""
    kind = op["op"]
    tokens = parse_pointer(op["path"])
    if not tokens:
        if kind in ("replace", "add"):
            return copy.deepcopy(op["value"])
        raise PatchError(f"cannot {kind} the whole document")
    parent = _parent(data, tokens)
    last = tokens[-1]
    if kind == "replace":
        key, _ = _step(parent, last)
        parent[key] = copy.deepcopy(op["value"])  # type: ignore[index]
    elif kind == "remove":
        key, _ = _step(parent, last)
        del parent[key]  # type: ignore[arg-type]
    elif kind == "add":
        value = copy.deepcopy(op["value"])
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if not 0 <= index <= len(parent):
                raise PatchError(f"list index {last} out of range")
            parent.insert(index, value)
        elif isinstance(parent, dict):
            parent[last] = value
        else:
            raise PatchError("cannot add below a scalar")
    elif kind == "move":
        source = parse_pointer(op["from"])
        if source[:-1] != tokens[:-1] or not isinstance(parent, dict):
            raise PatchError("only a key rename within one mapping is supported")
        if last in parent:
            raise PatchError(f"key {last!r} exists already")
        _step(parent, source[-1])
        _rename_key(parent, source[-1], last)
    else:
        raise PatchError(f"unsupported operation {kind!r}")
    return data


def apply_patch(data: object, ops: Iterable[dict]) -> object:
    """A copy of ``data`` with ``ops`` applied in order (PatchError when one does not apply)."""
    result = copy.deepcopy(data)
    for op in ops:
        result = apply_op(result, op)
    return result


def touched(ops: Iterable[dict]) -> list[Path_]:
    """The paths (as token tuples) an operation list writes or reads."""
    found: list[Path_] = []
    for op in ops:
        found.append(tuple(parse_pointer(op["path"])))
        if "from" in op:
            found.append(tuple(parse_pointer(op["from"])))
    return found


def overlapping(a: Path_, b: Path_) -> bool:
    """True when one path is the other or lies below it."""
    shorter = min(len(a), len(b))
    return tuple(a[:shorter]) == tuple(b[:shorter])


def shift_pointer(text: str, ops: Iterable[dict]) -> str | None:
    """Where the node at pointer ``text`` is after ``ops``: list removals and insertions
    move later items; a removed or renamed node gives None (or its new pointer)."""
    tokens = parse_pointer(text)
    for op in ops:
        target = parse_pointer(op["path"])
        if op["op"] == "move":
            source = parse_pointer(op["from"])
            if tokens[: len(source)] == source:
                tokens = target + tokens[len(source) :]
            continue
        if op["op"] not in ("add", "remove"):
            continue
        depth = len(target) - 1
        if len(tokens) <= depth or tokens[:depth] != target[:depth]:
            continue
        if not (target[-1].isdigit() and tokens[depth].isdigit()):
            if op["op"] == "remove" and tokens[: len(target)] == target:
                return None
            continue
        at, mine = int(target[-1]), int(tokens[depth])
        if op["op"] == "remove":
            if mine == at:
                return None
            if mine > at:
                tokens[depth] = str(mine - 1)
        elif mine >= at:
            tokens[depth] = str(mine + 1)
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)
