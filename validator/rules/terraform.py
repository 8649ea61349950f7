"""Terraform plan rules (SPEC §10): values unknown until apply (CCV104), a topology and
its plans disagreeing (CCV105), subnets outside their network or overlapping (CCV211)."""

from __future__ import annotations

from collections.abc import Iterator

from validator.addressing.parse import parse_net
from validator.context import Context
from validator.model import Subnet
from validator.rules.registry import Hit, rule


@rule(
    "CCV104",
    "value-unknown",
    "info",
    "a value a rule needs is known only after apply (or is sensitive), so it is not checked",
    "check again once the value is known (terraform show -json on the state after apply), "
    "or set it in the configuration",
)
def check_value_unknown(ctx: Context) -> Iterator[Hit]:
    """A Terraform plan leaves some values unknown until apply (`after_unknown`): a new
    subnet's `vpc_id`, a range taken from IPAM, the addresses Google assigns to an
    interconnect attachment. ccv never guesses them: each value a rule needs and cannot
    have is reported once, naming the resource address and the attribute, and the rule
    skips it — it is neither a conflict nor a pass. Values the plan marks sensitive are
    treated the same way: ccv reads no sensitive value.

    A value the cloud assigns unless the configuration sets it (a new VPC's
    `ipv6_cidr_block`) counts only when the configuration sets it. Where the network of
    a subnet is unknown, ccv first follows the configuration's references and the
    module's only network of that cloud; CCV104 is for what is left.

    Reported: `aws_vpc.main` with `cidr_block = aws_vpc_ipam_preview_next_cidr.x.cidr`
    (unknown in the plan): "aws_vpc.main: cidr_block is known only after apply".
    """
    for item in ctx.plan.unknowns:
        if item.sensitive:
            message = (
                f"{item.address}: {item.attribute} is marked sensitive and ccv reads no "
                f"sensitive value, so {item.need} cannot be checked"
            )
            hint = (
                f"if {item.attribute} is not a secret, drop `sensitive` from what sets it; "
                "otherwise check it by hand"
            )
        else:
            message = (
                f"{item.address}: {item.attribute} is known only after apply, so {item.need} "
                "cannot be checked"
            )
            hint = None
        yield Hit(message, (item.address,), item.origin, hint)


@rule(
    "CCV105",
    "terraform-drift",
    "error",
    "a topology site and the Terraform resource it claims disagree on a range, ASN, VLAN "
    "or peering address",
    "make the topology (the order) and the Terraform code agree; the message names both values",
)
def check_terraform_drift(ctx: Context) -> Iterator[Hit]:
    """With `--merge`, a topology site claims Terraform resources with
    `terraform: [ADDRESS, …]` (a trailing `*` matches instances). The claimed network's
    ranges, ASN and interconnects (VLAN, peering addresses) are the site's; where the
    site declares them too and they differ, the order and the code disagree: one of the
    two will be wrong once the connection is ordered. The finding names both values.
    A VIF's `bgp_asn` (and the other interconnects' peer ASNs) must be the exchange's.

    Failing (topology and `aws.json` merged):

        sites:
          - id: aws-hk
            terraform: [module.net.aws_vpc.main]   # cidr_block 10.20.0.0/16 in the plan
            cidrs: [10.10.0.0/16]
    """
    for drift in ctx.plan.drifts:
        yield Hit(drift.message, drift.objects, drift.origin)


def _by_network(subnets: list[Subnet]) -> dict[str, list[Subnet]]:
    groups: dict[str, list[Subnet]] = {}
    for subnet in subnets:
        groups.setdefault(subnet.network, []).append(subnet)
    return groups


@rule(
    "CCV211",
    "subnet-conflict",
    "error",
    "a subnet lies outside every range of its network, or two subnets of one network overlap",
    "give the subnet a range inside its network that no other subnet of it uses",
)
def check_subnet_conflict(ctx: Context) -> Iterator[Hit]:
    """A subnet a Terraform plan creates must lie inside one of its network's ranges
    (the VPC's `cidr_block` and associated blocks, the VNet's `address_space`, …), and
    the subnets of one network must not overlap: the cloud refuses both at apply.
    Subnets inside their network are its structure, not conflicts with it (SPEC §7).
    A Google Cloud network's ranges are its subnetworks' own, so only overlaps apply.
    Unknown ranges are not checked (CCV104).

    Failing: `aws_vpc.main` 10.0.0.0/16 with `aws_subnet.a` 10.1.0.0/24, or with
    `aws_subnet.a` 10.0.0.0/24 and `aws_subnet.b` 10.0.0.128/25.
    """
    for network, subnets in _by_network(ctx.plan.subnets).items():
        first = subnets[0]
        ranges = [n for n in (parse_net(c) for c in first.network_cidrs if c) if n is not None]
        entries = []
        for subnet in subnets:
            for text, origin in zip(subnet.cidrs, subnet.origins, strict=True):
                net = parse_net(text)
                if net is None:
                    continue
                entries.append((net, text, subnet, origin))
                if subnet.cloud == "gcp" or net.version in subnet.network_unknown:
                    continue
                if not any(
                    r.version == net.version and r.first <= net.first and net.last <= r.last
                    for r in ranges
                ):
                    own = [c for c in first.network_cidrs if c]
                    yield Hit(
                        f"subnet {subnet.address} ({text}) lies outside every range of its "
                        f"network {network} ({', '.join(own) if own else 'none'})",
                        (subnet.address, network),
                        origin,
                        f"give {subnet.address} a range inside "
                        f"{' or '.join(own) if own else 'a range of the network'}, or add "
                        f"{net.network_text()} to the network's ranges",
                    )
        entries.sort(key=lambda e: (e[0].version, e[0].first, -e[0].last))
        widest = None
        for entry in entries:
            net = entry[0]
            if (
                widest is not None
                and widest[0].version == net.version
                and net.first <= widest[0].last
            ):
                yield Hit(
                    f"subnet {entry[2].address} ({entry[1]}) overlaps subnet "
                    f"{widest[2].address} ({widest[1]}) of network {network}",
                    (entry[2].address, widest[2].address),
                    entry[3],
                    "give each subnet of a network its own range",
                )
            if widest is None or widest[0].version != net.version or net.last > widest[0].last:
                widest = entry
