"""SARIF results carry `fixes` (text replacements) where a fix maps to spans of the input;
the log stays valid against the official SARIF 2.1.0 schema, and applying the
replacements to the text gives the same plan as applying the JSON Patch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.formats.test_sarif import sarif
from validator import validate
from validator.fixes.patch import apply_patch
from validator.load.document import load_document

ROOT = Path(__file__).resolve().parents[2]
PLANS = [
    ROOT / "examples" / "typical-mistakes.yaml",
    Path(__file__).parent / "fixtures" / "to-fix.json",
]


def replaced(text: str, replacements: list[dict]) -> str:
    lines = text.splitlines(keepends=True)
    for item in sorted(
        replacements,
        key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
        reverse=True,
    ):
        region = item["deletedRegion"]
        assert region["startLine"] == region["endLine"]
        line = lines[region["startLine"] - 1]
        start, end = region["startColumn"] - 1, region["endColumn"] - 1
        lines[region["startLine"] - 1] = line[:start] + item["insertedContent"]["text"] + line[end:]
    return "".join(lines)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_sarif_fixes_are_valid_and_equal_to_the_json_patch(path, tmp_path):
    report = validate(str(path))
    log = sarif(report)
    results = log["runs"][0]["results"]
    with_fixes = [r for r in results if "fixes" in r]
    assert with_fixes
    by_key = {(f.rule, f.path): f for f in report.findings if f.fix}
    text = path.read_text("utf-8")
    for result in with_fixes:
        finding = by_key[(result["ruleId"], result["properties"]["path"])]
        change = result["fixes"][0]["artifactChanges"][0]
        assert result["fixes"][0]["description"]["text"] == finding.hint
        copy = tmp_path / path.name
        copy.write_text(replaced(text, change["replacements"]), encoding="utf-8")
        patched = apply_patch(load_document(str(path)).data, finding.fix)
        assert load_document(str(copy)).data == patched, finding.rule
    # a fix that is no replacement of a scalar (CCV203 removes a list item) has no SARIF fix
    removals = [f for f in report.findings if f.fix and f.fix[0]["op"] == "remove"]
    for finding in removals:
        result = next(
            r
            for r in results
            if r["properties"]["path"] == finding.path and r["ruleId"] == finding.rule
        )
        assert "fixes" not in result


def test_the_json_report_carries_the_fix(tmp_path):
    report = json.loads(validate(str(PLANS[0])).to_json())
    vlan = next(f for f in report["findings"] if f["rule"] == "CCV307")
    assert vlan["fix"] == [{"op": "replace", "path": vlan["path"], "value": 101}]
