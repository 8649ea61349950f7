"""Secrets: an auth_key never appears in any output, whatever its type or where it stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccv_test_helpers import run

from validator import redaction
from validator.formats import FORMATS
from validator.redaction import MASK, Redactor, quote, register_sensitive_key

SECRET = "Pl4nted-S3cret"

PLAN = """\
version: 1
name: demo
exchange: {{asn: 64600}}
pops:
  - {{id: hkg1, metro: hkg}}
sites:
  - id: aws-hk
    cloud: aws
    asn: 64512
    cidrs: [10.10.0.0/16]
    lines:
      - id: l1
        pop: hkg1
        bandwidth_mbps: 100
        peering: {peering}
"""

# The same secret in every shape a user or a mutation could give it.
PEERINGS = {
    "a valid key": f"{{site_ip: 169.254.1.1/30, exchange_ip: 169.254.1.2/30, auth_key: {SECRET}}}",
    "an integer key": "{site_ip: 169.254.1.1/30, exchange_ip: 169.254.1.2/30, auth_key: 98765432}",
    "a list key": f"{{site_ip: 169.254.1.1/30, auth_key: [{SECRET}, 2]}}",
    "a mapping key": f"{{auth_key: {{k: {SECRET}}}}}",
    "a peering that is a list": f"[{{auth_key: {SECRET}, vlan: 10}}]",
    "a key beside unknown keys": f"{{auth_key: {SECRET}, bogus: 1, site_ip: 10.0.0.300/30}}",
    "a float key": "{auth_key: 98765.432}",
}


@pytest.mark.parametrize("shape", sorted(PEERINGS))
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_shows_the_secret(tmp_path: Path, shape: str, fmt: str):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(peering=PEERINGS[shape]))
    result = run("validate", "--format", fmt, str(plan))
    assert result.exit_code in (0, 1), result.stderr
    for secret in (SECRET, "98765432", "98765.432"):
        assert secret not in result.stdout
        assert secret not in result.stderr


def test_a_schema_error_on_the_key_names_the_key_and_the_type_never_the_value(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(peering=PEERINGS["an integer key"]))
    report = json.loads(run("validate", "--format", "json", str(plan)).stdout)
    (finding,) = [f for f in report["findings"] if f["path"].endswith("/auth_key")]
    assert finding["message"] == (
        "auth_key of line l1 of site aws-hk must be a string, not an integer (***)"
    )
    assert finding["hint"] == (
        'quote the value so that it reads as text: auth_key: "***" (ccv never shows it)'
    )


def test_a_quoted_container_shows_the_secret_masked_and_the_rest(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(peering=PEERINGS["a peering that is a list"]))
    report = json.loads(run("validate", "--format", "json", str(plan)).stdout)
    messages = [f["message"] for f in report["findings"]]
    assert (
        "peering of line l1 of site aws-hk must be a mapping, not a list "
        '([{"auth_key": "***", "vlan": 10}])'
    ) in messages


def test_an_unreadable_value_under_the_key_is_an_input_error_without_it(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(peering=f"{{auth_key: !!int {SECRET}}}"))
    result = run("validate", str(plan))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ccv: {plan}:15:29: the value *** cannot be read as an integer; correct the value, "
        "or quote it to make it text\n"
    )


def test_quote_masks_by_key_anywhere_and_by_path():
    value = [{"a": 1, "auth_key": SECRET, "deep": {"auth_key": [SECRET]}}]
    assert SECRET not in quote(value, width=500)
    assert quote(SECRET, ("sites", 0, "lines", 0, "peering", "auth_key")) == MASK
    assert quote(SECRET, ("peering", "auth_key", 3, "k")) == MASK
    assert quote("plain", ("peering", "site_ip")) == '"plain"'


def test_quote_never_recurses_without_end():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert quote(deep).startswith("[[[[")


def test_the_redactor_masks_every_form_and_skips_values_too_short_to_search():
    redact = Redactor()
    assert not redact and redact("a message") == "a message"
    redact.add([SECRET, 98765432, {"k": 12}])
    assert redact(f"x {SECRET} y 98765432 z 12") == f"x {MASK} y {MASK} z 12"


def test_sensitive_keys_can_be_registered_for_other_inputs(tmp_path):
    # How another reader registers its own secret attribute names.
    register_sensitive_key("pre_shared_key")
    try:
        plan = tmp_path / "plan.yaml"
        plan.write_text(PLAN.format(peering=f"{{pre_shared_key: {SECRET}}}"))
        result = run("validate", "--format", "json", str(plan))
        assert "unknown key 'pre_shared_key'" in result.stdout
        assert SECRET not in result.stdout
        assert quote({"pre_shared_key": SECRET}) == '{"pre_shared_key": "***"}'
    finally:
        redaction._SENSITIVE_KEYS.discard("pre_shared_key")


def test_the_command_line_remembers_the_secrets_it_read_for_its_last_resort_lines(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(peering=PEERINGS["a valid key"]))
    run("validate", str(plan))
    assert redaction.seen_secrets()(f"KeyError: {SECRET!r}") == f"KeyError: '{MASK}'"


def test_a_terraform_plan_gives_the_redactor_its_keys_and_every_value_it_marks_sensitive():
    from validator.load.document import load_document

    plan = Path(__file__).resolve().parents[1] / "terraform" / "fixtures" / "sensitive-plan.json"
    secrets = load_document(str(plan)).secrets
    # bgp_auth_key and shared_key by name; 10.77.0.0/16 because the plan marks it sensitive
    for secret in ("TopSecretBgpKey-1", "TopSecretSharedKey-2", "10.77.0.0/16"):
        assert secret in secrets
    assert "10.78.0.0/16" not in secrets  # the same attribute, not marked
    assert "secrets=" not in repr(load_document(str(plan)))  # kept, never shown
