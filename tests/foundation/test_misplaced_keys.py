"""An unknown key that belongs one or two levels down says where (never its value)."""

from __future__ import annotations

from ccv_test_helpers import fixture, run

from validator import validate


def test_peering_keys_written_too_high_say_they_belong_under_peering():
    found = [f for f in validate(fixture("misplaced-keys.yaml")).findings if f.rule == "CCV100"]
    hints = {(f.path, f.hint.split(":")[0]) for f in found}
    assert hints == {
        ("/sites/0/auth_key", "'auth_key' belongs under each entry of 'lines', then 'peering'"),
        ("/sites/0/lines/0/auth_key", "'auth_key' belongs under 'peering'"),
        ("/sites/0/lines/0/site_ip", "'site_ip' belongs under 'peering'"),
    }


def test_the_misplaced_secret_appears_in_no_format():
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        result = run("validate", "-f", fmt, str(fixture("misplaced-keys.yaml")))
        assert "belongs under" in result.stdout, fmt
        assert "s3cr3t" not in result.stdout + result.stderr, fmt


def test_a_key_allowed_nowhere_below_keeps_the_did_you_mean():
    plan = {"version": 1, "name": "x", "exchange": {"asn": 64600}, "sites": [], "sitez": []}
    (finding,) = [f for f in validate(plan).findings if f.rule == "CCV100"]
    assert finding.hint.startswith("did you mean 'sites'?")
