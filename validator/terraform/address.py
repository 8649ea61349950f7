"""Terraform resource addresses: ``module.net["eu.1"].module.vpc[0].aws_vpc.this[2]``.

An address is compared as a whole string (Terraform's JSON format documentation); this
module only splits it into its module instance and its resource part, to resolve the
references of ``configuration``, which names resources module-locally and without
instance keys.
"""

from __future__ import annotations

import re
from functools import cache

_STEP = re.compile(r'(?:[^.\["]+|\["(?:[^"\\]|\\.)*"\]|\[[^\]"]*\])+')
_MODULES = re.compile(r'(?:module\.[^.\["]+(?:\["(?:[^"\\]|\\.)*"\]|\[[^\]"]*\])?\.)*')


def split_address(address: str) -> list[str]:
    """The dot-separated steps of ``address``; dots inside ``["…"]`` keys do not split.

    ``split_address('module.a["x.y"].aws_vpc.v[0]')``
    -> ``['module', 'a["x.y"]', 'aws_vpc', 'v[0]']``
    """
    if '"' not in address:
        return address.split(".")
    return _STEP.findall(address)


def strip_key(step: str) -> str:
    """A step without its instance key: ``v[0]`` -> ``v``."""
    cut = step.find("[")
    return step if cut < 0 else step[:cut]


def module_of(address: str) -> str:
    """The module instance of a resource address (``''`` for the root module)."""
    if address.startswith("data."):
        address = address[5:]
    return _MODULES.match(address).group(0)[:-1]


@cache
def config_module(module: str) -> str:
    """The configuration key of a module instance: instance keys dropped."""
    if not module:
        return ""
    return ".".join(strip_key(step) for step in split_address(module))


def join(module: str, local: str) -> str:
    """``module`` + ``.`` + ``local`` (``local`` alone in the root module)."""
    return f"{module}.{local}" if module else local
