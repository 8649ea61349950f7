"""Rewrite tests/examples/expected/ from today's code: run it only when a change alters
the examples' reports on purpose, then review the diff before committing it.

    python tests/examples/update.py

The test (test_examples.py) never writes: it only compares.
"""

from __future__ import annotations

import os
from pathlib import Path

from validator import validate

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"


def main() -> None:
    """Write one expected report per shipped example, as the test computes it."""
    os.chdir(ROOT)  # the reports name the inputs as examples/NAME
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in (".yaml", ".json"):
            example = path.relative_to(ROOT).as_posix()
            target = EXPECTED / (path.stem + ".json")
            target.write_text(validate(example).to_json(), encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
