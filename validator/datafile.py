"""The package's own data files (``validator/data/``: cloud packs, registries, SLA
tables), read with PyYAML's C loader (libyaml): several times faster than the pure-Python
one, which every run would otherwise pay on start."""

from __future__ import annotations

from importlib import resources

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data(name: str) -> object:
    """The parsed YAML file ``validator/data/<name>`` (FileNotFoundError when absent)."""
    text = resources.files("validator").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
