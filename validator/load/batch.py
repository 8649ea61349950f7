"""Loading several inputs: each one that cannot be read becomes a problem, not a stop."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from validator.load.document import STDIN_NAME, Document, InputError, load_document
from validator.load.limits import Limits

_PLACE = re.compile(r"^:(\d+)(?::(\d+))?: ")


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be checked: unreadable, not text, not YAML/JSON at all.

    ``file`` is the input's name as given (``<stdin>`` for standard input); ``line`` and
    ``column`` are 1-based, or None when the problem has no place in the text.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        """``FILE``, ``FILE:LINE`` or ``FILE:LINE:COL``."""
        parts = [self.file, *(str(n) for n in (self.line, self.column) if n is not None)]
        return ":".join(parts)

    def to_dict(self) -> dict:
        """JSON form: ``{"file", "line"?, "column"?, "message"}``."""
        result: dict = {"file": self.file}
        if self.line is not None:
            result["line"] = self.line
        if self.column is not None:
            result["column"] = self.column
        result["message"] = self.message
        return result


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
    sources: Iterable[str], input_format: str = "auto", limits: Limits | None = None
) -> tuple[list[str], list[Document], list[InputProblem]]:
    """Load every source (a path, or ``-`` for standard input), each within ``limits``
    (validator.load.limits; the defaults when None).

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
            documents.append(load_document(source, input_format, limits))
        except InputError as exc:
            problems.append(input_problem(name, exc))
    return names, documents, problems
