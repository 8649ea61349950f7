"""README.md names what ships in examples/, and its commands name real files."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from validator import validate

ROOT = Path(__file__).resolve().parents[2]


def test_readme_names_every_example():
    readme = (ROOT / "README.md").read_text("utf-8")
    shipped = sorted(p.name for p in (ROOT / "examples").iterdir() if not p.name.startswith("."))
    missing = [name for name in shipped if f"`{name}`" not in readme and f"`{name}/`" not in readme]
    assert missing == [], f"README.md does not mention examples/{missing}"


def test_the_readme_topology_sample_is_as_clean_as_the_readme_says(tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    samples = [
        (readme[: m.start()].rstrip().rsplit("\n\n", 1)[-1], m.group(1))
        for m in re.finditer(r"```yaml\n(.*?)```", readme, re.S)
        if re.search(r"^version: 1$", m.group(1), re.M)
    ]
    assert samples, "README.md shows no topology"
    for claim, text in samples:
        assert "reports no findings" in claim, f"say what ccv reports for the sample: {claim!r}"
        report = validate(yaml.safe_load(text))
        assert [(f.rule, f.message) for f in report.findings] == []
        assert report.sites, "the sample is analysed (sites and tiers)"
