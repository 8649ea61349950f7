"""The error ``ccv sla`` raises for bad input: one line, exit status 2, never a traceback."""

from __future__ import annotations

import click


class SlaInputError(click.ClickException):
    """A problem in an input file or value; the message names where and how to fix it."""

    exit_code = 2

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        """``where`` is ``file:line`` (or a value's name), ``problem`` what is wrong,
        ``fix`` how to put it right."""
        message = f"{where}: {problem}" if where else problem
        if fix:
            message += f"; {fix}"
        super().__init__(message)
