"""The error ``ccv sla``'s readers and builders raise for bad input.

A domain error, not a command-line one: the command line turns it into one line on
standard error and exit status 2; a library caller catches it.
"""

from __future__ import annotations


class SlaInputError(Exception):
    """A problem in an input file or value; the message names where and how to fix it."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        """``where`` is ``file:line`` (or a value's name), ``problem`` what is wrong,
        ``fix`` how to put it right."""
        message = f"{where}: {problem}" if where else problem
        if fix:
            message += f"; {fix}"
        super().__init__(message)
        self.message = message
