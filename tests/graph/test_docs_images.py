"""The images in docs/img show what `ccv graph` prints today.

docs/img/render.sh draws NAME.png from NAME.mmd, the output of `ccv graph
examples/NAME.yaml`; the Mermaid text must still be what ccv prints (else: run the script).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import cli

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "img"


@pytest.mark.parametrize("name", ["three-clouds", "typical-mistakes"])
def test_the_drawn_mermaid_is_what_ccv_graph_prints(name):
    result = CliRunner().invoke(cli, ["graph", str(ROOT / "examples" / f"{name}.yaml")])
    assert result.exit_code == 0
    drawn = (IMAGES / f"{name}.mmd").read_text("utf-8")
    assert drawn == result.stdout, f"docs/img/{name}.png is out of date: bash docs/img/render.sh"
    assert (IMAGES / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_image_has_its_source():
    pngs = {p.stem for p in IMAGES.glob("*.png")}
    assert pngs == {p.stem for p in IMAGES.glob("*.mmd")}
    referenced = (ROOT / "docs" / "graph.md").read_text("utf-8")
    assert all(f"img/{stem}.png" in referenced for stem in pngs)
