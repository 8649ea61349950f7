"""Each shipped example gives exactly the report kept beside this test.

When a change alters a report on purpose, regenerate the expected files with
``python tests/examples/update.py`` (a separate command; this test never writes) and
review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator import validate

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"
EXAMPLES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "examples").iterdir()
    if p.suffix in (".yaml", ".json")
)


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_report_is_as_expected(example, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = validate(example).to_json()
    expected = EXPECTED / (Path(example).stem + ".json")
    assert report == expected.read_text(encoding="utf-8"), (
        f"{example}: the report changed; if on purpose, run python tests/examples/update.py"
    )


def test_every_expected_report_belongs_to_an_example():
    stems = {Path(e).stem for e in EXAMPLES}
    assert {p.stem for p in EXPECTED.glob("*.json")} == stems


def test_clean_examples_are_clean(monkeypatch):
    monkeypatch.chdir(ROOT)
    for example in (
        "examples/three-clouds.yaml",
        "examples/hybrid-onprem.yaml",
        "examples/minimal.json",
    ):
        report = json.loads(validate(example).to_json())
        assert report["summary"]["error"] == 0, example
