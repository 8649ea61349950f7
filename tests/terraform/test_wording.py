"""Findings on plan resources name the plan's attributes, and hints assign them as the
configuration writes them (HCL), not as a topology would (YAML keys)."""

from __future__ import annotations

from pathlib import Path

from validator import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _said(name: str) -> dict[tuple[str, str], tuple[str, str | None]]:
    report = validate(str(FIXTURES / name))
    return {(f.rule, f.objects[0]): (f.message, f.hint) for f in report.findings}


def test_direct_connect_alibaba_and_cloud_router_peering_speak_the_plan():
    said = _said("interconnects-plan.json")
    message, hint = said[("CCV301", "aws_dx_private_virtual_interface.hk2")]
    assert "amazon_address 169.254.10.5/30 and customer_address 169.254.10.9/30" in message
    assert hint == 'use amazon_address = "169.254.10.5/30" and customer_address = "169.254.10.6/30"'
    # Alibaba writes the address alone and the prefix length as a dotted mask
    message, hint = said[("CCV301", "alicloud_express_connect_virtual_border_router.vbr")]
    assert "local_gateway_ip 10.255.0.1/30 and peer_gateway_ip 10.255.0.6/30" in message
    assert hint == (
        'use local_gateway_ip = "10.255.0.1", peering_subnet_mask = "255.255.255.252" and '
        'peer_gateway_ip = "10.255.0.2"'
    )
    # the dedicated attachment's addresses come from its router interface and peer
    message, hint = said[("CCV302", "google_compute_interconnect_attachment.dedicated")]
    peer = "google_compute_router_peer.dedicated"
    assert message.startswith(f"{peer}.peer_ip_address 169.254.20.0/29")
    assert hint == (
        'use ip_range = "169.254.20.1/29" (of google_compute_router_interface.dedicated) and '
        'peer_ip_address = "169.254.20.2" (of google_compute_router_peer.dedicated)'
    )
    for message, hint in said.values():
        assert "site_ip" not in message + (hint or "")
        assert "exchange_ip" not in message + (hint or "")


def test_azure_prefix_aws_ipv6_oracle_mappings_and_router_asn_speak_the_plan():
    said = _said("wording-plan.json")
    # one attribute holds both ends: the hint gives that attribute's subnet
    _, hint = said[("CCV306", "azurerm_express_route_circuit_peering.private#primary")]
    assert hint == 'use a /30: primary_peer_address_prefix = "192.168.30.0/30"'
    _, hint = said[("CCV306", "aws_dx_private_virtual_interface.v6")]
    assert hint is not None and hint.startswith("remove amazon_address/customer_address ")
    message, hint = said[("CCV301", "oci_core_virtual_circuit.fc#mapping0")]
    assert "cross_connect_mappings[0].oracle_bgp_peering_ip 10.0.0.1/30" in message
    assert hint == (
        'use oracle_bgp_peering_ip = "10.0.0.1/30" (in cross_connect_mappings[0]) and '
        'customer_bgp_peering_ip = "10.0.0.2/30" (in cross_connect_mappings[0])'
    )
    _, hint = said[("CCV404", "google_compute_router.partner")]
    assert hint == "set bgp[0].asn to 16550"


def test_a_cloud_router_without_an_attachment_may_use_a_private_asn():
    # google_compute_router.vpn (AS 65010) serves Cloud VPN or a Dedicated attachment
    # outside this plan: not checked as a Partner Interconnect router (which needs 16550)
    report = validate(str(FIXTURES / "wording-plan.json"))
    asn_findings = [f.objects for f in report.findings if f.rule.startswith("CCV40")]
    assert asn_findings == [("google_compute_router.partner",)]


def test_a_topology_keeps_its_own_keys(tmp_path):
    topology = tmp_path / "topology.yaml"
    topology.write_text(
        "version: 1\nname: t\nexchange: {asn: 64600}\npops: [{id: HKG1}]\nsites:\n"
        "  - id: aws-hk\n    cloud: aws\n    asn: 64512\n    cidrs: [10.10.0.0/16]\n"
        "    lines:\n      - id: aws-hk-1\n        pop: HKG1\n        vlan: 101\n"
        "        peering: {site_ip: 169.254.10.5/30, exchange_ip: 169.254.10.9/30}\n"
    )
    (found,) = [f for f in validate(str(topology)).findings if f.rule == "CCV301"]
    assert "site_ip 169.254.10.5/30 and exchange_ip 169.254.10.9/30" in found.message
    assert found.hint == "use site_ip: 169.254.10.5/30 and exchange_ip: 169.254.10.6/30"


def test_values_that_do_not_parse_are_named_by_resource_and_attribute():
    said = _said("malformed-values-plan.json")
    assert said[("CCV100", "aws_vpc.b")] == (
        "aws_vpc.b: cidr_block 10.0.0.0/33 is not a valid IPv4 or IPv6 range "
        "(network/prefix length)",
        'write a network with its prefix length, e.g. cidr_block = "10.10.0.0/16"',
    )
    vif = "aws_dx_private_virtual_interface.v"
    message, hint = said[("CCV100", vif)]
    assert message.startswith(f"{vif}: amazon_address 169.254.1.300/30 is not a valid")
    assert hint.endswith('amazon_address = "169.254.10.1/30"')
    # the plan writes the address alone: no prefix length ccv added shows
    vbr = "alicloud_express_connect_virtual_border_router.vbr"
    assert said[("CCV100", vbr)] == (
        f"{vbr}: local_gateway_ip 10.1.1.300 is not a valid IPv4 address",
        'write an IPv4 address, e.g. local_gateway_ip = "169.254.10.1" (the prefix length '
        "goes in peering_subnet_mask)",
    )
    peering = "azurerm_express_route_circuit_peering.p"
    message, hint = said[("CCV100", f"{peering}#primary")]
    assert message == (
        f"{peering}: primary_peer_address_prefix 192.168.1.0/33 is not a valid IPv4 or IPv6 "
        "prefix (network/prefix length)"
    )
    assert (
        hint == 'write the peering subnet, e.g. primary_peer_address_prefix = "192.168.100.128/30"'
    )
    # a /31 prefix gives one address: the hint is still the one attribute, a /30
    _, hint = said[("CCV306", f"{peering}#secondary")]
    assert hint == 'use a /30: secondary_peer_address_prefix = "192.168.1.4/30"'


def test_moving_a_network_with_subnets_names_no_value_that_would_strand_them():
    # examples/terraform-plan.json: two VPCs whose ranges overlap each hold subnets. A new
    # range for the VPC alone would leave its subnets outside it (CCV211), so the hint
    # says the subnets move too and names no value; a VPC without subnets keeps its value.
    report = validate(str(Path(__file__).resolve().parents[2] / "examples" / "terraform-plan.json"))
    moves = {
        f.message.split(" of site ")[1].split(" overlaps ")[0]: f.hint
        for f in report.findings
        if f.rule == "CCV201"
    }
    eu = 'module.net["eu.prod"].aws_vpc.this'
    us = 'module.net["us.prod"].aws_vpc.this'
    assert 'together with its subnets (module.net["eu.prod"].aws_subnet.this["a"])' in moves[eu]
    assert "such as" not in moves[eu] and "such as" not in moves[us]
    assert 'module.net["us.prod"].aws_subnet.this["b"]' in moves[us]
