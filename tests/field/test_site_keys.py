"""Keys that belong to a cloud (SPEC §12): an add-on the site's cloud does not know, and
`interconnect` or a line's `circuit` on a site outside the clouds, are located CCV100
findings whose hints name what the cloud's data file knows."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from validator import validate
from validator.clouds import CLOUDS
from validator.rules.site_keys import known_addons

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def schema_findings():
    report = validate(str(FIXTURES / "site-keys.yaml"))
    return {f.path: f for f in report.findings if f.rule == "CCV100"}


def test_an_add_on_of_another_cloud_is_located_ccv100(schema_findings):
    assert sorted(schema_findings) == [
        "/sites/0/addons/0",
        "/sites/1/addons/0",
        "/sites/2/addons/0",
        "/sites/3/addons/0",
        "/sites/3/interconnect",
        "/sites/3/lines/0/circuit",
    ]
    aws = schema_findings["/sites/0/addons/0"]
    assert aws.objects == ("aws-vpc",)
    assert "'expressroute-premium', which is not an add-on of aws" in aws.message
    assert aws.hint == "aws add-ons ccv knows: prefix-controls; remove expressroute-premium"
    azure = schema_findings["/sites/1/addons/0"]
    assert azure.hint == "azure add-ons ccv knows: expressroute-premium; remove prefix-controls"
    assert "knows no gcp add-on" in schema_findings["/sites/2/addons/0"].hint


def test_onprem_sites_have_no_add_ons_interconnect_or_circuit(schema_findings):
    addon = schema_findings["/sites/3/addons/0"]
    assert "prefix-controls (aws), expressroute-premium (azure)" in addon.hint
    assert "remove interconnect" in schema_findings["/sites/3/interconnect"].hint
    assert "x-circuit" in schema_findings["/sites/3/lines/0/circuit"].hint


def test_the_add_ons_a_cloud_knows_come_from_its_data_file():
    for cloud in CLOUDS:
        raw = yaml.safe_load(
            resources.files("validator").joinpath(f"data/clouds/{cloud}.yaml").read_text("utf-8")
        )
        named = [a["name"] for a in ((raw.get("routes") or {}).get("addons") or ())]
        assert list(known_addons(cloud)) == named, cloud
    assert known_addons("onprem") == known_addons("other") == known_addons(None) == ()


def test_the_schema_describes_every_add_on_and_accepts_each():
    schema = json.loads(
        resources.files("validator").joinpath("schemas/topology.schema.json").read_text("utf-8")
    )
    text = json.dumps(schema)
    for cloud in CLOUDS:
        for name in known_addons(cloud):
            assert name in text, name


@pytest.mark.parametrize(
    ("cloud", "addon"), [("aws", "prefix-controls"), ("azure", "expressroute-premium")]
)
def test_an_add_on_of_the_sites_own_cloud_is_accepted(tmp_path, cloud, addon):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: x\nexchange: {asn: 64600}\n"
        f"sites:\n  - {{id: s, cloud: {cloud}, asn: 12076, cidrs: [10.1.0.0/16], "
        f"addons: [{addon}]}}\n"
    )
    assert [f.path for f in validate(str(plan)).findings if f.rule == "CCV100"] == []


def test_one_mistake_gives_one_finding(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: x\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: a, cloud: amazon, asn: 65001, cidrs: [], addons: [x], interconnect: partner}\n"
        "  - {id: b, cloud: onprem, asn: 65002, cidrs: [], addons: ['', 3],"
        " interconnect: bogus, lines: [{id: l, pop: p, bandwidth_mbps: 1, circuit: ''}]}\n"
        "  - {id: c, cloud: other, asn: 65003, cidrs: [], addons: [expressroute-premium],"
        " interconnect: partner}\n"
    )
    found = [(f.path, f.message) for f in validate(str(plan)).findings if f.rule == "CCV100"]
    paths = [path for path, _ in found]
    # the schema's own findings (an unknown cloud, empty or non-string values, a value
    # outside the enum) are not repeated by the cloud checks
    assert paths == [
        "/sites/0/cloud",
        "/sites/1/addons/0",
        "/sites/1/addons/1",
        "/sites/1/interconnect",
        "/sites/1/lines/0/circuit",
        "/sites/2/addons/0",
        "/sites/2/interconnect",
    ]
    assert "which is not for a cloud site" in found[5][1]
