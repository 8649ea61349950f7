"""Planted secrets: values a plan marks sensitive (``sensitive_values``,
``after_sensitive``) and the BGP keys whatever the plan says (``bgp_auth_key``,
``shared_key``, ``auth_key``) appear in no output of any format — findings, hints, the
summary, and the one-line error of a plan that cannot be read. The marked values are
malformed (``10.99.0.300/16``), so a rule that read them would quote them (CCV100)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ccv_test_helpers import run

from validator.formats import FORMATS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANTED = FIXTURES / "planted-secrets-plan.json"
SECRETS = (
    "10.99.0.300",  # cidr_block, marked in after_sensitive only
    "169.254.99.300",  # amazon_address, marked in sensitive_values
    "PlantedBgpKey-7",  # bgp_auth_key, not marked
    "PlantedSharedKey-8",  # shared_key, not marked
    "PlantedAuthKey-9",  # auth_key in a nested block, not marked
)
VLAN = re.compile(r"\b3011\b")  # vlan, marked sensitive (a number: matched as a word)


def _clean(result) -> None:
    for secret in SECRETS:
        assert secret not in result.stdout, secret
        assert secret not in result.stderr, secret
    assert not VLAN.search(result.stdout + result.stderr)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_planted_secrets_appear_in_no_format(fmt):
    result = run("validate", "--format", fmt, str(PLANTED))
    assert result.exit_code == 0
    _clean(result)
    # the sensitive values are named by attribute (CCV104), never quoted
    assert "cidr_block" in result.stdout and "amazon_address" in result.stdout


def test_a_sensitive_value_is_never_called_unknown_until_apply():
    from validator import validate

    said = {f.message for f in validate(str(PLANTED)).findings if f.rule == "CCV104"}
    assert len(said) == 3  # cidr_block, amazon_address, vlan
    assert all("is marked sensitive" in message for message in said)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_planted_secrets_merged_with_a_topology(fmt):
    topology = str(FIXTURES / "carrier.yaml")
    result = run("validate", "--format", fmt, "--merge", topology, str(PLANTED))
    assert result.exit_code in (0, 1)
    _clean(result)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("cut", ["after-key", "inside-key", "bad-escape"])
def test_a_malformed_plan_with_planted_secrets(tmp_path, fmt, cut):
    text = PLANTED.read_text()
    at = text.index("PlantedBgpKey-7")
    broken = {
        "after-key": text[: at + len("PlantedBgpKey-7")],  # the file ends in the secret
        "inside-key": text[: at + 7] + "\n" + text[at + 7 :],  # a raw newline in it
        "bad-escape": text.replace("PlantedSharedKey-8", "PlantedSharedKey-8\\q"),
    }[cut]
    path = tmp_path / "plan.json"
    path.write_text(broken)
    result = run("validate", "--format", fmt, str(FIXTURES / "carrier.yaml"), str(path))
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr
    _clean(result)


def test_values_marked_sensitive_in_the_prior_state_are_secrets_too(tmp_path):
    from validator.load import load_document

    prior = {
        "format_version": "1.0",
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_vpc.old",
                        "mode": "managed",
                        "type": "aws_vpc",
                        "name": "old",
                        "values": {"cidr_block": "10.55.0.0/16", "tags": {"k": "PriorSecret-5"}},
                        "sensitive_values": {"tags": {"k": True}},
                    }
                ]
            }
        },
    }
    text = PLANTED.read_text().replace(
        '"format_version": "1.2",',
        f'"format_version": "1.2",\n  "prior_state": {json.dumps(prior)},',
        1,
    )
    path = tmp_path / "plan.json"
    path.write_text(text)
    assert "PriorSecret-5" in load_document(str(path)).secrets
