"""``python -m validator`` runs the ``ccv`` command line."""

from validator.cli import run

run()
