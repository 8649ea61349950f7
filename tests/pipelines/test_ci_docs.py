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
            if text.startswith("ccv ") and "plan.json" not in text:  # Terraform: below
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


def test_the_terraform_step_reads_a_plan_on_standard_input():
    steps = [line for body in blocks("sh") for line in body.splitlines() if "| ccv" in line]
    assert steps == ["terraform show -json tfplan | ccv validate -"]
    ccv_part = steps[0].split("|", 1)[1].split()
    plan = (ROOT / "examples" / "terraform-plan.json").read_text("utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ccv")), *ccv_part[1:], "--format", "json"],
        input=plan, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["inputs"] == ["<stdin>"] and "input_errors" not in report
    assert "CCV201" in {f["rule"] for f in report["findings"]}  # the plan's networks were read


def test_the_terraform_merge_step_joins_a_plan_and_the_topology(tmp_path):
    (command,) = [c for c in commands_with_plans() if "--merge" in c]
    (tmp_path / "topology").mkdir()
    shutil.copy(FIXTURES / "aws-hk.yaml", tmp_path / "topology" / "carrier.yaml")
    shutil.copy(ROOT / "examples" / "terraform-plan.json", tmp_path / "aws-plan.json")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", command + " --format json"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["inputs"] == ["topology/carrier.yaml", "aws-plan.json"]


def commands_with_plans() -> list[str]:
    """The ccv command lines of the Terraform section."""
    return [
        line.strip()
        for body in blocks("sh")
        for line in body.splitlines()
        if line.strip().startswith("ccv ") and "plan.json" in line
    ]
