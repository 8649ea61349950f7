"""Which Terraform resource types ccv reads, and what each attribute means (SPEC §10).

One table per role; docs/terraform.md lists the same types and attributes with the
provider documentation each meaning comes from. ``ALWAYS`` marks a range the network
cannot do without (an unknown value gives CCV104); ``IF_SET`` one the cloud assigns
unless the configuration sets it (``aws_vpc.ipv6_cidr_block`` is unknown in every new
VPC's plan, set or not), reported unknown only when the configuration sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

ALWAYS, IF_SET = "always", "if-set"


@dataclass(frozen=True)
class Network:
    """A network container: one site. ``ranges``: (attribute, when an unknown counts)."""

    cloud: str
    ranges: tuple[tuple[str, str], ...]
    ids: tuple[str, ...] = ("id",)  # attributes other resources name it by
    region: str | None = "region"


@dataclass(frozen=True)
class RangeOf:
    """A resource that adds ranges to a network (``link`` names the network)."""

    link: str
    ranges: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Subnet:
    """A subnet of a network (CCV211). ``also_network``: its ranges are the network's too."""

    link: str
    ranges: tuple[tuple[str, str], ...]
    also_network: bool = False


@dataclass(frozen=True)
class AsnCarrier:
    """A resource with a BGP ASN; ``link`` names the network it gives the ASN to."""

    cloud: str
    asn: tuple[str | int, ...]
    link: str | None = None


NETWORKS: dict[str, Network] = {
    "aws_vpc": Network("aws", (("cidr_block", ALWAYS), ("ipv6_cidr_block", IF_SET))),
    "aws_default_vpc": Network("aws", (("cidr_block", ALWAYS), ("ipv6_cidr_block", IF_SET))),
    "azurerm_virtual_network": Network(
        "azure", (("address_space", ALWAYS),), ids=("id", "name"), region="location"
    ),
    "google_compute_network": Network("gcp", (), ids=("id", "name", "self_link"), region=None),
    "alicloud_vpc": Network(
        "alibaba",
        (("cidr_block", ALWAYS), ("secondary_cidr_blocks", IF_SET), ("ipv6_cidr_block", IF_SET)),
    ),
    "huaweicloud_vpc": Network(
        "huawei", (("cidr", ALWAYS), ("secondary_cidrs", IF_SET), ("secondary_cidr", IF_SET))
    ),
    "tencentcloud_vpc": Network("tencent", (("cidr_block", ALWAYS),)),
    "oci_core_vcn": Network(
        "oracle",
        (
            ("cidr_block", IF_SET),
            ("cidr_blocks", IF_SET),
            ("ipv6cidr_blocks", IF_SET),
            ("ipv6private_cidr_blocks", IF_SET),
            ("byoipv6cidr_blocks", IF_SET),
        ),
    ),
}

RANGES: dict[str, RangeOf] = {
    "aws_vpc_ipv4_cidr_block_association": RangeOf("vpc_id", (("cidr_block", ALWAYS),)),
    "aws_vpc_ipv6_cidr_block_association": RangeOf("vpc_id", (("ipv6_cidr_block", IF_SET),)),
    "alicloud_vpc_ipv4_cidr_block": RangeOf("vpc_id", (("secondary_cidr_block", ALWAYS),)),
}

SUBNETS: dict[str, Subnet] = {
    "aws_subnet": Subnet("vpc_id", (("cidr_block", IF_SET), ("ipv6_cidr_block", IF_SET))),
    "azurerm_subnet": Subnet(
        "virtual_network_name", (("address_prefixes", ALWAYS), ("address_prefix", IF_SET))
    ),
    "google_compute_subnetwork": Subnet(
        "network", (("ip_cidr_range", ALWAYS), ("secondary_ip_range", IF_SET)), also_network=True
    ),
    "alicloud_vswitch": Subnet("vpc_id", (("cidr_block", ALWAYS), ("ipv6_cidr_block", IF_SET))),
    "huaweicloud_vpc_subnet": Subnet("vpc_id", (("cidr", ALWAYS),)),
    "tencentcloud_subnet": Subnet("vpc_id", (("cidr_block", ALWAYS),)),
    "oci_core_subnet": Subnet(
        "vcn_id", (("cidr_block", ALWAYS), ("ipv6cidr_block", IF_SET), ("ipv6cidr_blocks", IF_SET))
    ),
}

ASNS: dict[str, AsnCarrier] = {
    "aws_vpn_gateway": AsnCarrier("aws", ("amazon_side_asn",), link="vpc_id"),
    "aws_dx_gateway": AsnCarrier("aws", ("amazon_side_asn",)),
    "aws_ec2_transit_gateway": AsnCarrier("aws", ("amazon_side_asn",)),
    "aws_customer_gateway": AsnCarrier("onprem", ("bgp_asn",)),
    "google_compute_router": AsnCarrier("gcp", ("bgp", 0, "asn"), link="network"),
}

ENABLERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("aws_vpc", "ipv6_cidr_block"): ("ipv6_ipam_pool_id",),
    ("aws_default_vpc", "ipv6_cidr_block"): ("ipv6_ipam_pool_id",),
    ("aws_subnet", "ipv6_cidr_block"): ("assign_ipv6_address_on_creation", "ipv6_native"),
}
"""An unknown ``IF_SET`` range counts only when one of these attributes is set: without
them AWS leaves the block empty or assigns it from Amazon's own pool."""

GCP_AUTO_MODE_RANGE = "10.128.0.0/9"
"""The ranges of an auto mode network's subnets (one per region, all inside this block):
"Auto mode VPC networks ... use the 10.128.0.0/9 IPv4 range", so two auto mode networks
cannot be connected (https://cloud.google.com/vpc/docs/vpc#auto-mode-considerations).
A ``google_compute_network`` with ``auto_create_subnetworks = true`` has this range."""

AZURE_ASN = 12076
"""Microsoft's ASN on ExpressRoute private peering (Azure docs, expressroute-routing)."""
ORACLE_ASN = 31898
"""Oracle's ASN on FastConnect private virtual circuits (OCI docs, fastconnect)."""

AWS_VIRTUAL_INTERFACES = (
    "aws_dx_private_virtual_interface",
    "aws_dx_hosted_private_virtual_interface",
    "aws_dx_transit_virtual_interface",
    "aws_dx_hosted_transit_virtual_interface",
    "aws_dx_public_virtual_interface",
    "aws_dx_hosted_public_virtual_interface",
)
INTERCONNECTS = (
    *AWS_VIRTUAL_INTERFACES,
    "azurerm_express_route_circuit_peering",
    "google_compute_interconnect_attachment",
    "alicloud_express_connect_virtual_border_router",
    "oci_core_virtual_circuit",
)
HELPERS = (
    "azurerm_express_route_circuit",
    "google_compute_router_interface",
    "google_compute_router_peer",
)

GCP_BANDWIDTH_MBPS = {
    "BPS_50M": 50,
    "BPS_100M": 100,
    "BPS_200M": 200,
    "BPS_300M": 300,
    "BPS_400M": 400,
    "BPS_500M": 500,
    "BPS_1G": 1000,
    "BPS_2G": 2000,
    "BPS_5G": 5000,
    "BPS_10G": 10000,
    "BPS_20G": 20000,
    "BPS_50G": 50000,
    "BPS_100G": 100000,
    "BPS_400G": 400000,
}
"""google_compute_interconnect_attachment ``bandwidth`` values (provider documentation)."""

WANTED = frozenset({*NETWORKS, *RANGES, *SUBNETS, *ASNS, *INTERCONNECTS, *HELPERS})
"""Every resource type ccv reads; any other type is skipped."""
