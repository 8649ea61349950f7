"""Baselines: known findings stay hidden through edits and moves; new ones show (SPEC §11)."""

from __future__ import annotations

import json
import re
import shutil

import yaml

from tests.pipelines.helpers import FIXTURES, ROOT, ccv
from validator import validate

TYPICAL = ROOT / "examples" / "typical-mistakes.yaml"


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def test_write_then_apply_hides_every_known_finding(tmp_path):
    shutil.copy(TYPICAL, tmp_path / "plan.yaml")
    written = ccv("validate", "--write-baseline", "base.json", "-f", "json", "plan.yaml",
                  cwd=tmp_path)  # fmt: skip
    assert written.returncode == 0
    count = len(validate(str(TYPICAL)).findings)
    assert count > 10
    assert json.loads(written.stdout)["baseline"] == {"file": "base.json", "known": count}
    again = ccv("validate", "--baseline", "base.json", "plan.yaml", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == (
        f"no findings: 0 errors, 0 warnings, 0 info (1 input; {count} known findings in base.json)"
    )


def test_the_baseline_file_is_small_sorted_and_one_finding_a_line(tmp_path):
    shutil.copy(TYPICAL, tmp_path / "plan.yaml")
    ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path)
    text = (tmp_path / "base.json").read_text("utf-8")
    data = json.loads(text)
    assert data["ccv_baseline"] == 1
    entries = data["findings"]
    report = validate(str(TYPICAL))
    assert {e["fingerprint"] for e in entries} == {f.fingerprint for f in report.findings}
    assert len(entries) == len({f.fingerprint for f in report.findings})
    keys = [(e["rule"], e["objects"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)
    lines = text.splitlines()
    assert len(lines) == len(entries) + 5  # {, version, "findings": [, entries, ], }
    for line, entry in zip(lines[3:-2], entries, strict=True):
        assert json.loads(line.strip().rstrip(",")) == entry
        assert set(entry) == {"fingerprint", "rule", "objects", "message"}
        assert re.fullmatch(r"[0-9a-f]{16}", entry["fingerprint"])
    assert "plan.yaml" not in text  # no file names, lines or columns
    assert len(text) < 300 * len(entries)


def test_comments_moved_objects_and_a_renamed_file_keep_findings_hidden(tmp_path):
    shutil.copy(FIXTURES / "overlap.yaml", tmp_path / "plan.yaml")
    assert (
        ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path).returncode == 0
    )
    data = yaml.safe_load((FIXTURES / "overlap.yaml").read_text("utf-8"))
    data["sites"].reverse()  # move the objects
    moved = "# edited: the sites in another order\n\n" + yaml.safe_dump(data, sort_keys=False)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "renamed.yaml").write_text(moved, "utf-8")
    result = ccv("validate", "--baseline", "base.json", "-f", "json", "elsewhere/renamed.yaml",
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert findings(result) == []
    # without the baseline the same findings are there, at other lines
    plain = findings(ccv("validate", "-f", "json", "elsewhere/renamed.yaml", cwd=tmp_path))
    assert {f["rule"] for f in plain} >= {"CCV201"}


def test_a_new_conflict_shows_and_a_fixed_one_leaves_the_baseline(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "overlap.yaml", plan)
    ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path)
    before = json.loads((tmp_path / "base.json").read_text("utf-8"))["findings"]
    assert "CCV201" in {e["rule"] for e in before}
    data = yaml.safe_load(plan.read_text("utf-8"))
    data["sites"][0]["cidrs"] = ["10.40.0.0/16"]  # fixes the old overlap ...
    data["sites"][0]["asn"] = 64512  # ... and repeats aws-sg's ASN: a new finding
    plan.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    result = ccv("validate", "--baseline", "base.json", "-f", "json", "plan.yaml", cwd=tmp_path)
    assert result.returncode == 1
    new = findings(result)
    assert [f["rule"] for f in new] == ["CCV403"]  # the overlap is gone, CCV704 is known
    assert all(f["fingerprint"] not in {e["fingerprint"] for e in before} for f in new)
    ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path)
    after = json.loads((tmp_path / "base.json").read_text("utf-8"))["findings"]
    assert "CCV201" not in {e["rule"] for e in after}
    assert {f["fingerprint"] for f in new} <= {e["fingerprint"] for e in after}


def test_a_changed_value_is_a_new_finding(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURES / "overlap.yaml", plan)
    ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path)
    plan.write_text(plan.read_text("utf-8").replace("10.30.64.0/18", "10.30.128.0/18"), "utf-8")
    result = ccv("validate", "--baseline", "base.json", "-f", "json", "plan.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert [f["rule"] for f in findings(result)] == ["CCV201"]


def test_fingerprints_ignore_line_references_in_messages(tmp_path):
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "examples" / "malformed.yaml").read_text("utf-8")
    plan.write_text(text, "utf-8")
    first = {(f.rule, f.fingerprint) for f in validate(str(plan)).findings}
    plan.write_text("# one\n# two\n" + text, "utf-8")
    later = validate(str(plan)).findings
    assert any("line" in f.message for f in later if f.rule == "CCV103")
    assert {(f.rule, f.fingerprint) for f in later} == first


def test_a_baseline_that_is_not_one_is_refused(tmp_path):
    shutil.copy(FIXTURES / "overlap.yaml", tmp_path / "plan.yaml")
    (tmp_path / "bad.json").write_text('{"findings": []}\n', "utf-8")
    result = ccv("validate", "--baseline", "bad.json", "plan.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("ccv: bad.json: not a ccv baseline")
    missing = ccv("validate", "--baseline", "none.json", "plan.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert "--write-baseline none.json" in missing.stderr


def test_write_baseline_never_overwrites_an_input(tmp_path):
    shutil.copy(FIXTURES / "overlap.yaml", tmp_path / "plan.yaml")
    before = (tmp_path / "plan.yaml").read_bytes()
    result = ccv("validate", "--write-baseline", "plan.yaml", "plan.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "never writes to its inputs" in result.stderr
    assert (tmp_path / "plan.yaml").read_bytes() == before


def test_sarif_partial_fingerprints_match_the_baseline(tmp_path):
    shutil.copy(FIXTURES / "overlap.yaml", tmp_path / "plan.yaml")
    ccv("validate", "--write-baseline", "base.json", "plan.yaml", cwd=tmp_path)
    known = {e["fingerprint"] for e in json.loads((tmp_path / "base.json").read_text())["findings"]}
    log = json.loads(ccv("validate", "-f", "sarif", "plan.yaml", cwd=tmp_path).stdout)
    prints = {r["partialFingerprints"]["ccvFinding/v2"] for r in log["runs"][0]["results"]}
    assert prints == known


def test_no_baseline_is_written_when_an_input_could_not_be_read(tmp_path):
    shutil.copy(FIXTURES / "overlap.yaml", tmp_path / "plan.yaml")
    shutil.copy(FIXTURES / "broken.yaml", tmp_path / "broken.yaml")
    (tmp_path / "base.json").write_text('{"ccv_baseline": 1, "findings": []}\n', "utf-8")
    result = ccv("validate", "--write-baseline", "base.json", "plan.yaml", "broken.yaml",
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert "ccv: base.json not written: not every input was checked" in result.stderr
    assert (tmp_path / "base.json").read_text("utf-8") == '{"ccv_baseline": 1, "findings": []}\n'
    assert "CCV201" in result.stdout  # the readable plan is still reported in full


def test_baseline_and_write_baseline_together_hide_by_the_old_and_write_the_new(tmp_path):
    plan = yaml.safe_load(TYPICAL.read_text("utf-8"))
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), "utf-8")
    assert (
        ccv("validate", "--write-baseline", "old.json", "plan.yaml", cwd=tmp_path).returncode == 0
    )
    old_count = len(json.loads((tmp_path / "old.json").read_text("utf-8"))["findings"])
    plan["sites"][0]["cidrs"].append(plan["sites"][1]["cidrs"][0])  # a new conflict
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), "utf-8")
    both = ccv("validate", "--baseline", "old.json", "--write-baseline", "new.json", "-f", "json",
               "plan.yaml", cwd=tmp_path)  # fmt: skip
    report = json.loads(both.stdout)
    assert report["findings"], "findings new since old.json must show"
    assert report["baseline"] == {"file": "old.json", "known": old_count}
    written = json.loads((tmp_path / "new.json").read_text("utf-8"))["findings"]
    assert len(written) == old_count + len(report["findings"])
    assert f"{len(written)} findings recorded in new.json" in both.stderr
