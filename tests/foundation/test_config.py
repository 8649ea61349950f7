"""Settings files: .ccv.yaml or [tool.ccv] in pyproject.toml, found upward, or --config."""

from __future__ import annotations

import json

import pytest
from ccv_test_helpers import FIXTURES, fixture, run

from validator import ConfigError, validate
from validator.config import find_config, load_config

DUP = fixture("duplicate-keys.yaml")


def test_ccv_yaml_is_found_from_a_subfolder(tmp_path, monkeypatch):
    (tmp_path / ".ccv.yaml").write_text("ignore: [CCV103]\n")
    sub = tmp_path / "plans" / "prod"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_config() == tmp_path / ".ccv.yaml"
    assert run("validate", DUP).exit_code == 0


def test_pyproject_tool_ccv_section(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ccv]\nfail-on = "warning"\n'
        'severity = {CCV103 = "warning"}\n'
    )
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-f", "json", DUP)
    assert json.loads(result.stdout)["summary"]["warning"] == 2
    assert result.exit_code == 1  # fail-on warning from the config


def test_pyproject_without_a_ccv_section_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert find_config() is None


def test_a_broken_pyproject_with_a_ccv_section_is_an_error_not_passed_over(tmp_path, monkeypatch):
    # a typo that breaks the TOML used to drop the settings without a word (exit 0)
    (tmp_path / "pyproject.toml").write_text('[tool.ccv\nfail-on = "warning"\n')
    monkeypatch.chdir(tmp_path)
    result = run("validate", DUP)
    assert result.exit_code == 2
    assert "pyproject.toml:1:10: not valid TOML" in result.stderr
    assert result.stderr.count("\n") == 1  # one line, located
    (tmp_path / "pyproject.toml").write_text("[project\n")  # broken, but not ours
    assert find_config() is None


def test_command_line_overrides_the_config(tmp_path, monkeypatch):
    (tmp_path / ".ccv.yaml").write_text("severity: {CCV103: info}\n")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "-f", "json", "--severity", "CCV103=error", DUP)
    assert json.loads(result.stdout)["summary"]["error"] == 2


def test_explicit_config_file(tmp_path):
    config = tmp_path / "strict.yaml"
    config.write_text("ignore: [CCV103]\n")
    assert run("validate", "--config", str(config), DUP).exit_code == 0
    missing = run("validate", "--config", str(tmp_path / "nope.yaml"), DUP)
    assert missing.exit_code == 2 and "no such config file" in missing.stderr


@pytest.mark.parametrize(
    "text, words",
    [
        ("ignore: [CCV999]\n", "unknown rule id 'CCV999'"),
        ("ignore: CCV103\n", "'ignore' must be a list"),
        ("colour: red\n", "unknown setting 'colour'"),
        ("fail-on: fatal\n", "fail-on 'fatal'"),
        ("ignore: [\n", "not valid YAML"),
    ],
)
def test_bad_config_is_a_usage_error_naming_the_file(tmp_path, text, words):
    config = tmp_path / ".ccv.yaml"
    config.write_text(text)
    result = run("validate", "--config", str(config), DUP)
    assert result.exit_code == 2
    assert words in result.stderr and ".ccv.yaml" in result.stderr


def test_api_takes_the_same_settings(tmp_path):
    config = tmp_path / ".ccv.yaml"
    config.write_text("ignore: [CCV103]\n")
    assert validate(DUP, config=config).findings == []
    assert validate(DUP, ignore=["CCV103"]).findings == []
    with pytest.raises(ConfigError):
        validate(DUP, ignore=["CCV000"])
    assert load_config(config).ignore == {"CCV103"}
    assert (FIXTURES / "valid.yaml").exists()
