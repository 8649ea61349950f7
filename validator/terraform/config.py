"""Linking resources through ``configuration`` when the plan's values cannot.

A new subnet's ``vpc_id`` is unknown until apply, so the plan's values do not say which
network it belongs to; the ``configuration`` section does: its ``expressions`` name the
resources an attribute refers to (``{"references": ["aws_vpc.this"]}``), module-locally
and without instance keys (HashiCorp's JSON output format, "configuration
representation"). Followed here: references to resources, ``var.X`` through the module
call's argument, ``module.M.OUT`` through the module's output. ``local.X`` is not in the
JSON; callers fall back on other evidence.
"""

from __future__ import annotations

from validator.terraform.address import config_module, join, split_address, strip_key

_NOT_RESOURCES = frozenset(
    {"var", "local", "count", "each", "path", "terraform", "self", "data", "module"}
)


class Configuration:
    """An index of the configuration's resources, module calls and outputs."""

    def __init__(self, data: object) -> None:
        self._expressions: dict[tuple[str, str], dict] = {}
        self._calls: dict[str, dict] = {}
        self._outputs: dict[str, dict] = {}
        self._references: dict[tuple[str, str, str], list[str]] = {}
        root = data.get("root_module") if isinstance(data, dict) else None
        stack = [("", root)]
        while stack:
            prefix, module = stack.pop()
            if not isinstance(module, dict):
                continue
            resources = module.get("resources")
            for raw in resources if isinstance(resources, list) else ():
                if isinstance(raw, dict) and isinstance(raw.get("address"), str):
                    expressions = raw.get("expressions")
                    if isinstance(expressions, dict):
                        self._expressions[(prefix, raw["address"])] = expressions
            outputs = module.get("outputs")
            if isinstance(outputs, dict):
                self._outputs[prefix] = outputs
            calls = module.get("module_calls")
            if isinstance(calls, dict):
                for name, call in calls.items():
                    if isinstance(call, dict):
                        key = join(prefix, f"module.{name}")
                        self._calls[key] = call
                        stack.append((key, call.get("module")))

    def configured(self, module: str, local: str, attribute: str) -> bool:
        """True when the configuration sets ``attribute`` of the resource."""
        expressions = self._expressions.get((config_module(module), strip_key(local)))
        return bool(expressions) and attribute in expressions

    def references(self, module: str, local: str, attribute: str) -> list[str]:
        """The references of ``attribute`` of resource ``local`` in module instance ``module``."""
        key = (config_module(module), strip_key(local), attribute)
        found = self._references.get(key)
        if found is None:
            expressions = self._expressions.get(key[:2])
            found = _refs(expressions.get(attribute) if expressions else None)
            self._references[key] = found
        return found

    def resolve(
        self, module: str, refs: list[str], index: str, instances: dict[tuple[str, str], list[str]]
    ) -> str | None:
        """The address of the resource instance ``refs`` (seen in ``module``) point to.

        ``index`` is the referring resource's own instance key (``[0]``, ``["a"]`` or ``""``):
        ``aws_vpc.this`` with several instances resolves to the one with the same key.
        ``instances`` maps (module instance, ``type.name``) to the instance addresses.
        """
        for depth in range(4):  # var -> parent module call -> ... (bounded)
            next_refs: list[str] = []
            next_module = module
            for ref in refs:
                steps = split_address(ref)
                if len(steps) < 2:
                    continue
                head = steps[0]
                if head == "var" and module:
                    parent_steps = split_address(module)
                    parent = ".".join(parent_steps[:-2])
                    call = self._calls.get(config_module(module))
                    expressions = call.get("expressions") if call else None
                    if isinstance(expressions, dict):
                        next_refs = _refs(expressions.get(strip_key(steps[1])))
                        next_module = parent
                        index = ""
                    break
                if head == "module" and len(steps) >= 3:
                    child_key = join(config_module(module), f"module.{strip_key(steps[1])}")
                    output = self._outputs.get(child_key, {}).get(steps[2])
                    if isinstance(output, dict):
                        child = join(module, f"module.{steps[1]}")
                        if "[" not in steps[1]:
                            child = self._only_instance(module, steps[1], instances) or child
                        next_refs = _refs(output.get("expression"))
                        next_module = child
                        index = ""
                    break
                if head in _NOT_RESOURCES:
                    continue
                local = f"{head}.{strip_key(steps[1])}"
                found = instances.get((module, local))
                if not found:
                    continue
                if "[" in steps[1]:
                    exact = join(module, f"{head}.{steps[1]}")
                    return exact if exact in found else None
                if len(found) == 1:
                    return found[0]
                same = join(module, f"{local}{index}")
                return same if index and same in found else None
            if not next_refs or depth == 3:
                return None
            refs, module = next_refs, next_module
        return None

    @staticmethod
    def _only_instance(
        module: str, step: str, instances: dict[tuple[str, str], list[str]]
    ) -> str | None:
        prefix = join(module, f"module.{step}[")
        found = {m for m, _ in instances if m.startswith(prefix)}
        return found.pop() if len(found) == 1 else None


def _refs(expression: object) -> list[str]:
    if isinstance(expression, dict):
        refs = expression.get("references")
        if isinstance(refs, list):
            return [r for r in refs if isinstance(r, str)]
    return []
