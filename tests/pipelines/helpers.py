"""Helpers the pipeline tests share: fixture files and running the installed ``ccv``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ccv_command() -> list[str]:
    """The ``ccv`` console script of this environment (or ``python -m`` as a fallback)."""
    script = Path(sys.executable).with_name("ccv")
    if script.exists():
        return [str(script)]
    found = shutil.which("ccv")
    return [found] if found else [sys.executable, "-c", "from validator.cli import main; main()"]


def ccv(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run ``ccv ARGS`` as a user would, no colours, standard input closed unless given."""
    env = {**os.environ, "NO_COLOR": "1"}
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [*ccv_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,
    )
