"""Interconnect rules (CCV301–CCV307): peering addresses and VLANs of access lines."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "peering"
planned(
    "CCV301",
    "peering-subnet-mismatch",
    "error",
    "the two peering addresses of a line are not in one subnet of the same length",
    "put both ends in one subnet with one prefix length, e.g. 169.254.10.1/30 and 169.254.10.2/30",
    family=_F,
)
planned(
    "CCV302",
    "peering-address-invalid",
    "error",
    "a peering address is the network or broadcast address of its subnet, or both ends "
    "use one address",
    "use two distinct host addresses of the subnet",
    family=_F,
)
planned(
    "CCV303",
    "peering-duplicate",
    "error",
    "two lines use the same peering address",
    "give each line its own peering subnet",
    family=_F,
)
planned(
    "CCV304",
    "peering-overlap",
    "error",
    "peering subnets of two lines overlap",
    "give each line its own, non-overlapping peering subnet",
    family=_F,
)
planned(
    "CCV305",
    "peering-cidr-overlap",
    "error",
    "a peering subnet overlaps a range advertised by a site that meets the line's site",
    "take peering subnets from space no site advertises (e.g. 169.254.0.0/16)",
    family=_F,
)
planned(
    "CCV307",
    "vlan-conflict",
    "error",
    "two lines on one POP use the same VLAN, or a VLAN outside 1..4094",
    "give every line on a POP its own VLAN in 1..4094",
    family=_F,
)
