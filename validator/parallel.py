"""Using the second core: a large plan's checks split over two processes.

The machine ccv targets has two cores. For a large plan, `fork` a child once the plan
is built (the child shares the parent's memory copy-on-write, so nothing is copied or
parsed twice); the child runs one part of the checks while the parent runs the other,
and hands back its result, pickled through a temporary file. Where `fork` does not
exist, or the child fails to deliver, the part runs in the parent instead: the same
result, only later.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import traceback
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MIN_ITEMS = 50_000
"""Ranges plus lines from which splitting pays for the fork and the pickling."""


def worth_splitting(items: int) -> bool:
    """True when a plan with ``items`` ranges and lines should use two processes."""
    return hasattr(os, "fork") and items >= MIN_ITEMS


def in_child(compute: Callable[[], T]) -> Callable[[], T]:
    """Start ``compute()`` in a forked child; return a function that waits for its result.

    The result must pickle. An exception in the child is raised again in the parent as
    a RuntimeError carrying the child's traceback; a child that dies without a word is
    replaced by running ``compute()`` here.
    """
    if not hasattr(os, "fork"):
        return compute
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result(), after the fork
    pid = os.fork()
    if pid == 0:  # the child: compute, write, and leave without running any cleanup
        status = 0
        try:
            try:
                outcome = ("ok", compute())
            except BaseException:  # noqa: BLE001 - handed to the parent
                outcome = ("error", traceback.format_exc())
            pickle.dump(outcome, spool, protocol=pickle.HIGHEST_PROTOCOL)
            spool.flush()
        except BaseException:  # noqa: BLE001 - nothing can be reported from here
            status = 1
        finally:
            os._exit(status)

    def result() -> T:
        _, status = os.waitpid(pid, 0)
        try:
            spool.seek(0)
            outcome = pickle.load(spool) if status == 0 else None
        except (EOFError, pickle.UnpicklingError):
            outcome = None
        finally:
            spool.close()
        if outcome is None:
            return compute()
        kind, value = outcome
        if kind == "error":
            raise RuntimeError(f"a check failed in the helper process:\n{value}")
        return value

    return result
