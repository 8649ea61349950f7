"""Every command's --help teaches by example (the house rule: `--help` that teaches)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from validator.cli import cli


def _commands() -> list[list[str]]:
    ctx = click.Context(cli)
    found: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append(path)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])

    walk(cli, [])
    return found


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(["ccv", *p]))
def test_help_shows_examples_of_the_command_itself(path):
    text = CliRunner().invoke(cli, [*path, "--help"]).output
    heading = next((h for h in ("Examples:", "Example:", "Start with:") if h in text), None)
    assert heading, f"ccv {' '.join(path)} --help has no examples"
    shown = text.split(heading, 1)[1].split("\n\n", 1)[0]
    assert f"ccv {' '.join(path)}".strip() in shown
