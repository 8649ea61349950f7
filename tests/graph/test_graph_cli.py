"""`ccv graph FILE --format mermaid|dot` through click's CliRunner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.graph.conftest import FIXTURES
from validator.graph.cli import graph


def _invoke(*args: str):
    return CliRunner().invoke(graph, [*args])


def test_mermaid_labels_tiers_and_marks_spofs():
    result = _invoke(str(FIXTURES / "chain.yaml"))
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("flowchart LR\n")
    assert 'site_dc_hk["dc-hk<br/>onprem · single-unprotected"]' in text
    assert 'pop_SIN1(("SIN1"))' in text
    assert "class pop_SIN1,legend_spof spof" in text  # SPOF POP highlighted
    # backbone link edges: after the 3 line edges come hkg1-hkg2 (3), hkg2-sin1 (4), sin1-fra1 (5)
    assert "linkStyle 4 stroke:#c62828" in text and "linkStyle 5 stroke:#c62828" in text
    assert "linkStyle 3 " not in text  # hkg1-hkg2 cuts nothing: dc-hk is on both ends


def test_mermaid_is_deterministic():
    first = _invoke(str(FIXTURES / "capacity.yaml")).output
    assert first == _invoke(str(FIXTURES / "capacity.yaml")).output


def test_dot_marks_over_capacity_links(tmp_path):
    out = tmp_path / "capacity.dot"
    result = _invoke(str(FIXTURES / "capacity.yaml"), "--format", "dot", "--output", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith('graph "capacity" {')
    # hkg1-sin1 is over capacity and a SPOF: both colours
    assert '"pop:HKG1" -- "pop:SIN1"' in text
    assert 'color="#ef6c00:#c62828"' in text
    assert 'label="hk-ok\\nonprem\\nsingle-unprotected"' in text


def test_sanitised_ids_stay_unique():
    from tests.graph.plans import plan

    data = plan(["A.1", "A-1"], [("x", "A.1", "A-1")], {"s.1": ["A.1"], "s-1": ["A-1"]})
    import yaml

    path = FIXTURES.parent / "_tmp_ids.yaml"
    try:
        path.write_text(yaml.safe_dump(data))
        text = _invoke(str(path)).output
    finally:
        path.unlink()
    assert "pop_A_1((" in text and "pop_A_1_2((" in text
    assert "site_s_1[" in text and "site_s_1_2[" in text


def test_input_errors_send_the_user_to_validate():
    result = _invoke(str(FIXTURES.parent.parent.parent / "examples" / "malformed.yaml"))
    assert result.exit_code == 1
    assert "ccv validate" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unreadable_file_exits_2(tmp_path):
    result = _invoke(str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2


def test_ci_installs_graphviz_before_the_tests():
    """CI must not skip the Graphviz check below: .ci/run installs `dot` when it is missing."""
    script = (Path(__file__).parents[2] / ".ci" / "run").read_text("utf-8")
    install = script.find("apt-get install -y -qq graphviz")
    assert "command -v dot" in script
    assert 0 <= install < script.index("python -m pytest")


@pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz `dot` not on PATH (.ci/run installs it: apt-get install graphviz)",
)
def test_dot_output_is_valid_graphviz(tmp_path):
    out = tmp_path / "chain.dot"
    _invoke(str(FIXTURES / "chain.yaml"), "--format", "dot", "-o", str(out))
    subprocess.run(["dot", "-Tsvg", str(out), "-o", str(tmp_path / "chain.svg")], check=True)
    assert (tmp_path / "chain.svg").read_text().lstrip().startswith("<?xml")
