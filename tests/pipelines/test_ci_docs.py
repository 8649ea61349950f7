"""The snippets of docs/ci.md work: their YAML parses and their ccv commands run on real plans.

(The pre-commit configuration of docs/ci.md is run with the real pre-commit in
test_pre_commit.py.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tests.pipelines.helpers import FIXTURES, ROOT

DOC = (ROOT / "docs" / "ci.md").read_text("utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    """The fenced code blocks of docs/ci.md in ``language``."""
    return [body for lang, body in BLOCK.findall(DOC) if lang == language]


def commands() -> list[str]:
    """Every ccv command line of the snippets, from `run:`/`script:` steps and shell blocks."""
    found = []
    for body in blocks("yaml") + blocks("sh"):
        for line in body.splitlines():
            text = line.strip().removeprefix("- ").removeprefix("run: ").strip()
            if text.startswith("ccv ") and "tfplan" not in text:
                found.append(text)
    return found


def test_every_yaml_snippet_parses():
    snippets = blocks("yaml")
    assert len(snippets) >= 7
    for body in snippets:
        # hook entries shown on their own are indented as in a repo's `hooks:` list
        assert yaml.safe_load(textwrap.dedent(body)) is not None


def test_the_documented_commands_run_on_real_plans(tmp_path):
    (tmp_path / "topology").mkdir()
    for name in ("aws-hk.yaml", "azure-sg.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / "topology" / name)
    (tmp_path / ".ccv.yaml").write_text(blocks("yaml")[1], "utf-8")  # the plan: snippet
    found = commands()
    assert any("--format sarif" in c for c in found)
    assert any("--format junit" in c for c in found)
    assert any("--write-baseline" in c for c in found)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command in found:
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=60, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr
    log = json.loads((tmp_path / "ccv.sarif").read_text("utf-8"))
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    suites = ET.parse(tmp_path / "ccv.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == ["topology/aws-hk.yaml", "topology/azure-sg.yaml"]
    baseline = json.loads((tmp_path / ".ccv-baseline.json").read_text("utf-8"))
    assert baseline["ccv_baseline"] == 1


def test_the_merged_plan_command_of_the_doc_finds_the_overlap(tmp_path):
    (tmp_path / "topology").mkdir()
    for name in ("aws-hk.yaml", "azure-sg.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / "topology" / name)
    (tmp_path / ".ccv.yaml").write_text(blocks("yaml")[1], "utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ccv")), "validate", "--merge", "--from-config"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert result.returncode == 1
    console = blocks("console")[0]
    shown = [line for line in console.splitlines() if line.startswith("topology/")]
    assert shown and all(line in result.stdout.splitlines() for line in shown)


def test_the_readme_snippet_names_the_shipped_hooks():
    readme = (ROOT / "README.md").read_text("utf-8")
    configs = [yaml.safe_load(body) for lang, body in BLOCK.findall(readme) if lang == "yaml"]
    configs = [c for c in configs if isinstance(c, dict) and "repos" in c]
    assert len(configs) == 1
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    ids = [hook["id"] for hook in configs[0]["repos"][0]["hooks"]]
    assert ids == [hook["id"] for hook in hooks]
    assert configs[0] == yaml.safe_load(blocks("yaml")[0])  # the same as in docs/ci.md
