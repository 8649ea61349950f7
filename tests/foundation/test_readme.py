"""README.md names what ships in examples/, and its commands name real files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_names_every_example():
    readme = (ROOT / "README.md").read_text("utf-8")
    shipped = sorted(p.name for p in (ROOT / "examples").iterdir() if not p.name.startswith("."))
    missing = [name for name in shipped if f"`{name}`" not in readme and f"`{name}/`" not in readme]
    assert missing == [], f"README.md does not mention examples/{missing}"
