"""Small helpers tests share: fixture paths and running `ccv` in-process."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from validator.cli import cli

FIXTURES = Path(__file__).resolve().parent / "foundation" / "fixtures"


def fixture(name: str) -> str:
    """Absolute path of a fixture file, as a string."""
    return str(FIXTURES / name)


def run(*args: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
    """Run ``ccv ARGS`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def by_rule(findings, rule: str) -> list:
    """The findings of one rule (Finding objects or dicts)."""
    return [f for f in findings if (f["rule"] if isinstance(f, dict) else f.rule) == rule]


QUICK_EXAMPLES = 10
"""Examples per property test in a quick local run (``-m "not slow"``)."""

_FULL_PROPERTY_RUNS = [True]


def set_full_property_runs(full: bool) -> None:
    """Called by conftest.py: full example counts, or a few for a quick local run."""
    _FULL_PROPERTY_RUNS[0] = full


def property_examples(full: int) -> int:
    """How many examples a property test draws: ``full`` in a full run (CI, plain
    ``python -m pytest``), a few when slow tests are deselected (``-m "not slow"``), so
    the independent checks (sweep vs brute force, schema fast path vs jsonschema…)
    run in every local run too."""
    return full if _FULL_PROPERTY_RUNS[0] else min(full, QUICK_EXAMPLES)


def bare_site(cloud: str, site_id: str = "s"):
    """A model Site of ``cloud`` with nothing else: for the cloud checks that take one."""
    from validator.model import Origin, Site

    return Site(
        id=site_id,
        cloud=cloud,
        region=None,
        asn=None,
        cidrs=[],
        bandwidth_mbps=None,
        sla_target=None,
        lines=[],
        ignore=frozenset(),
        origin=Origin(None, ()),
    )
