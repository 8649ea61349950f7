"""The layers as a user meets them: light commands load no heavy library, and nothing
below the rules imports the registry, the engine, the formats, the CLI or click."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "validator"

PROBE = """
import sys
from validator.cli import main
sys.argv = ["ccv", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"networkx", "jsonschema"})
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "CCV201"]])
def test_light_commands_import_neither_networkx_nor_jsonschema(args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in done.stderr, done.stderr
    assert done.stdout  # the command did its job


def test_validating_does_load_jsonschema():  # the probe above can tell
    # networkx is not loaded either: the backbone's searches are ccv's own
    # (validator/graph/backbone.py); Backbone.graph builds a networkx graph on demand.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "validate",
            str(PACKAGE.parent / "examples" / "three-clouds.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "HEAVY ['jsonschema']" in done.stderr, done.stderr


# Layers from the bottom up; a module may import its own layer and the ones below.
LAYERS = [
    ("load", ["version", "load", "redaction", "datafile"]),
    (
        "model",
        [
            "model",
            "asn",
            "clouds",
            "addressing.parse",
            "addressing.special",
            "sla",
            "terraform",
            "wording",
            "fixes",  # the package and fixes.patch: JSON Patch operations on documents
        ],
    ),
    ("analysis", ["addressing", "graph", "schema"]),
    ("rules", ["rules", "fixes.suggest"]),  # suggestions ask the rules' own checks
    (
        "report",
        [
            "report",
            "summary",
            "engine",
            "config",
            "api",
            "sla.results",
            "fingerprint",
            "baseline",
            "fixes.verify",
            "fixes.apply",
        ],
    ),
    ("formats", ["formats", "sla.render"]),
    ("cli", ["cli", "__main__", "graph.cli", "sla.cli", "output", "fixes.cli"]),
]


def _layer(module: str) -> int:
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    return rank


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_imports_go_one_way_down():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if module == "__init__":
            continue  # the package re-exports the public API, lazily
        here = _layer(module)
        assert here >= 0, f"validator.{module} belongs to no layer: add it to LAYERS"
        for name in _imports(path):
            if name == "click" and here <= _layer("rules"):
                wrong.append(f"validator.{module} imports click")
            if not name.startswith("validator."):
                continue
            target = name.removeprefix("validator.")
            if _layer(target) > here:
                wrong.append(f"validator.{module} ({LAYERS[here][0]}) imports {name}")
    assert not wrong, "\n".join(wrong)


def _top_level_imports(path: Path) -> set[str]:
    """validator modules imported when ``path`` is (not in functions, not for type checks)."""
    found = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("validator"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("validator"))
    return found


def test_no_module_imports_itself_back():
    """No import cycle among the modules (validator/__init__ <-> report, load/document <->
    its loaders used to be)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("validator", *path.relative_to(PACKAGE).with_suffix("").parts))
        modules[name.removesuffix(".__init__")] = path
    graph = {
        name: {m for m in _top_level_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = trail[trail.index(name) :] + [name]
            # a package's __init__ importing its own submodules is not a cycle of layers
            if not all(
                a.startswith(b + ".") or b.startswith(a + ".")
                for a, b in zip(cycle, cycle[1:], strict=False)
            ):
                raise AssertionError(" -> ".join(cycle))
            return
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
