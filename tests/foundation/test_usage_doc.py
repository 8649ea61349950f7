"""The Python snippets of docs/usage.md run as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "usage.md").read_text("utf-8"), re.S)


@pytest.mark.parametrize("with_config", [True, False], ids=["ccv-yaml", "no-config"])
def test_usage_python_snippets_run(tmp_path, monkeypatch, with_config):
    # find_config() is None where no config exists: the discovery line must still work
    shutil.copy(ROOT / "examples" / "three-clouds.yaml", tmp_path / "plan.yaml")
    if with_config:
        (tmp_path / ".ccv.yaml").write_text("ignore: [CCV206]\n")
    monkeypatch.chdir(tmp_path)
    assert len(BLOCKS) >= 2
    code = "\n".join(BLOCKS)
    if not with_config:  # the line that names a .ccv.yaml needs one
        code = "\n".join(line for line in code.splitlines() if '".ccv.yaml"' not in line)
    exec(compile(code, "docs/usage.md", "exec"), {})
