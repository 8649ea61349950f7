"""ccv — the cloud connection pre-provisioning validator.

>>> from validator import validate
>>> report = validate("examples/three-clouds.yaml")

The names below are imported on first use, so ``ccv --version`` loads nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from validator.version import __version__

if TYPE_CHECKING:
    from validator.api import validate
    from validator.config import ConfigError
    from validator.load.types import InputError
    from validator.report import Finding, Report

__all__ = ["ConfigError", "Finding", "InputError", "Report", "__version__", "validate"]

_WHERE = {
    "validate": "validator.api",
    "ConfigError": "validator.config",
    "InputError": "validator.load.types",
    "Finding": "validator.report",
    "Report": "validator.report",
}


def __getattr__(name: str) -> object:
    """``validator.validate`` and friends, imported when first asked for (PEP 562)."""
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'validator' has no attribute {name!r}")
