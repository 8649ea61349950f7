"""Where a command writes: never onto an input, and a file is replaced whole or not at all.

Used by every command that takes ``--output``/``-o`` (``ccv validate``, ``ccv graph``).

* :func:`refuse_inputs` refuses an output that *is* an input: the same file by device
  and inode (a second name, a hard link, a symbolic link, ``/dev/stdin`` or
  ``/proc/self/fd/0`` standing for a file read as ``-``), or standard input itself.
  Writing the report to ``/dev/stdout``, ``/dev/null`` or a pipe stays allowed.
* :func:`write_text` writes a regular file atomically (a temporary file in the same
  directory, then ``os.replace``): a failed or interrupted write leaves the old file as
  it was. Special files (a terminal, a pipe, ``/dev/null``, ``/dev/stdout``) are
  written in place, since they cannot be replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable

STDIO = "-"


class OutputError(Exception):
    """An output that would overwrite an input, or that cannot be written (exit 2)."""


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _stdin_identity() -> tuple[int, int] | None:
    try:
        return _identity(os.fstat(sys.stdin.fileno()))
    except (OSError, ValueError, AttributeError):
        return None


def refuse_inputs(output: str | None, inputs: Iterable[str], option: str = "--output") -> None:
    """Raise :class:`OutputError` when ``output`` names one of ``inputs`` (``-``: stdin).

    Compared by device and inode, so any name of the same file is caught. Standard
    input counts as an input when ``-`` is among ``inputs``; a regular file redirected
    to standard input is protected even when it is not read.
    """
    if not output or output == STDIO:
        return
    _refuse_directory_name(output, option)
    try:
        target = os.stat(output)
    except NotADirectoryError:
        raise OutputError(
            f"{option} {output}: a part of the path before the last '/' is a file, not a "
            "folder; give a file name"
        ) from None
    except OSError:
        return  # does not exist yet (or cannot be looked at): nothing to overwrite
    here = _identity(target)
    sources = list(inputs)
    for source in sources:
        if source == STDIO:
            continue
        try:
            if _identity(os.stat(source)) == here:
                shown = source if source == output else f"{source} (the same file)"
                raise OutputError(
                    f"{option} {output} is the input {shown}; ccv never writes to its "
                    "inputs: choose another output file"
                )
        except OSError:
            continue
    stdin = _stdin_identity()
    if stdin == here and (STDIO in sources or stat.S_ISREG(target.st_mode)):
        raise OutputError(
            f"{option} {output} is standard input; ccv never writes to its inputs: "
            "choose another output file"
        )


def _refuse_directory_name(output: str, option: str) -> None:
    """An output spelt as a folder (``plan.yaml/``, ``out/.``) is refused: resolving it
    would name the file before the slash, which may be an input."""
    if output.endswith(("/", os.sep)) or os.path.basename(output) in (".", ".."):
        raise OutputError(
            f"{option} {output} names a folder (it ends in '/', '.' or '..'); give a file name"
        )


def refuse_same(first: str | None, second: str | None, options: tuple[str, str]) -> None:
    """Raise :class:`OutputError` when two outputs name one file (then one write would
    silently replace the other)."""
    if not first or not second or STDIO in (first, second):
        return
    same = os.path.realpath(first) == os.path.realpath(second)
    with contextlib.suppress(OSError):
        same = same or _identity(os.stat(first)) == _identity(os.stat(second))
    if same:
        raise OutputError(
            f"{options[0]} {first} and {options[1]} {second} name the same file; give each its own"
        )


def write_text(output: str, text: str | Iterable[str], what: str = "") -> None:
    """Write ``text`` (UTF-8; a string or consecutive pieces) to ``output``: atomically
    for a regular file.

    Raises :class:`OutputError` (one line, naming the file and ``what`` it is) when it
    cannot be written.
    """
    chunks = (text,) if isinstance(text, str) else text
    _refuse_directory_name(output, "--output")
    try:
        real = os.path.realpath(output)
        try:
            st = os.stat(real)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{output}: is a directory; give a file name to --output")
        if st is not None and not stat.S_ISREG(st.st_mode) or _is_stream_name(output):
            with open(output, "w", encoding="utf-8") as stream:
                stream.writelines(chunks)
            return
        _replace(real, chunks, st)
    except OSError as exc:
        what = f" {what}" if what else ""
        raise OutputError(f"{output}: cannot write{what} ({exc.strerror or exc})") from None


def _is_stream_name(path: str) -> bool:
    """``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``…: a descriptor, written in place."""
    return path.startswith(("/dev/", "/proc/"))


def _replace(real: str, chunks: Iterable[str], old: os.stat_result | None) -> None:
    directory = os.path.dirname(real) or "."
    fd, temp = tempfile.mkstemp(prefix=".ccv-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.writelines(chunks)
        if old is not None:
            os.chmod(temp, stat.S_IMODE(old.st_mode))
            with contextlib.suppress(OSError):  # keep the owner too, where we may
                if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(temp, old.st_uid, old.st_gid)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(temp, 0o666 & ~mask)
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
