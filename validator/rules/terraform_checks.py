"""The checks of the Terraform plan rules (SPEC §10): values unknown until apply (CCV104),
a topology and its plans disagreeing (CCV105), subnets outside their network or
overlapping (CCV211). They are registered by family in validator/rules/ (CCV104 and
CCV105 in input.py, CCV211 in addressing.py)."""

from __future__ import annotations

from collections.abc import Iterator

from validator.addressing.parse import parse_net
from validator.model import Plan, Site, Subnet, is_terraform
from validator.rules.registry import Hit
from validator.terraform.catalog import GCP_AUTO_MODE_RANGE


def unknown_value_hits(plan: Plan) -> Iterator[Hit]:
    """The CCV104 hits of ``plan`` (see the rule's explanation)."""
    for item in plan.unknowns:
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


def drift_hits(plan: Plan) -> Iterator[Hit]:
    """The CCV105 hits of ``plan`` (see the rule's explanation)."""
    for drift in plan.drifts:
        yield Hit(drift.message, drift.objects, drift.origin)


def _by_network(subnets: list[Subnet]) -> dict[str, list[Subnet]]:
    groups: dict[str, list[Subnet]] = {}
    for subnet in subnets:
        groups.setdefault(subnet.network, []).append(subnet)
    return groups


def subnet_conflict_hits(plan: Plan) -> Iterator[Hit]:
    """The CCV211 hits of ``plan`` (see the rule's explanation)."""
    for network, subnets in _by_network(plan.subnets).items():
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


def unmatched_claim_hits(plan: Plan) -> Iterator[Hit]:
    """CCV101 hits for a site's ``terraform`` claim that names no resource of the plans."""
    for site_id, pattern, origin, closest in plan.unmatched_claims:
        suggestion = f"did you mean {', '.join(closest)}? " if closest else ""
        yield Hit(
            f"site {site_id} claims Terraform resource '{pattern}', which names no network, "
            "gateway, subnet or interconnect of the merged plans",
            (site_id,),
            origin,
            f"{suggestion}copy the address from `terraform show -json` "
            "(resource_changes[].address), or end it with * to take every instance; "
            "docs/terraform.md lists the types ccv reads",
        )


def fixed_range_hint(site: Site, cidr: str) -> str | None:
    """The remedy for a range of a plan's network that its cloud chose (a Google Cloud auto
    mode network's 10.128.0.0/9): not another range, but a custom mode network."""
    if site.cloud == "gcp" and cidr == GCP_AUTO_MODE_RANGE and is_terraform(site.origin.doc):
        return (
            f"{site.id} is an auto mode network, whose subnets Google takes from "
            f"{GCP_AUTO_MODE_RANGE} in every network alike: set auto_create_subnetworks = false "
            "and give it google_compute_subnetwork resources with ranges of your own"
        )
    return None
