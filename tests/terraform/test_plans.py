"""Hand-written plans (fixtures/*.json, following HashiCorp's JSON output format) for what
no real file shows: each conflict a plan can hold, unknown and sensitive values, for_each
string keys, format versions, the interconnects and networks of every cloud."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from ccv_test_helpers import run

from validator import InputError, validate
from validator.formats import FORMATS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SARIF_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "formats" / "sarif-schema-2.1.0.json").read_text()
)


def plan(name: str) -> str:
    return str(FIXTURES / name)


def findings(*paths: str, merge: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    report = validate(*paths, merge=merge)
    return [(f.rule, f.objects) for f in report.findings]


EU = 'module.net["eu.prod"]'
US = 'module.net["us.prod"]'


def test_modules_for_each_keys_replacements_and_unknown_values():
    assert findings(plan("aws-modules-plan.json")) == [
        # the VPC's range comes from IPAM: known only after apply, never guessed
        ("CCV104", ("aws_vpc.ipam",)),
        # the replaced VPC is checked (with the block associated through configuration)
        ("CCV201", ("aws_vpc.rebuilt", f"{EU}.aws_vpc.this")),
        # subnet vpc_id unknown: linked through `configuration` (aws_vpc.this)
        ("CCV211", (f'{EU}.aws_subnet.this["b"]', f"{EU}.aws_vpc.this")),
        # two for_each instances of one module
        ("CCV201", (f"{EU}.aws_vpc.this", f"{US}.aws_vpc.this")),
        ("CCV211", (f'{US}.aws_subnet.this["a"]', f'{US}.aws_subnet.this["b"]')),
    ]
    # aws_vpc.legacy (10.1.0.0/16, only "delete") is gone after apply: no CCV202


def test_interconnects_of_five_clouds_reach_the_peering_and_vlan_rules():
    assert findings(plan("interconnects-plan.json")) == [
        # Direct Connect: customer_address in another /30 than amazon_address
        ("CCV301", ("aws_dx_private_virtual_interface.hk2",)),
        # two VIFs on one connection (dxcon-…) with one VLAN
        (
            "CCV307",
            ("aws_dx_private_virtual_interface.hk1", "aws_dx_private_virtual_interface.hk2"),
        ),
        # a Partner attachment's addresses and VLAN are Google's to assign
        ("CCV104", ("google_compute_interconnect_attachment.partner",)),
        ("CCV104", ("google_compute_interconnect_attachment.partner",)),
        ("CCV104", ("google_compute_interconnect_attachment.partner",)),
        # a Dedicated attachment's addresses from its router interface (169.254.20.1/29)
        # and router peer (169.254.20.0: the network address)
        ("CCV302", ("google_compute_interconnect_attachment.dedicated",)),
        # Alibaba VBR: dotted mask 255.255.255.252 -> /30; peer in another /30
        ("CCV301", ("alicloud_express_connect_virtual_border_router.vbr",)),
        # OCI virtual circuit: two cross-connect mappings on one cross-connect, one VLAN
        (
            "CCV307",
            ("oci_core_virtual_circuit.fc#mapping0", "oci_core_virtual_circuit.fc#mapping1"),
        ),
    ]


def test_unknown_values_name_the_address_and_the_attribute():
    report = validate(plan("interconnects-plan.json"))
    unknown = [f for f in report.findings if f.rule == "CCV104"]
    assert [f.path.rsplit("/", 1)[1] for f in unknown] == [
        "cloud_router_ip_address",
        "customer_router_ip_address",
        "vlan_tag8021q",
    ]
    assert all(f.severity == "info" for f in unknown)
    assert "vlan_tag8021q is known only after apply" in unknown[2].message


def test_alibaba_huawei_tencent_and_oracle_networks():
    assert findings(plan("asia-clouds-plan.json")) == [
        ("CCV201", ("alicloud_vpc.hk", "huaweicloud_vpc.sg")),
        ("CCV211", ("tencentcloud_subnet.gz_a", "tencentcloud_vpc.gz")),
    ]


def test_two_overlapping_gcp_subnetworks():
    assert findings(plan("gcp-overlapping-subnetworks-plan.json")) == [
        ("CCV211", ("google_compute_subnetwork.apps", "google_compute_subnetwork.data")),
    ]


def test_an_unknown_major_format_version_is_one_line_and_exit_2():
    result = run("validate", plan("format-2-plan.json"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "format_version 2.0 is not supported" in result.stderr


def test_input_format_terraform_plan(tmp_path):
    renamed = tmp_path / "tfplan.txt"  # not .json, and forced
    renamed.write_text((FIXTURES / "gcp-overlapping-subnetworks-plan.json").read_text())
    result = run("validate", "--input-format", "terraform-plan", str(renamed))
    assert result.exit_code == 1 and "CCV211" in result.stdout
    topology = Path(__file__).resolve().parents[2] / "examples" / "minimal.json"
    refused = run("validate", "--input-format", "terraform-plan", str(topology))
    assert refused.exit_code == 2 and "not the JSON of `terraform show -json`" in refused.stderr


SECRETS = (
    "md5-Secr3t-hk1",  # bgp_auth_key, not marked sensitive by the plan
    "ER-Shared-Key-Do-Not-Print",  # shared_key, marked sensitive
    "TopSecretBgpKey-1",
    "TopSecretSharedKey-2",  # shared_key the plan says is *not* sensitive
    "10.77.0.0",  # a range the plan marks sensitive
)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_sensitive_values_appear_in_no_format(fmt):
    paths = [plan("sensitive-plan.json"), plan("interconnects-plan.json")]
    for merge in (False, True):
        args = ["validate", "--format", fmt, *(["--merge"] if merge else []), *paths]
        result = run(*args)
        assert result.exit_code == 1
        for secret in SECRETS:
            assert secret not in result.stdout and secret not in result.stderr


def test_a_broken_plan_with_secrets_gives_an_error_without_them(tmp_path):
    text = (FIXTURES / "sensitive-plan.json").read_text()
    broken = tmp_path / "plan.json"
    broken.write_text(text.replace('"TopSecretBgpKey-1"', '"TopSecretBgpKey-1" oops'))
    result = run("validate", str(broken))
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    assert "TopSecretBgpKey-1" not in result.stderr + result.stdout


def test_the_model_never_holds_a_sensitive_value():
    from validator.load import load_document
    from validator.model import build_plan

    for name in ("sensitive-plan.json", "interconnects-plan.json"):
        model = build_plan([load_document(str(FIXTURES / name))])
        held = repr(model) + json.dumps(model.documents[0].data)
        assert "aws_dx" in held or "aws_vpc" in held  # the repr does show the model
        for secret in SECRETS:
            assert secret not in held


def test_every_format_renders_a_plan():
    path = plan("aws-modules-plan.json")
    sarif = json.loads(run("validate", "--format", "sarif", path).stdout)
    jsonschema.Draft7Validator({**SARIF_SCHEMA, "$ref": "#/definitions/Root"}).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == 5
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    junit = ET.fromstring(run("validate", "--format", "junit", path).stdout)
    assert int(junit.get("failures", junit[0].get("failures"))) >= 4
    github = run("validate", "--format", "github", path).stdout
    assert github.count("::error file=") == 4
    markdown = run("validate", "--format", "markdown", path).stdout
    assert "CCV211" in markdown and r'module.net\["eu.prod"\].aws_vpc.this' in markdown
    text = run("validate", path).stdout
    assert f"{path}:84:13: error CCV211 subnet-conflict" in text


def test_same_bytes_every_time():
    path = plan("interconnects-plan.json")
    first = run("validate", "--format", "json", path).stdout
    assert run("validate", "--format", "json", path).stdout == first


MERGE = [plan("carrier.yaml"), plan("aws-modules-plan.json"), plan("interconnects-plan.json")]


def test_merge_topology_and_plans():
    report = validate(*MERGE, merge=True)
    got = [(f.rule, f.objects) for f in report.findings]
    drift = [(f.objects, f.message) for f in report.findings if f.rule == "CCV105"]
    assert drift == [
        (
            ("aws-us", f"{US}.aws_vpc.this"),
            f"site aws-us declares 10.9.0.0/17 but {US}.aws_vpc.this has 10.1.128.0/17",
        ),
        (
            ("aws-dx-2", "aws_dx_private_virtual_interface.hk2"),
            "line aws-dx-2 of site aws-dx declares VLAN 102 but "
            "aws_dx_private_virtual_interface.hk2 has VLAN 101",
        ),
        (
            ("aws-dx-2", "aws_dx_private_virtual_interface.hk2"),
            "line aws-dx-2 of site aws-dx declares exchange_ip 169.254.10.6/30 but "
            "aws_dx_private_virtual_interface.hk2 has customer_address 169.254.10.9/30",
        ),
    ]
    # unclaimed plan networks meet the topology's sites (default segment)
    assert ("CCV202", ("aws_vpc.rebuilt", "dc-fra")) in got
    assert ("CCV201", ("aws-eu", "aws_vpc.rebuilt")) in got
    # claimed: the eu VPC is site aws-eu (no conflict with itself); its subnets still checked
    assert ("CCV211", (f'{EU}.aws_subnet.this["b"]', f"{EU}.aws_vpc.this")) in got
    assert not any(rule == "CCV201" and f"{EU}.aws_vpc.this" in objs for rule, objs in got)
    # the claimed VIFs are the topology's lines: no CCV301/CCV307 of the plan's own for them
    assert not any(
        "aws_dx_private_virtual_interface.hk" in " ".join(o)
        for r, o in got
        if r in ("CCV301", "CCV307")
    )
    # path/tier rules see the topology's sites only
    assert [s["id"] for s in report.sites] == ["aws-eu", "aws-us", "aws-dx", "dc-fra"]
    assert not [f for f in report.findings if f.rule == "CCV501"]


def test_a_plan_alone_keeps_path_capacity_and_tier_rules_quiet():
    report = validate(plan("asia-clouds-plan.json"))
    assert report.sites == [] and report.flows == []
    assert {f.rule[:4] for f in report.findings} <= {"CCV1", "CCV2", "CCV3", "CCV4"}


def test_the_schema_describes_the_terraform_key():
    schema = json.loads(run("schema").stdout)
    key = schema["properties"]["sites"]["items"]["properties"]["terraform"]
    assert "description" in key and key["items"]["type"] == "string"


ODD = [None, 7, True, "", "x", [], {}, [1], {"a": 1}, "10.0.0.0/33", "255.255.255.0"]


@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_odd_values_anywhere_give_findings_or_nothing_never_a_traceback(odd):
    """Every node of a plan replaced, one at a time, by a value of another type."""
    original = json.loads((FIXTURES / "interconnects-plan.json").read_text())

    def paths(node, path=()):
        yield path
        if isinstance(node, (dict, list)):
            for key, child in node.items() if isinstance(node, dict) else enumerate(node):
                yield from paths(child, (*path, key))

    for path in list(paths(original))[1::7]:  # every 7th node: a few hundred plans
        data = json.loads(json.dumps(original))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = odd
        try:
            validate(data).to_json()
        except InputError as exc:  # a clear one-line refusal is fine, for the version only
            assert path == ("format_version",) and "format_version" in str(exc)


def test_graph_of_a_plan_alone_says_what_to_draw_instead():
    result = run("graph", plan("asia-clouds-plan.json"))
    assert result.exit_code == 2 and result.stdout == ""
    assert "has no POPs, backbone or access lines to draw" in result.stderr


def test_a_claim_naming_no_resource_is_an_unknown_reference(tmp_path):
    topology = (FIXTURES / "carrier.yaml").read_text()
    typo = topology.replace("terraform: [aws_dx_gateway.main]", "terraform: [aws_dx_gatway.main]")
    changed = tmp_path / "carrier.yaml"
    changed.write_text(typo)
    report = validate(str(changed), plan("aws-modules-plan.json"), merge=True)
    unknown = [f for f in report.findings if f.rule == "CCV101"]
    assert [(f.objects, f.path) for f in unknown] == [(("aws-dx",), "/sites/2/terraform/0")]
    assert "'aws_dx_gatway.main'" in unknown[0].message
    assert unknown[0].hint.startswith("copy the address")  # nothing close in that plan
    # with the plan that holds the gateway, the hint names it
    report = validate(str(changed), plan("interconnects-plan.json"), merge=True)
    (unknown,) = [f for f in report.findings if f.rule == "CCV101" and f.objects == ("aws-dx",)]
    assert unknown.hint.startswith("did you mean aws_dx_gateway.main? copy the address")
    # wildcards and exact addresses of the plans are fine; alone, a topology's claims are
    # not checked (there is nothing to claim from)
    assert not [f for f in validate(str(changed)).findings if f.rule == "CCV101"]


def test_merge_drift_of_asns_interconnects_and_the_exchange():
    report = validate(
        plan("carrier-interconnects.yaml"), plan("interconnects-plan.json"), merge=True
    )
    drift = [(f.objects, f.message) for f in report.findings if f.rule == "CCV105"]
    assert drift == [
        (
            ("aws_dx_private_virtual_interface.hk1",),
            "the exchange's ASN is 64700 in the topology but 64600 in "
            f"aws_dx_private_virtual_interface.hk1 of {plan('interconnects-plan.json')}",
        ),
        (
            ("gcp-hk", "google_compute_network.interconnect"),
            "site gcp-hk declares ASN 64514 but google_compute_network.interconnect has ASN 16550 "
            "(google_compute_router.cr.bgp[0].asn)",
        ),
        (
            ("oci-hk", "oci_core_virtual_circuit.fc#mapping1"),
            "site oci-hk has no line matching oci_core_virtual_circuit.fc#mapping1 "
            "(VLAN 400, cross_connect_mappings[1].oracle_bgp_peering_ip 10.254.0.5/30, "
            "cross_connect_mappings[1].customer_bgp_peering_ip 10.254.0.6/30)",
        ),
        (
            ("ali-hk-1", "alicloud_express_connect_virtual_border_router.vbr"),
            "line ali-hk-1 of site ali-hk declares exchange_ip 10.255.0.2/30 but "
            "alicloud_express_connect_virtual_border_router.vbr has peer_gateway_ip "
            "10.255.0.6/30",
        ),
    ]
    # the claimed interconnects are the topology's lines now: the VBR's own CCV301 is gone
    assert not [f for f in report.findings if f.rule == "CCV301" and "vbr" in f.objects[0]]


def test_cidrs_empty_takes_the_claimed_ranges(tmp_path):
    topology = (FIXTURES / "carrier.yaml").read_text()
    taking = topology.replace("cidrs: [10.9.0.0/17]            #", "cidrs: []            #")
    changed = tmp_path / "carrier.yaml"
    changed.write_text(taking)
    report = validate(str(changed), plan("aws-modules-plan.json"), merge=True)
    assert not [f for f in report.findings if f.rule == "CCV105" and "aws-us" in f.objects]
    # aws-us now advertises the plan's 10.1.128.0/17, which overlaps aws-eu's 10.1.0.0/16
    assert ("CCV201", ("aws-eu", "aws-us")) in [(f.rule, f.objects) for f in report.findings]


def test_two_workspaces_with_the_same_addresses_merge_without_duplicate_ids(tmp_path):
    second = tmp_path / "dr.json"
    second.write_text((FIXTURES / "interconnects-plan.json").read_text())
    report = validate(plan("interconnects-plan.json"), str(second), merge=True)
    rules = [(f.rule, f.objects) for f in report.findings]
    assert not [r for r in rules if r[0] == "CCV102"]
    # one Direct Connect port, two workspaces: the VLAN is taken twice over
    twice = (
        "aws_dx_private_virtual_interface.hk1",
        f"{second}:aws_dx_private_virtual_interface.hk1",
    )
    assert ("CCV307", tuple(sorted(twice))) in rules


def test_a_subnet_reaches_its_vpc_through_var_and_a_module_output():
    # module.subnets: vpc_id = var.vpc_id; the call passes module.network.vpc_id, an
    # output of aws_vpc.this in module.network: three hops through `configuration`
    assert findings(plan("module-references-plan.json")) == [
        ("CCV211", ("module.network.aws_vpc.this", 'module.subnets.aws_subnet.this["b"]')),
    ]


def test_a_partner_attachment_makes_its_network_a_partner_site(tmp_path):
    # Partner Interconnect wants Cloud Router ASN 16550 (CCV404); the plan's router has it
    data = json.loads((FIXTURES / "interconnects-plan.json").read_text())
    root = data["planned_values"]["root_module"]["resources"]
    assert not [f for f in validate(data).findings if f.rule == "CCV404"]
    router = next(r for r in root if r["address"] == "google_compute_router.cr")
    router["values"]["bgp"][0]["asn"] = 64514
    wrong = [(f.rule, f.objects) for f in validate(data).findings if f.rule == "CCV404"]
    assert wrong == [("CCV404", ("google_compute_network.interconnect",))]
