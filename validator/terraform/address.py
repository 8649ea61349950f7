"""Terraform resource addresses: ``module.net["eu.1"].module.vpc[0].aws_vpc.this[2]``.

An address is compared as a whole string (Terraform's JSON format documentation); this
module only splits it into its module instance and its resource part, to resolve the
references of ``configuration``, which names resources module-locally and without
instance keys.
"""

from __future__ import annotations


def split_address(address: str) -> list[str]:
    """The dot-separated steps of ``address``; dots inside ``["…"]`` keys do not split.

    ``split_address('module.a["x.y"].aws_vpc.v[0]')``
    -> ``['module', 'a["x.y"]', 'aws_vpc', 'v[0]']``
    """
    steps: list[str] = []
    start = 0
    depth = 0
    quoted = False
    escaped = False
    for i, char in enumerate(address):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth == 0:
            steps.append(address[start:i])
            start = i + 1
    steps.append(address[start:])
    return steps


def strip_key(step: str) -> str:
    """A step without its instance key: ``v[0]`` -> ``v``."""
    cut = step.find("[")
    return step if cut < 0 else step[:cut]


def module_of(address: str) -> str:
    """The module instance of a resource address (``''`` for the root module)."""
    steps = split_address(address)
    if steps and steps[0] == "data":
        steps = steps[1:]
    keep: list[str] = []
    i = 0
    while i + 1 < len(steps) and steps[i] == "module":
        keep += steps[i : i + 2]
        i += 2
    return ".".join(keep)


def config_module(module: str) -> str:
    """The configuration key of a module instance: instance keys dropped."""
    if not module:
        return ""
    return ".".join(strip_key(step) for step in split_address(module))


def join(module: str, local: str) -> str:
    """``module`` + ``.`` + ``local`` (``local`` alone in the root module)."""
    return f"{module}.{local}" if module else local
