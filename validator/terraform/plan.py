"""Reading ``terraform show -json`` output: every managed resource instance after apply.

The format is HashiCorp's JSON output format (https://developer.hashicorp.com/terraform/
internals/json-format): ``planned_values`` (a plan) or ``values`` (a state) hold each
resource instance's values in ``root_module`` and, recursively, ``child_modules``;
``resource_changes[].change`` holds ``actions``, ``after_unknown`` (``true`` where a value
is known only after apply) and ``after_sensitive``. Resources whose only action is
``delete`` are gone after apply and are not read; replaced resources are read with their
new values. Unknown object keys are ignored; an unknown *major* ``format_version`` is
refused, as the format's versioning rules ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from validator.load.types import Path_


@dataclass(slots=True)
class Resource:
    """One managed resource instance as it will be after apply.

    ``values`` are its planned values; ``unknown`` and ``sensitive`` are the matching
    trees of ``after_unknown`` and ``after_sensitive``/``sensitive_values`` (``True`` at a
    leaf, or for a whole value). ``path`` is where its object stands in the plan file.
    """

    address: str
    type: str
    values: dict
    unknown: object
    sensitive: object
    path: Path_
    values_path: Path_ = ()

    def __post_init__(self) -> None:
        self.values_path = (
            (*self.path, "change", "after")
            if self.path[:1] == ("resource_changes",)
            else (*self.path, "values")
        )


def _merge(a: object, b: object) -> object:
    if not b:
        return a
    if not a or a == b:
        return b
    if a is True or b is True:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = _merge(merged.get(key), value)
        return merged
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(x, y) for x, y in zip(a, b, strict=False)] + (a[len(b) :] or b[len(a) :])
    return a if a not in (None, False, {}, []) else b


def _module_resources(module: object, path: Path_) -> Iterator[tuple[dict, Path_]]:
    stack = [(module, path)]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict):
            continue
        resources = node.get("resources")
        if isinstance(resources, list):
            for index, raw in enumerate(resources):
                if isinstance(raw, dict):
                    yield raw, (*where, "resources", index)
        children = node.get("child_modules")
        if isinstance(children, list):
            for index in range(len(children) - 1, -1, -1):
                stack.append((children[index], (*where, "child_modules", index)))


def read_resources(data: dict, wanted: frozenset[str] | set[str]) -> list[Resource]:
    """The managed resource instances of ``wanted`` types, in file order.

    Reads ``planned_values`` (else ``values``) and joins ``resource_changes`` on the full
    address. A changed resource missing from the values (hand-edited plans) is read from
    its ``change.after``.
    """
    changes: dict[str, tuple[dict, int]] = {}
    raw_changes = data.get("resource_changes")
    for index, change in enumerate(raw_changes if isinstance(raw_changes, list) else ()):
        if (
            isinstance(change, dict)
            and isinstance(change.get("type"), str)
            and change["type"] in wanted
            and change.get("mode", "managed") == "managed"
            and not change.get("deposed")
            and isinstance(change.get("address"), str)
        ):
            changes[change["address"]] = (change, index)
    top = "planned_values" if isinstance(data.get("planned_values"), dict) else "values"
    root = data.get(top, {}).get("root_module") if isinstance(data.get(top), dict) else None
    found: list[Resource] = []
    seen: set[str] = set()
    for raw, path in _module_resources(root, (top, "root_module")):
        rtype = raw.get("type")
        if not isinstance(rtype, str) or rtype not in wanted:
            continue
        if raw.get("mode", "managed") != "managed":
            continue
        address = raw.get("address")
        if not isinstance(address, str) or address in seen:
            continue
        seen.add(address)
        values = raw.get("values")
        values = values if isinstance(values, dict) else {}
        unknown: object = None
        sensitive: object = raw.get("sensitive_values")
        entry = changes.get(address)
        if entry is not None:
            change = entry[0].get("change")
            if isinstance(change, dict):
                actions = change.get("actions")
                if actions == ["delete"]:
                    continue
                unknown = change.get("after_unknown")
                sensitive = _merge(sensitive, change.get("after_sensitive"))
        found.append(Resource(address, rtype, values, unknown, sensitive, path))
    for address, (change_raw, index) in changes.items():
        if address in seen:
            continue
        change = change_raw.get("change")
        if not isinstance(change, dict) or not isinstance(change.get("after"), dict):
            continue
        actions = change.get("actions")
        if not isinstance(actions, list) or actions in (["delete"], ["read"]):
            continue
        found.append(
            Resource(
                address,
                change_raw["type"],
                change["after"],
                change.get("after_unknown"),
                change.get("after_sensitive"),
                ("resource_changes", index),
            )
        )
    return found
