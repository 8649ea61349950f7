"""docs/sla.md shows real output: every ``$ ccv sla ...`` block is re-run and compared."""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "sla.md"
BLOCK = re.compile(r"```console\n\$ ccv sla (?P<args>[^\n]*)\n(?P<out>.*?)```", re.S)


def _examples() -> list[tuple[str, str, int]]:
    examples = []
    for match in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        output = match["out"]
        status = 0
        if "$ echo $?\n" in output:
            output, status_text = output.split("$ echo $?\n")
            status = int(status_text)
        examples.append((match["args"], output, status))
    return examples


def test_the_doc_has_an_example_of_every_command():
    commands = {shlex.split(args)[0] for args, _out, _status in _examples()}
    assert commands == {"budget", "credit", "classify", "measure"}


@pytest.mark.parametrize(("args", "output", "status"), _examples())
def test_doc_example_output_is_real(run, monkeypatch, args, output, status):
    monkeypatch.chdir(ROOT)
    result = run(*shlex.split(args))
    assert result.exit_code == status
    assert result.output == output
