"""Real `terraform show -json` output (fixtures/real, sources in fixtures/README.md) is read
without a traceback, and gives findings on real conflicts only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ccv_test_helpers import run

REAL = Path(__file__).resolve().parent / "fixtures" / "real"

# What each real file holds that a rule needs and cannot have (CCV104), or breaks:
#  - test_issue-158: nothing; its VPC ipv6_cidr_block is Amazon's to assign (not enabled)
#  - test_pull_330: the VPN gateway's amazon_side_asn is unknown until apply
#  - azure ExpressRoute: the carrier side's peer_asn 100 is a public ASN (CCV405)
#  - GCP peering: three auto mode networks, all 10.128.0.0/9 (Google refuses to peer them)
NONWSS = "google_compute_network.achia_test_peered_nonwss_network"
WSS = "google_compute_network.achia_test_peered_wss_network"
NONPEERED = "google_compute_network.achia_test_nonpeered_network"
EXPECTED = {
    "gcp_network_peering_module_plan.json": [
        ("CCV202", (NONPEERED, NONWSS)),
        ("CCV202", (NONPEERED, WSS)),
        ("CCV202", (NONWSS, WSS)),
    ],
    "test_pull_330.json": [("CCV104", ("aws_vpn_gateway.main",))],
    "azure_expressroute_circuit_peering_plan.json": [("CCV405", ())],
}


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.json")))
def test_every_real_plan_validates_with_findings_on_real_problems_only(name):
    result = run("validate", "--format", "json", str(REAL / name))
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    found = [(f["rule"], tuple(f["objects"])) for f in report["findings"]]
    assert found == EXPECTED.get(name, [])
    for finding in report["findings"]:
        assert finding["location"]["file"] == str(REAL / name)


def _resource_at(path: Path, line: int, column: int) -> dict:
    """The JSON object that starts at (line, column) of ``path``."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
    offset = sum(len(t) + 1 for t in text.split("\n")[: line - 1]) + column - 1
    return json.JSONDecoder().raw_decode(text, offset)[0]


def test_a_finding_points_at_the_resource_object_in_a_one_line_plan():
    path = REAL / "test_pull_330.json"
    assert path.read_text().count("\n") <= 1  # as terraform writes it
    finding = json.loads(run("validate", "--format", "json", str(path)).stdout)["findings"][0]
    where = finding["location"]
    assert where["line"] == 1 and where["column"] > 1
    assert _resource_at(path, where["line"], where["column"])["address"] == "aws_vpn_gateway.main"
    assert finding["path"] == "/planned_values/root_module/resources/8/values/amazon_side_asn"
    assert json.loads(path.read_text())["planned_values"]["root_module"]["resources"][8][
        "address"
    ] == ("aws_vpn_gateway.main")


def test_two_modules_adopting_one_default_vpc_are_one_network(tmp_path):
    # the same VPC id at module.db… and module.instances…: no duplicate-range finding
    path = REAL / "aws_default_vpc_noop_update_plan_tf014.json"
    assert run("validate", str(path)).exit_code == 0
    # the same plan with the two ids told apart is two networks with one range
    text = path.read_text()
    data = json.loads(text)
    vpcs = [
        r
        for m in data["planned_values"]["root_module"]["child_modules"]
        for r in m.get("resources", [])
        if r["type"] == "aws_default_vpc"
    ]
    assert len(vpcs) == 2 and vpcs[0]["values"]["id"] == vpcs[1]["values"]["id"]
    vpcs[1]["values"]["id"] = "vpc-0another00000000"
    changed = tmp_path / "plan.json"
    changed.write_text(json.dumps(data))
    report = json.loads(run("validate", "--format", "json", str(changed)).stdout)
    assert [f["rule"] for f in report["findings"]] == ["CCV202"]
    assert sorted(report["findings"][0]["objects"]) == sorted(v["address"] for v in vpcs)


def test_utf16_with_a_byte_order_mark_is_read():
    path = REAL / "utf16_bom_plan_s3_only.json"
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result = run("validate", str(path))
    assert result.exit_code == 0 and "no findings" in result.stdout


def test_standard_input_reads_a_plan():
    text = (REAL / "test_issue-514.json").read_text()
    overlapping = text.replace('"cidr_block":"172.16.0.0/25"', '"cidr_block":"172.16.0.192/26"')
    result = run("validate", "-", input=overlapping)
    assert result.exit_code == 1
    assert "<stdin>:1:" in result.stdout and "CCV211 subnet-conflict" in result.stdout
    assert "module.vpc_module.aws_subnet.vpc_subnet[1]" in result.stdout


def test_the_state_file_is_read_as_one_network_with_its_subnets(tmp_path):
    path = REAL / "aws_vpc_module_state_opentofu.json"
    data = json.loads(path.read_text())
    assert "values" in data and "planned_values" not in data
    # move one subnet out of the VPC: the state's links (known vpc_id) find its network
    for module in data["values"]["root_module"]["child_modules"]:
        for resource in module.get("resources", []):
            if resource["type"] == "aws_subnet" and resource["mode"] == "managed":
                resource["values"]["cidr_block"] = "192.168.7.0/24"
                moved = resource["address"]
                break
        else:
            continue
        break
    changed = tmp_path / "state.json"
    changed.write_text(json.dumps(data))
    report = json.loads(run("validate", "--format", "json", str(changed)).stdout)
    assert [(f["rule"], f["objects"][0]) for f in report["findings"]] == [("CCV211", moved)]


def test_a_pipe_from_terraform_show_into_a_ccv_process():
    import subprocess
    import sys

    plan = (REAL / "aws_dxgw_tgw_private-ip-vpn_plan.json").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "validator", "validate", "--format", "json", "-"],
        input=plan,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["inputs"] == ["<stdin>"] and report["findings"] == []


def test_subnets_of_for_each_module_instances_find_their_vpc(tmp_path):
    # vpc_id = local.vpc.id: unknown in the plan and not in `configuration`; each subnet
    # belongs to the one VPC of its module instance
    path = REAL / "aws_dxgw_tgw_private-ip-vpn_plan.json"
    text = path.read_text().replace('"10.66.5.192/28"', '"10.66.4.192/28"')
    changed = tmp_path / "plan.json"
    changed.write_text(text)
    report = json.loads(run("validate", "--format", "json", str(changed)).stdout)
    assert [(f["rule"], f["objects"]) for f in report["findings"]] == [
        (
            "CCV211",
            [
                'module.vpcs["spoke-vpc-b"].aws_subnet.tgw["eu-central-1a"]',
                'module.vpcs["spoke-vpc-b"].aws_vpc.main[0]',
            ],
        )
    ]
