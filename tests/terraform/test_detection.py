"""Auto-detection and --input-format terraform-plan agree on what is Terraform JSON (SPEC §10)."""

from __future__ import annotations

import pytest

from validator import InputError
from validator.load.document import parse_document
from validator.load.terraform import FORMAT

SAMPLES = [
    '{"format_version": "1.2"}',  # an empty plan: a clean report
    '{"terraform_version": "1.9.8"}',
    '{"values": {"root_module": {}}}',  # an empty state
    '{"values": {}}',  # begins like a state, is not one
    '{"format_version": "1.2", "sites": []}',  # begins like a plan, is a topology
    '{"name": "x", "values": 3}',
    "[]",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_auto_reads_as_terraform_exactly_what_the_forced_format_accepts(text):
    raw = text.encode()
    auto = parse_document("in.json", raw, "auto")
    try:
        forced = parse_document("in.json", raw, "terraform-plan")
    except InputError as exc:
        assert auto.format != FORMAT, f"auto read it as a plan, forced said: {exc}"
        assert "terraform show -json" in str(exc)
    else:
        assert auto.format == forced.format == FORMAT


def test_json_that_only_begins_like_terraform_output_is_explained():
    from validator import validate

    (finding,) = [f for f in validate({"values": {}}).findings if "'values'" in f.message]
    assert finding.rule == "CCV100"
    assert "terraform show -json" in finding.hint and "values.root_module" in finding.hint
