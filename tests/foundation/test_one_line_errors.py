"""Every exit-2 message is one line, ``ccv: FILE:LINE:COL: message`` when it has a place.

Over broken inputs (tests/foundation/fixtures/broken/), broken settings files and
command-line mistakes.
"""

from __future__ import annotations

import re

import pytest
from ccv_test_helpers import FIXTURES, run

BROKEN = FIXTURES / "broken"

# file -> (line, column) of the place PyYAML / json / the UTF-8 decoder names
EXPECTED = {
    "unclosed-flow.yaml": (4, 9),
    "bad-indent.yaml": (5, 2),
    "unterminated-quote.yaml": (4, 1),
    "tab-indent.yaml": (2, 1),
    "undefined-alias.yaml": (2, 7),
    "duplicate-directive.yaml": (2, 1),
    "python-tag.yaml": (2, 7),
    "colon-in-value.yaml": (2, 8),
    "trailing-comma.json": (4, 1),
    "truncated.json": (4, 1),
    "latin1.json": (1, 28),
}


def one_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ccv: ")
    return lines[0]


def test_every_broken_fixture_is_covered():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["validate", "graph"])
def test_a_broken_input_is_one_located_line(name, command):
    path = BROKEN / name
    line = one_line(run(command, str(path)))
    found = re.match(rf"ccv: {re.escape(str(path))}:(\d+):(\d+): not (valid \w+|UTF-8 text)", line)
    assert found, line
    assert (int(found[1]), int(found[2])) == EXPECTED[name]


def test_a_broken_input_on_standard_input_names_stdin():
    text = (BROKEN / "unclosed-flow.yaml").read_text()
    assert one_line(run("validate", "-", input=text)).startswith("ccv: <stdin>:4:9: not valid YAML")


def test_a_broken_settings_file_is_one_located_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".ccv.yaml").write_text("ignore: [CCV201\nseverity: {}\n")
    line = one_line(run("validate", str(FIXTURES / "valid.yaml")))
    assert line.startswith(f"ccv: {tmp_path / '.ccv.yaml'}:2:9: not valid YAML: ")
    (tmp_path / "settings.toml").write_text("[tool.ccv]\nignore = [\n")
    line = one_line(run("validate", "--config", "settings.toml", str(FIXTURES / "valid.yaml")))
    assert line == "ccv: settings.toml:3:1: not valid TOML: Invalid value"
    (tmp_path / "settings.toml").write_text("[tool.ccv]\nignore = 3 3\n")
    line = one_line(run("validate", "--config", "settings.toml", str(FIXTURES / "valid.yaml")))
    assert line.startswith("ccv: settings.toml:2:12: not valid TOML: ")


@pytest.mark.parametrize(
    "args, start, helped",
    [
        (["validate", "-f", "nope", "x.yaml"], "ccv: Invalid value for '--format'", "ccv validate"),
        (["validate", "--bogus"], "ccv: No such option '--bogus'", "ccv validate"),
        (["graph"], "ccv: Missing argument 'FILE'", "ccv graph"),
        (["nosuch"], "ccv: No such command 'nosuch'", "ccv"),
        (["sla", "credit", "--tier", "gold"], "ccv: Invalid value for '--tier'", "ccv sla credit"),
    ],
)
def test_a_command_line_mistake_is_one_line_pointing_at_the_help(args, start, helped):
    line = one_line(run(*args))
    assert line.startswith(start)
    assert line.endswith(f"; see '{helped} --help'"), line
