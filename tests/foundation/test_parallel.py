"""A large plan's checks split over two processes give exactly the one-process report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ccv_test_helpers import fixture

import validator.parallel as parallel
from validator import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLANS = [
    *(str(p) for p in sorted(EXAMPLES.glob("*.yaml"))),
    fixture("unknown-reference.yaml"),  # input errors: the graph stage does not run
]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: Path(p).name)
def test_two_processes_give_the_same_bytes(plan, monkeypatch):
    one = validate(plan, use_config_file=False).to_json()
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    two = validate(plan, use_config_file=False).to_json()
    assert two == one


def test_an_error_in_the_child_is_raised_in_the_parent():
    def broken() -> int:
        raise ValueError("boom")

    with pytest.raises(RuntimeError, match="ValueError: boom"):
        parallel.in_child(broken)()


def test_a_child_that_dies_is_replaced_by_the_parent():
    parent = os.getpid()

    def dies_in_child() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "computed here"

    assert parallel.in_child(dies_in_child)() == "computed here"


def test_small_plans_stay_in_one_process():
    assert not parallel.worth_splitting(parallel.MIN_ITEMS - 1)
    assert parallel.worth_splitting(parallel.MIN_ITEMS) == hasattr(os, "fork")
