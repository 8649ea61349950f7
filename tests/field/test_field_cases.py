"""The field cases (plans distilled from public reports; SPEC §12), each with its right value.

Every ``fixtures/cases/NAME.yaml`` says in its header what the situation is and what is
right; ``NAME.expect.json`` states it in the acceptance-case format: the exit status,
findings that must appear (rule, the ids among their objects, severity), rules (or rule
and objects) that must not, and exact counts. They run through the command line as a
user would run them: ``ccv validate --format json CASE``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccv_test_helpers import run

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
NAMES = sorted(p.name.removesuffix(".expect.json") for p in CASES.glob("*.expect.json"))


def _matches(finding: dict, rule: str, objects: list[str] | None) -> bool:
    return finding["rule"] == rule and set(objects or ()) <= set(finding["objects"])


def test_every_case_has_a_plan_and_an_expectation():
    plans = sorted(p.stem for p in CASES.glob("*.yaml"))
    assert plans == NAMES and len(NAMES) >= 7


@pytest.mark.parametrize("name", NAMES)
def test_field_case(name):
    expect = json.loads((CASES / f"{name}.expect.json").read_text(encoding="utf-8"))
    result = run("validate", "--format", "json", str(CASES / f"{name}.yaml"))
    assert result.exit_code == expect["exit"], result.stdout
    findings = json.loads(result.stdout)["findings"]
    for must in expect.get("must", ()):
        hits = [f for f in findings if _matches(f, must["rule"], must.get("objects"))]
        if "severity" in must:
            hits = [f for f in hits if f["severity"] == must["severity"]]
        assert hits, f"{name}: no {must} among {[f['rule'] for f in findings]}"
    for must_not in expect.get("must_not", ()):
        if isinstance(must_not, str):
            must_not = {"rule": must_not}
        hits = [f for f in findings if _matches(f, must_not["rule"], must_not.get("objects"))]
        assert not hits, f"{name}: unexpected {[h['message'] for h in hits]}"
    for rule, count in expect.get("counts", {}).items():
        assert sum(f["rule"] == rule for f in findings) == count, f"{name}: {rule}"
