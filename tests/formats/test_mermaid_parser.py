"""The Mermaid that ccv prints (``ccv graph`` and the Markdown format) is accepted by the
real Mermaid parser: the npm ``mermaid`` package under Node (tests/formats/mermaid/).

The Node packages are installed by .ci/run (which sets CCV_MERMAID_MODULES) or, when
that variable is unset, by this test into a cache folder keyed by package.json. The
test is skipped only where Node or npm is not installed at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.formats.helpers import EXAMPLES, FIXTURES, report_of, run
from validator.formats import render

HERE = Path(__file__).resolve().parent / "mermaid"
GRAPH_FIXTURES = Path(__file__).resolve().parents[1] / "graph" / "fixtures"
FENCE = re.compile(r"^(`{3,})mermaid\n(.*?)\n\1$", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.slow


def _prefix() -> Path:
    """Where the packages of tests/formats/mermaid/package.json are installed."""
    given = os.environ.get("CCV_MERMAID_MODULES")
    if given:
        return Path(given)
    digest = hashlib.sha256((HERE / "package.json").read_bytes()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ccv-tests" / f"mermaid-{digest}"


@pytest.fixture(scope="module")
def mermaid_prefix() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: cannot run the real Mermaid parser")
    prefix = _prefix()
    if not (prefix / "node_modules" / "mermaid" / "package.json").is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        shutil.copy(HERE / "package.json", prefix / "package.json")
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=prefix,
            check=True,
            timeout=600,
        )
    return prefix


def parse(prefix: Path, diagrams: list[str]) -> list[dict]:
    """Each diagram's verdict from mermaid.parse."""
    result = subprocess.run(
        ["node", str(HERE / "parse.mjs"), str(prefix)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def plans() -> list[Path]:
    found = [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.json"), *GRAPH_FIXTURES.glob("*.yaml")]
    return sorted(found) + [FIXTURES / "hostile-ids.yaml"]


def graph_of(path: Path) -> str | None:
    result = run("graph", str(path))
    return result.stdout if result.exit_code == 0 else None


def test_the_parser_rejects_a_broken_diagram(mermaid_prefix):
    ok, broken = parse(mermaid_prefix, ["flowchart LR\n  a --> b\n", "flowchart LR\n  a -->\n"])
    assert ok == {"ok": True, "type": "flowchart-v2"}
    assert not broken["ok"] and "Parse error" in broken["error"]


def test_ccv_graph_output_parses(mermaid_prefix):
    named = [(path, graph_of(path)) for path in plans()]
    named = [(path, text) for path, text in named if text is not None]
    assert len(named) >= 8
    verdicts = parse(mermaid_prefix, [text for _, text in named])
    failed = [(path.name, v["error"]) for (path, _), v in zip(named, verdicts, strict=True)
              if not v["ok"]]  # fmt: skip
    assert not failed
    assert {v["type"] for v in verdicts} == {"flowchart-v2"}


def test_markdown_diagrams_parse(mermaid_prefix):
    diagrams = []
    for path in plans():
        text = render(report_of(str(path)), "markdown")
        diagrams += [match.group(2) for match in FENCE.finditer(text)]
    assert len(diagrams) >= 8
    verdicts = parse(mermaid_prefix, diagrams)
    assert [v for v in verdicts if not v["ok"]] == []
