"""The shipped pre-commit hooks, run by the real pre-commit in a temporary git repository.

The repository's ``.pre-commit-config.yaml`` points at this checkout at its current commit
(``repo: <path>``, ``rev: <HEAD>``), so pre-commit clones it and installs ccv into its own
virtual environment from PyPI, as it would for a user. What is tested is therefore the
committed state of this repository (commit before running this locally). Every hook in
``.pre-commit-hooks.yaml`` is read from that file and must be exercised below.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.pipelines.helpers import FIXTURES, ROOT

pytestmark = pytest.mark.slow

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
HOOK_IDS = [hook["id"] for hook in HOOKS]
EXERCISED = {"ccv", "ccv-plan"}  # the hooks the tests below run on real files


def _git(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="module")
def head() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    found = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        pytest.skip("this copy of ccv is not a git checkout: pre-commit needs a repository")
    return found.stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    """One PRE_COMMIT_HOME for the module, so the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


class Repo:
    """A temporary git repository with pre-commit installed as its commit hook."""

    def __init__(self, path: Path, head: str, home: Path, hooks: list[dict]) -> None:
        self.path = path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "PRE_COMMIT_HOME": str(home),
            "PRE_COMMIT_COLOR": "never",
            "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        path.mkdir()
        self.git("init", "-q", "-b", "main")
        config = {"repos": [{"repo": str(ROOT), "rev": head, "hooks": hooks}]}
        self.write(".pre-commit-config.yaml", yaml.safe_dump(config, sort_keys=False))
        installed = subprocess.run(
            [sys.executable, "-m", "pre_commit", "install"],
            cwd=path, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert installed.returncode == 0, installed.stdout + installed.stderr

    def git(self, *args: str) -> subprocess.CompletedProcess:
        return _git(*args, cwd=self.path, env=self.env)

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")

    def copy(self, fixture: str, name: str) -> None:
        self.write(name, (FIXTURES / fixture).read_text("utf-8"))

    def commit(self, *names: str) -> subprocess.CompletedProcess:
        """``git add NAMES && git commit``: the hooks run as they do for a user."""
        self.git("add", *names)
        result = self.git("commit", "-q", "-m", "change")
        result.output = result.stdout + result.stderr
        return result


@pytest.fixture
def repo(tmp_path, head, pre_commit_home):
    def make(hooks: list[dict] | None = None) -> Repo:
        chosen = hooks or [{"id": hook_id} for hook_id in HOOK_IDS]
        return Repo(tmp_path / "work", head, pre_commit_home, chosen)

    return make


def test_every_shipped_hook_is_exercised():
    assert set(HOOK_IDS) == EXERCISED
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert by_id["ccv-plan"]["pass_filenames"] is False
    assert "--merge" in by_id["ccv-plan"]["entry"]


def test_a_good_plan_passes_and_is_committed(repo):
    work = repo()
    work.copy("aws-hk.yaml", "topology/aws-hk.yaml")
    result = work.commit("-A")
    assert result.returncode == 0, result.output
    assert "ccv (topology files)" in result.output and "Passed" in result.output
    assert work.git("log", "--oneline").stdout.count("\n") == 1


def test_an_overlap_fails_the_commit_and_shows_file_and_line(repo):
    work = repo()
    work.copy("overlap.yaml", "topology/overlap.yaml")
    result = work.commit("-A")
    assert result.returncode != 0
    assert "ccv (topology files)" in result.output and "Failed" in result.output
    assert (
        "topology/overlap.yaml:18:13: error CCV201 cidr-overlap: 10.30.64.0/18 of site aws-sg "
        "overlaps 10.30.0.0/16 of site dc-hk"
    ) in result.output
    assert work.git("log", "--oneline").returncode != 0  # nothing was committed


def test_unrelated_yaml_does_not_trigger_the_file_hook(repo):
    work = repo()
    work.write(".github/workflows/ci.yml", "on: push\njobs: {test: {runs-on: ubuntu-latest}}\n")
    work.write("docker-compose.yaml", "services: {web: {image: nginx}}\n")
    result = work.commit("-A")
    assert result.returncode == 0, result.output
    assert "ccv (topology files)" in result.output
    assert "(no files to check)Skipped" in result.output.replace(".", "")


def test_the_plan_hook_catches_a_conflict_between_files_that_pass_alone(repo):
    work = repo()
    work.copy("aws-hk.yaml", "topology/aws-hk.yaml")
    work.copy("azure-sg.yaml", "topology/azure-sg.yaml")
    first = work.commit("-A")  # no plan: configured yet: the plan hook has nothing to check
    assert first.returncode == 0, first.output
    work.write(".ccv.yaml", "plan:\n  - topology/aws-hk.yaml\n  - topology/azure-sg.yaml\n")
    result = work.commit("-A")
    assert result.returncode != 0
    lines = result.output.splitlines()
    assert any(line.startswith("ccv (whole plan)") and "Failed" in line for line in lines)
    assert (
        "topology/azure-sg.yaml:12:13: error CCV201 cidr-overlap: 10.20.128.0/17 of site "
        "azure-sg overlaps 10.20.0.0/16 of site aws-hk"
    ) in result.output


def test_the_plan_hook_takes_its_files_from_args(repo):
    files = ["topology/aws-hk.yaml", "topology/azure-sg.yaml"]
    work = repo([{"id": "ccv-plan", "args": files}])
    work.copy("aws-hk.yaml", files[0])
    work.copy("azure-sg.yaml", files[1])
    result = work.commit("-A")
    assert result.returncode != 0
    assert "topology/azure-sg.yaml:12:13: error CCV201" in result.output


def test_a_narrowed_files_pattern_is_honoured(repo):
    work = repo([{"id": "ccv", "files": r"^network/.*\.ya?ml$"}])
    work.copy("overlap.yaml", "network/hk.yaml")
    work.copy("overlap.yaml", "topology/ignored.yaml")
    result = work.commit("-A")
    assert result.returncode != 0
    assert "network/hk.yaml:18:13: error CCV201" in result.output
    assert "topology/ignored.yaml" not in result.output


def test_the_configuration_in_docs_ci_md_works_as_shown(tmp_path, head, pre_commit_home):
    from tests.pipelines.test_ci_docs import blocks

    config = yaml.safe_load(blocks("yaml")[0])
    (entry,) = config["repos"]
    assert [hook["id"] for hook in entry["hooks"]] == HOOK_IDS
    work = Repo(tmp_path / "work", head, pre_commit_home, entry["hooks"])
    work.write(".ccv.yaml", blocks("yaml")[1])
    work.copy("aws-hk.yaml", "topology/aws-hk.yaml")
    work.copy("azure-sg.yaml", "topology/azure-sg.yaml")
    result = work.commit("-A")
    assert result.returncode != 0
    shown = [
        line
        for line in blocks("console")[0].splitlines()
        if line.startswith(("ccv (", "- hook id", "- exit code", "topology/", "    hint"))
    ]
    assert len(shown) == 6
    got = result.output.splitlines()
    assert all(line in got for line in shown), result.output


def test_the_file_hook_run_always_with_zero_files_passes(repo):
    work = repo([{"id": "ccv", "always_run": True}])
    work.write("README.md", "no topology here\n")
    result = work.commit("-A")
    assert result.returncode == 0, result.output
    assert any(line.startswith("ccv (topology files)") and "Passed" in line
               for line in result.output.splitlines())  # fmt: skip
