"""Loading several inputs: each one that cannot be read becomes a problem, not a stop."""

from __future__ import annotations

import re
from collections.abc import Iterable

from validator.load.document import STDIN_NAME, Document, InputError, load_document
from validator.report import InputProblem

_PLACE = re.compile(r"^:(\d+)(?::(\d+))?: ")


def input_problem(name: str, error: InputError) -> InputProblem:
    """The problem ``error`` describes, its place split off: loaders write their messages
    as ``NAME[:LINE[:COL]]: what is wrong``."""
    text = str(error)
    if text.startswith(name):
        rest = text[len(name) :]
        match = _PLACE.match(rest)
        if match:
            column = int(match.group(2)) if match.group(2) else None
            return InputProblem(name, rest[match.end() :], int(match.group(1)), column)
        if rest.startswith(": "):
            return InputProblem(name, rest[2:])
    return InputProblem(name, text)


def load_inputs(
    sources: Iterable[str], input_format: str = "auto"
) -> tuple[list[str], list[Document], list[InputProblem]]:
    """Load every source (a path, or ``-`` for standard input).

    Returns the inputs' names in the order given, the documents that loaded, and one
    InputProblem for each source that could not be read or parsed.
    """
    names: list[str] = []
    documents: list[Document] = []
    problems: list[InputProblem] = []
    for source in sources:
        name = STDIN_NAME if source == "-" else source
        names.append(name)
        try:
            documents.append(load_document(source, input_format))
        except InputError as exc:
            problems.append(input_problem(name, exc))
    return names, documents, problems
